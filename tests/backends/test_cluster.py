"""--cluster on a real 3-master Redis Cluster started by the tests (tests/servers.py)."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from redis.crc import key_slot

from redis_lab.app import make_session
from redis_lab.app.script import run_lines
from redis_lab.protocol.resp import parse
from redis_lab.settings import Environment, Settings


@pytest.fixture
def cluster(redis_cluster):
    for node in redis_cluster.nodes:
        node.flush()
    return redis_cluster


def _settings(cluster, **more) -> Settings:
    return Settings(redis_url=f"redis://127.0.0.1:{cluster.ports[0]}", cluster=True, **more)


def _slots(cluster) -> list[tuple[int, int, int]]:
    """(first slot, last slot, port) for each master, as CLUSTER SLOTS tells."""
    node = cluster.nodes[0]
    rows, _ = parse(node.command("CLUSTER", "SLOTS"))
    return sorted((row[0], row[1], row[2][1]) for row in rows)


def _channel_per_node(cluster) -> dict[int, bytes]:
    """A channel name served by each master (port -> name)."""
    ranges = _slots(cluster)
    found: dict[int, bytes] = {}
    for i in range(1000):
        name = b"room:%d" % i
        slot = key_slot(name)
        port = next(p for first, last, p in ranges if first <= slot <= last)
        found.setdefault(port, name)
        if len(found) == len(ranges):
            return found
    raise AssertionError("no channel for every node")


def test_shard_channels_on_every_node_reach_the_subscriber(cluster):
    per_node = _channel_per_node(cluster)
    assert len(per_node) == 3
    session = make_session(_settings(cluster), interactive=False, env=Environment())
    for name in per_node.values():
        session.run_line(f"@alice SSUBSCRIBE {name.decode()}")
    for port, name in per_node.items():   # the fan-out view names the serving node
        assert session.backend.node_of(name) == f"127.0.0.1:{port}"
    for name in per_node.values():
        subprocess.run(["redis-cli", "-c", "-p", str(cluster.ports[0]), "SPUBLISH",
                        name.decode(), "hi " + name.decode()], check=True, capture_output=True,
                       timeout=10)
    got = []
    for _ in range(100):
        got += [p.text for p in session.printed_deliveries(session.drain())]
        if len(got) == 3:
            break
        for wire in session.backend.clients["alice"].wires():
            wire.fill(0.02)
    assert sorted(got) == sorted(f'1) "smessage"\n2) "{n.decode()}"\n3) "hi {n.decode()}"'
                                 for n in per_node.values())
    session.backend.close()


def test_keys_route_by_slot_and_the_views_follow(cluster):
    per_node = _channel_per_node(cluster)
    lines = [f"SET {name.decode()} {port}" for port, name in per_node.items()]
    lines += [f"GET {name.decode()}" for name in per_node.values()]
    lines += ["XADD jobs 1-1 task a", "XGROUP CREATE jobs workers 0",
              "@w1 XREADGROUP GROUP workers w1 STREAMS jobs >", ":show pel jobs workers",
              ":show stream jobs",
              "@alice SSUBSCRIBE " + per_node[cluster.ports[1]].decode(), ":show fanout"]
    out = io.StringIO()
    run_lines(lines, _settings(cluster, width=90), out, io.StringIO(), env=Environment())
    text = out.getvalue()
    assert text.startswith("OK\nOK\nOK\n" + "".join(f'"{p}"\n' for p in per_node))
    assert "1 pending · lowest 1-1 · highest 1-1" in text
    jobs = key_slot(b"jobs")
    port = next(p for first, last, p in _slots(cluster) if first <= jobs <= last)
    assert f"─ stream jobs · slot {jobs} · 127.0.0.1:{port} ─" in text   # the node holding it
    slot = key_slot(per_node[cluster.ports[1]])
    assert f"──▶ alice   (slot {slot} · 127.0.0.1:{cluster.ports[1]})" in text


def test_every_lesson_passes_on_the_cluster_and_leaves_it_empty(cluster):
    done = subprocess.run([sys.executable, "-m", "redis_lab", "--redis",
                           f"redis://127.0.0.1:{cluster.ports[0]}", "--cluster", "lessons",
                           "--verify"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "14 lessons played on the server, 0 problems" in done.stdout
    assert [node.command("DBSIZE") for node in cluster.nodes] == [b":0\r\n"] * 3

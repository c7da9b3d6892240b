"""Lesson 14 (scaling out) beyond the embedded engine: on the real 3-master cluster the tests
start (tests/servers.py), and refused with a reason on a real standalone server.

The golden transcript (tests/lessons/golden/14-scaling-out.md) shows the lesson on the
engine's ``:cluster 3``; here the same reference answers pass on redis-server 7.0.15 in
cluster mode, every slot the lesson's text names is that cluster's CLUSTER KEYSLOT answer, the
masters it numbers 1-3 are that cluster's CLUSTER SHARDS ranges, and the fan-out view names
the real node of each room.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from redis_lab.app import lesson_session_factory
from redis_lab.backends.emulated_cluster import EmulatedCluster
from redis_lab.course.loader import load_all
from redis_lab.course.present import RichPresenter
from redis_lab.course.runner import LessonRunner
from redis_lab.protocol.resp import parse
from redis_lab.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "lessons" / "14-scaling-out.md").read_text(encoding="utf-8")
LESSON = next(lesson for lesson in load_all()[0] if lesson.name == "14-scaling-out")

#: Every name whose slot the lesson states, with the master (1-3) it says serves it.
STATED = {"room:1": (10963, 3), "room:2": (6832, 2), "room:3": (2705, 1), "orders": (105, 1),
          "{orders}:retry": (105, 1), "orders:retry": (8689, 2), "orders:{a}": (15495, 3),
          "orders:{b}": (3300, 1), "orders:{c}": (7365, 2), "{orders:retry}": (8689, 2)}


@pytest.fixture
def cluster(redis_cluster):
    for node in redis_cluster.nodes:
        node.flush()
    yield redis_cluster
    assert [node.command("DBSIZE") for node in redis_cluster.nodes] == [b":0\r\n"] * 3


def _shards(cluster) -> list[tuple[int, int, int]]:
    """(first slot, last slot, port) of each master, in slot order, from CLUSTER SHARDS."""
    rows, _ = parse(cluster.nodes[0].command("CLUSTER", "SHARDS"))
    found = []
    for row in rows:
        fields = dict(zip(row[::2], row[1::2]))
        node = dict(zip(fields[b"nodes"][0][::2], fields[b"nodes"][0][1::2]))
        found.append((fields[b"slots"][0], fields[b"slots"][1], node[b"port"]))
    return sorted(found)


def test_the_slots_and_masters_the_lesson_states_are_the_real_clusters(cluster):
    shards = _shards(cluster)
    assert [(first, last) for first, last, _ in shards] == EmulatedCluster(3).ranges
    for name, (slot, master) in STATED.items():
        assert str(slot) in SOURCE, name
        assert cluster.nodes[0].command("CLUSTER", "KEYSLOT", name) == b":%d\r\n" % slot, name
        first, last, _ = shards[master - 1]
        assert first <= slot <= last, name


def test_lesson_14_passes_on_the_real_cluster_and_names_its_nodes(cluster):
    make = lesson_session_factory(Settings(
        redis_url=f"redis://127.0.0.1:{cluster.ports[0]}", cluster=True))
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, force_terminal=False,
                      legacy_windows=False, _environ={})
    runner = LessonRunner(LESSON, make(), RichPresenter(console))
    runner.start()
    solved = 0
    while runner.task is not None:
        assert runner.solve(), runner.failing()
        solved += 1
    make.finish()
    assert solved == len(LESSON.tasks) == 5
    text = out.getvalue()
    assert "a real cluster; each key and shard channel goes to the master" in " ".join(
        text.split())
    port = {master: p for master, (_, _, p) in enumerate(_shards(cluster), start=1)}
    for room in ("room:1", "room:2", "room:3"):
        slot, master = STATED[room]
        assert re.search(rf"{room} +──▶ \w+ ✓?\s*\(slot {slot} · 127\.0\.0\.1:{port[master]}\)",
                         text), room
    assert f"─ stream orders · slot 105 · 127.0.0.1:{port[1]} ─" in text


@pytest.fixture
def lesson_14_alone(tmp_path) -> Path:
    """A course folder holding lesson 14 only (its ``requires:`` line dropped)."""
    text = re.sub(r"^requires: .*\n", "", SOURCE, count=1, flags=re.M)
    (tmp_path / "14-scaling-out.md").write_text(text, encoding="utf-8")
    return tmp_path


def _verify(url: str, folder: Path, *more: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redis_lab", "--redis", url, *more, "lessons",
                           "--verify"], capture_output=True, text=True, timeout=120,
                          env={**_environ(), "REDIS_LAB_LESSONS": str(folder)})


def _environ() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k != "REDIS_LAB_URL"}


def test_lessons_verify_plays_it_on_the_cluster(cluster, lesson_14_alone):
    done = _verify(f"redis://127.0.0.1:{cluster.ports[0]}", lesson_14_alone, "--cluster")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^ +ok  14-scaling-out +5 tasks", done.stdout, flags=re.M), done.stdout
    assert done.stdout.endswith("1 lessons played on the server, 0 problems\n")


def test_lessons_verify_skips_it_on_a_standalone_server_and_says_why(url, server,
                                                                      lesson_14_alone):
    done = _verify(url, lesson_14_alone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == (
        "  skip  14-scaling-out                     needs a cluster (this server is standalone)\n"
        "0 lessons played on the server, 0 problems; skipped 14-scaling-out: it needs --redis "
        "URL --cluster on a cluster, or the embedded engine's :cluster 3\n")
    assert server.command("DBSIZE") == b":0\r\n"


@pytest.mark.parametrize("entry", [["lesson", "14"], ["demo", "14"]])
def test_lesson_14_on_a_standalone_server_is_refused_in_one_line(url, server, entry):
    done = subprocess.run([sys.executable, "-m", "redis_lab", "--redis", url, *entry],
                          capture_output=True, text=True, timeout=60, env=_environ(),
                          stdin=subprocess.DEVNULL)
    said = done.stdout + done.stderr
    assert done.returncode == (1 if entry[0] == "demo" else 0)
    assert said.count("\n") == 1, said
    assert said.endswith(f"lesson 14 needs a cluster, and {url} · Redis 7.0.15 is a standalone "
                         "server: start redis-lab with --redis URL --cluster on a cluster, or "
                         "without --redis (:cluster 3 emulates one)\n")
    assert "Traceback" not in said and server.command("DBSIZE") == b":0\r\n"


def test_what_the_lesson_says_a_real_cluster_does(cluster):
    """The lesson's claims, on redis-server 7.0.15 in cluster mode: SPUBLISH to a node that does
    not serve the channel is MOVED; a PUBLISH reaches a subscriber on another node while its
    reply counts only the local ones; two streams of different slots in one XREAD are
    CROSSSLOT, in one MULTI on two nodes MOVED; the hash tag {orders} puts them together."""
    import redis

    port = {master: p for master, (_, _, p) in enumerate(_shards(cluster), start=1)}
    master_1 = cluster.nodes[cluster.ports.index(port[1])]
    assert master_1.command("SPUBLISH", "room:2", "hello") == (
        b"-MOVED 6832 127.0.0.1:%d\r\n" % port[2])
    listener = redis.Redis(port=port[3], socket_timeout=5).pubsub()
    listener.subscribe("announcements")
    assert listener.get_message(timeout=5)["type"] == "subscribe"
    assert master_1.command("PUBLISH", "announcements", "closing") == b":0\r\n"
    message = listener.get_message(timeout=5)
    assert (message["channel"], message["data"]) == (b"announcements", b"closing")
    listener.close()
    crossslot = b"-CROSSSLOT Keys in request don't hash to the same slot\r\n"
    assert master_1.command("XREAD", "STREAMS", "orders", "orders:retry", "0", "0") == crossslot
    replies = master_1.session(("MULTI",), ("XADD", "orders", "1-1", "order", "1"),
                               ("XADD", "orders:retry", "1-1", "order", "1"), ("DISCARD",))
    assert replies[2] == b"-MOVED 8689 127.0.0.1:%d\r\n" % port[2], replies
    assert master_1.command("XREAD", "STREAMS", "orders", "{orders}:retry", "0", "0") == b"*-1\r\n"


def test_lesson_14_in_a_pseudo_terminal_on_the_real_cluster(cluster, tmp_path):
    """A learner at `redis-lab --redis URL --cluster lesson 14`: a wrong try, the right one, and
    a shard channel whose node the fan-out view names (the real master 2's port)."""
    pytest.importorskip("pexpect")
    sys.path.insert(0, str(ROOT / "tests" / "shell"))
    from _pty import Terminal

    port_2 = _shards(cluster)[1][2]
    t = Terminal(tmp_path / "state", "--redis", f"redis://127.0.0.1:{cluster.ports[0]}",
                 "--cluster", "lesson", "14", cols=100, rows=60)   # CLUSTER SHARDS unpaged
    try:
        t.expect("Lesson 14:", timeout=15)
        t.expect("a real cluster; each key")
        t.expect("Enter (or :next) to go on")
        t.line("")
        t.expect("Task 1: your turn")
        t.line("CLUSTER KEYSLOT room:1")
        t.expect("✗ Not yet")
        t.line("CLUSTER SHARDS")
        t.expect("Well done")
        t.expect(f"(slot 6832 · 127.0.0.1:{port_2})")
        t.expect("Enter (or :next) to go on")
        t.line("")
        t.expect("Task 2: your turn")
        t.line("@dave SPUBLISH room:2 hello")
        t.expect("bob ◂")
        t.expect("Well done")
        t.line(":quit")
    finally:
        t.close()

""":cluster 3 on the embedded engine answers CLUSTER KEYSLOT / SHARDS / SLOTS as the real 3-master
cluster the tests start does (node ids and ports aside), and the views name the node."""

from __future__ import annotations

import io

import pytest
from redis.crc import key_slot as redis_py_slot

from redis_lab.app import make_session
from redis_lab.app.script import run_lines
from redis_lab.backends.emulated_cluster import key_slot
from redis_lab.protocol.resp import parse
from redis_lab.settings import Environment, Settings

KEYS = [b"orders", b"room:1", b"{user}:1", b"{user}:2", b"foo{}bar", b"{}", b"{a", b"\xff\x00",
        b"", b"sensors:dev01", b"x" * 300]


def _emulated():
    session = make_session(Settings(virtual_clock=True), interactive=False, env=Environment())
    session.run_line(":cluster 3")
    return session


def _normal(value):
    """Node ids and ports are made up by the emulation: blank them out to compare shapes."""
    if isinstance(value, list):
        out, skip = [], None
        for item in value:
            if skip:
                out.append("?")
                skip = None
                continue
            out.append(_normal(item))
            skip = item in (b"id", b"port")
        return out
    return value


@pytest.mark.parametrize("key", KEYS)
def test_key_slots_are_redis_crc16(key):
    assert key_slot(key) == redis_py_slot(key)


def test_cluster_replies_have_the_real_clusters_shape(redis_cluster):
    session = _emulated()
    node = redis_cluster.nodes[0]
    for key in KEYS[:6]:
        real, _ = parse(node.command("CLUSTER", "KEYSLOT", key))
        assert session.inspect([b"CLUSTER", b"KEYSLOT", key]) == real
    real_shards, _ = parse(node.command("CLUSTER", "SHARDS"))
    emulated = session.inspect([b"CLUSTER", b"SHARDS"])
    assert sorted(map(repr, map(_normal, emulated))) == sorted(map(repr, map(_normal, real_shards)))
    real_slots, _ = parse(node.command("CLUSTER", "SLOTS"))
    assert sorted((r[0], r[1]) for r in session.inspect([b"CLUSTER", b"SLOTS"])) == \
        sorted((r[0], r[1]) for r in real_slots)


def test_views_name_the_node_and_off_goes_back():
    out = io.StringIO()
    run_lines([":cluster 3", "XADD orders 1-1 f v", ":show stream orders",
               "@alice SSUBSCRIBE room:1", ":show fanout", ":cluster off", "CLUSTER KEYSLOT x"],
              Settings(width=80), out, io.StringIO(), env=Environment())
    text = out.getvalue()
    assert text.startswith("emulated cluster of 3 masters: 127.0.0.1:7000 slots 0-5460, "
                           "127.0.0.1:7001 slots 5461-10922, 127.0.0.1:7002 slots 10923-16383.")
    assert "─ stream orders · slot 105 · 127.0.0.1:7000 ─" in text
    assert "SPUBLISH ─▶ room:1 ──▶ alice   (slot 10963 · 127.0.0.1:7002)" in text
    # as redis-server 7.0 without cluster mode answers (tests/conformance/test_cluster_disabled)
    assert text.rstrip().endswith("(error) ERR This instance has cluster support disabled")


def test_cluster_meta_on_a_real_standalone_server_says_what_it_is(url):
    out = io.StringIO()
    run_lines([":cluster 3"], Settings(redis_url=url), out, io.StringIO(), env=Environment())
    assert out.getvalue().startswith("a real standalone server is not a cluster")


def test_a_fresh_engine_is_standalone_again_so_the_next_lesson_shows_no_slots():
    out = io.StringIO()
    run_lines([":lesson 14", ":skip", ":skip", ":skip", ":skip", ":skip", ":lesson 3",
               ":show stream orders", "CLUSTER KEYSLOT orders", ":cluster"],
              Settings(width=100), out, io.StringIO(), env=Environment())
    text = out.getvalue()
    assert "─ stream orders · slot 105 · 127.0.0.1:7000 ─" in text     # lesson 14's own view
    lesson_3 = text[text.index("Lesson 3:"):]
    assert "· slot " not in lesson_3 and "127.0.0.1:700" not in lesson_3
    assert "╭─ [1] stream logs ─" in lesson_3      # lesson 3's pinned view: no slot, no node
    assert "(error) ERR This instance has cluster support disabled" in lesson_3
    assert lesson_3.rstrip().endswith("one node (not a cluster); :cluster 3 emulates three masters")


def test_what_the_emulation_does_not_answer_it_says_so():
    session = _emulated()
    replies = [session.inspect(args) for args in (
        [b"CLUSTER", b"NODES"], [b"CLUSTER", b"COUNTKEYSINSLOT", b"105"], [b"CLUSTER"],
        [b"CLUSTER", b"NODES", b"x"], [b"CLUSTER", b"nosuch"], [b"CLUSTER", b"SHARDS", b"x"])]
    assert [str(r) for r in replies] == [
        "ERR :cluster 3 emulates CLUSTER KEYSLOT, SHARDS, SLOTS, MYID and INFO only; "
        "CLUSTER NODES needs a real cluster (--redis URL --cluster)",
        "ERR :cluster 3 emulates CLUSTER KEYSLOT, SHARDS, SLOTS, MYID and INFO only; "
        "CLUSTER COUNTKEYSINSLOT needs a real cluster (--redis URL --cluster)",
        "ERR wrong number of arguments for 'cluster' command",
        "ERR wrong number of arguments for 'cluster|nodes' command",
        "ERR unknown subcommand 'nosuch'. Try CLUSTER HELP.",
        "ERR wrong number of arguments for 'cluster|shards' command"]


def test_looking_up_slots_during_a_task_is_never_graded_wrong():
    out = io.StringIO()
    run_lines([":lesson 14", ":skip", "CLUSTER KEYSLOT room:2", "CLUSTER SHARDS",
               "@dave SPUBLISH room:2 hello"], Settings(width=100), out, io.StringIO(),
              env=Environment())
    task_2 = out.getvalue().split("Task 2: your turn")[1]
    assert "(integer) 6832" in task_2 and "✗" not in task_2 and "hint:" not in task_2
    assert "Well done" in task_2

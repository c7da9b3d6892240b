"""Undo and snapshots (redis_lab/snapshot.py) against a real redis-server 7.0.

Each scenario runs a prefix on both the engine and a private redis-server, then a mistake on
the engine only, then ``:undo`` (History.undo) on the engine; after that the same follow-up
commands must answer byte for byte as on the server, which never saw the mistake. Replies that
hold times (idle) are avoided: the server runs on the wall clock.
"""

from __future__ import annotations

import pytest

from redis_lab.snapshot import History, restore, take

pytest.importorskip("servers")
from unit._server import Conn  # noqa: E402

PREFIX = [
    ("a", "XADD", "s", "1-1", "f", "v1"),
    ("a", "XADD", "s", "2-1", "f", "v2"),
    ("a", "XADD", "s", "3-1", "f", "v3"),
    ("a", "XGROUP", "CREATE", "s", "g", "0"),
    ("w1", "XREADGROUP", "GROUP", "g", "w1", "COUNT", "1", "STREAMS", "s", ">"),
    ("a", "SET", "k", "v"),
]

FOLLOW_UP = [
    ("a", "XLEN", "s"),
    ("a", "XRANGE", "s", "-", "+"),
    ("a", "XINFO", "STREAM", "s"),
    ("a", "XINFO", "GROUPS", "s"),
    ("a", "XPENDING", "s", "g"),
    ("a", "GET", "k"),
    ("a", "EXISTS", "other"),
    ("b", "PUBLISH", "chat", "hi"),
    ("w2", "XREADGROUP", "GROUP", "g", "w2", "STREAMS", "s", ">"),
    ("a", "XINFO", "GROUPS", "s"),
    ("a", "XADD", "s", "*", "f", "v4"),
]

MISTAKES = {
    "xadd": [("a", "XADD", "s", "9-9", "f", "oops")],
    "xadd-new-key": [("a", "XADD", "other", "1-1", "f", "v")],
    "xreadgroup": [("w1", "XREADGROUP", "GROUP", "g", "w1", "STREAMS", "s", ">")],
    "xack": [("w1", "XACK", "s", "g", "1-1")],
    "xclaim": [("w2", "XCLAIM", "s", "g", "w2", "0", "1-1")],
    "xclaim-justid": [("w2", "XCLAIM", "s", "g", "w2", "0", "1-1", "JUSTID")],
    "group-create-at-end": [("a", "XGROUP", "DESTROY", "s", "g"),
                            ("a", "XGROUP", "CREATE", "s", "g", "$")],
    "del": [("a", "DEL", "s", "k")],
    "xtrim": [("a", "XTRIM", "s", "MAXLEN", "0")],
    "xdel": [("a", "XDEL", "s", "2-1")],
    "setid": [("a", "XGROUP", "SETID", "s", "g", "$")],
    "set-with-ttl": [("a", "SET", "k", "v2", "PX", "100000")],
    "subscribe": [("c", "SUBSCRIBE", "chat")],
    "blocked-read": [("c", "XREAD", "BLOCK", "0", "STREAMS", "s", "$")],
    "multi": [("a", "MULTI"), ("a", "DEL", "k")],
    "flushall": [("a", "FLUSHALL")],
}


class _Server:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conns: dict[str, Conn] = {}

    def call(self, label: str, *args: str) -> bytes:
        conn = self.conns.get(label)
        if conn is None:
            conn = self.conns[label] = Conn(self.port)
        conn.send(*args)
        return conn.read()[1]

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()


def _engine_call(engine, history: History, label: str, *args: str, record: bool = True) -> bytes:
    words = [a.encode() for a in args]
    if record:
        history.before(engine, words, " ".join(args))
    return engine.client(label).call(*words)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_undo_leaves_no_trace(mistake, redis_server, engine):
    server = _Server(redis_server.port)
    server.call("setup", "FLUSHALL")
    history = History()
    try:
        for label, *args in PREFIX:
            assert _engine_call(engine, history, label, *args) == server.call(label, *args)
        for label, *args in MISTAKES[mistake]:
            _engine_call(engine, history, label, *args)
        for _ in MISTAKES[mistake]:
            assert history.undo(engine) is not None
        for label, *args in FOLLOW_UP:
            got = _engine_call(engine, history, label, *args)
            want = server.call(label, *args)
            if "*" in args:
                got, want = got[:6], want[:6]  # the new ID holds the time: compare its shape
            assert got == want, f"after undoing {mistake}: {label} {' '.join(args)}"
    finally:
        server.close()


def test_undo_goes_back_to_the_start_one_command_at_a_time(engine):
    history = History()
    fresh = take(engine)
    for i in range(5):
        _engine_call(engine, history, "a", "XADD", "s", "*", "n", str(i))
        engine.clock.advance(10)
    _engine_call(engine, history, "a", "XLEN", "s")   # reads are not recorded
    lengths = []
    while history.undo(engine) is not None:
        lengths.append(engine.introspect([b"XLEN", b"s"]))
    assert lengths == [4, 3, 2, 1, 0]
    assert history.undo(engine) is None
    assert engine.client("a").call(b"XADD", b"s", b"*", b"n", b"x") == \
        b"$15\r\n1700000000000-0\r\n"
    restore(engine, fresh)
    assert engine.introspect([b"EXISTS", b"s"]) == 0


def test_named_snapshot_restores_any_number_of_times(engine):
    a = engine.client("a")
    a.call(b"XADD", b"s", b"1-1", b"f", b"v")
    saved = take(engine)
    for _ in range(3):
        a.call(b"XADD", b"s", b"2-1", b"f", b"v")
        a.call(b"XGROUP", b"CREATE", b"s", b"g", b"0")
        restore(engine, saved)
        assert engine.introspect([b"XLEN", b"s"]) == 1
        assert engine.introspect([b"XINFO", b"GROUPS", b"s"]) == []


def test_a_crashed_client_comes_back_with_its_subscription(engine):
    history = History()
    _engine_call(engine, history, "sub", "SUBSCRIBE", "chat")
    history.before(engine, None, ":crash sub")
    engine.clients["sub"].disconnect()
    del engine.clients["sub"]
    history.undo(engine)
    assert engine.client("pub").call(b"PUBLISH", b"chat", b"hi") == b":1\r\n"
    assert engine.clients["sub"].read_output() == \
        b"*3\r\n$7\r\nmessage\r\n$4\r\nchat\r\n$2\r\nhi\r\n"


def test_memory_budget_drops_the_oldest_steps(engine):
    history = History(budget=50)
    for i in range(30):
        _engine_call(engine, history, "a", "XADD", "s", "*", "n", str(i))
    assert history.dropped > 0
    undone = 0
    while history.undo(engine) is not None:
        undone += 1
    assert undone == 30 - history.dropped
    assert engine.introspect([b"XLEN", b"s"]) == history.dropped

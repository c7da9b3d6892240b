"""Keyspace notifications (notify-keyspace-events), differentially against redis-server 7.0.

The stream events Redis emits (xadd, xtrim, xdel, xsetid, xgroup-create, xgroup-setid,
xgroup-destroy, xgroup-createconsumer from every command that creates a consumer,
xgroup-delconsumer), the generic del and expire (SET EX), string set and new-key events, on
__keyspace@<db>__ and __keyevent@<db>__ channels, in Redis's order, with the classes masked as
configured. Lists, sets, hashes, zsets, expired-key and eviction events are outside the lab's
commands.
"""

from __future__ import annotations

import harness
import pytest


SCENARIOS: dict[str, list] = {
    "stream-events-keyspace-and-keyevent": [
        ("sub", "PSUBSCRIBE", "__key*__:*"),
        ("c", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
        ("c", "XGROUP", "CREATECONSUMER", "s", "g", "Bob"),
        ("c", "XGROUP", "CREATECONSUMER", "s", "g", "Bob"),
        ("c", "XADD", "s", "1-1", "f", "v"),
        ("c", "XADD", "s", "MAXLEN", "1", "2-1", "f", "v"),
        ("c", "XADD", "s", "MAXLEN", "5", "3-1", "f", "v"),
        ("c", "XREADGROUP", "GROUP", "g", "Alice", "STREAMS", "s", ">"),
        ("c", "XREADGROUP", "GROUP", "g", "Alice", "STREAMS", "s", "0"),
        ("c", "XCLAIM", "s", "g", "Mike", "0", "3-1", "FORCE"),
        ("c", "XGROUP", "DELCONSUMER", "s", "g", "Lee"),
        ("c", "XAUTOCLAIM", "s", "g", "Bob", "0", "0"),
        ("c", "XAUTOCLAIM", "s", "g", "Zed", "0", "0"),
        ("c", "XGROUP", "DELCONSUMER", "s", "g", "Bob"),
        ("c", "XTRIM", "s", "MAXLEN", "10"),
        ("c", "XTRIM", "s", "MAXLEN", "0"),
        ("c", "XDEL", "s", "9-9"),
        ("c", "XADD", "s", "4-1", "f", "v"),
        ("c", "XDEL", "s", "4-1"),
        ("c", "XSETID", "s", "10-1"),
        ("c", "XGROUP", "SETID", "s", "g", "0"),
        ("c", "XGROUP", "DESTROY", "s", "g"),
        ("c", "XGROUP", "DESTROY", "s", "g"),
        ("c", "SET", "k", "v"),
        ("c", "SET", "k", "v2", "EX", "100"),
        ("c", "SET", "k2", "v", "NX"),
        ("c", "SET", "k2", "v", "NX"),
        ("c", "SET", "k3", "v", "XX"),
        ("c", "DEL", "k", "s", "missing"),
        ("c", "SELECT", "3"),
        ("c", "XADD", "s3", "1-1", "f", "v"),
    ],
}

FLAGS = ["KEA", "Kt", "Et", "KEg$", "K", "KEAn", "En"]


class WithEvents:
    """The session's redis-server, with notify-keyspace-events set after each flush."""

    def __init__(self, server, flags: str) -> None:
        self.server, self.flags = server, flags

    def connect(self):
        return self.server.connect()

    def flush(self) -> None:
        self.server.flush()
        self.server.command("CONFIG", "SET", "notify-keyspace-events", self.flags)


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_keyspace_events(redis_server, engine_factory, name, flags):
    """CONFIG is a server command (redis_lab.server): here the engine's setting is set directly,
    as CONFIG SET does (tests/server checks CONFIG SET/GET of the flags over TCP)."""
    from redis_lab.server.config import ALL_CLASSES

    def model():
        engine = engine_factory()
        engine.keyspace_events = frozenset(flags.replace("A", ALL_CLASSES))
        return harness.EngineSide(engine)

    runner = harness.Conformance(WithEvents(redis_server, flags), model)
    try:
        runner.run(SCENARIOS[name], name=f"{name}[{flags}]")
    finally:
        runner._close()
        redis_server.command("CONFIG", "SET", "notify-keyspace-events", "")

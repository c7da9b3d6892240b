"""Every view's numbers are Redis's: the same command sequence on the engine and on a real
redis-server gives the same snapshots (lag, entries-read, pending counts, owners, delivery
counts), times aside. The views only read through a Connection, so the server side simply
uses a socket connection."""

from __future__ import annotations

import dataclasses

import pytest

from redis_lab import Engine, VirtualClock
from redis_lab.protocol.resp import Incomplete, encode_command, parse
from redis_lab.views.connection import engine_connection
from redis_lab.views.snapshots import gather_lag, gather_pel, gather_stream

T0 = 1_700_000_000_000


class SocketConnection:
    """The views' Connection protocol over a plain socket to redis-server."""

    def __init__(self, sock) -> None:
        self.sock = sock

    def execute(self, args):
        self.sock.sendall(encode_command(args))
        data = b""
        while True:
            data += self.sock.recv(65536)
            try:
                value, _ = parse(data)
                return value
            except Incomplete:
                continue


# Explicit IDs and idle thresholds of 0 or "huge" keep wall time out of every number compared.
SEQUENCE = [
    ("XADD", "jobs", "1-0", "task", "a"), ("XADD", "jobs", "2-0", "task", "b"),
    ("XADD", "jobs", "3-0", "task", "c"), ("XADD", "jobs", "4-0", "task", "d"),
    ("XADD", "jobs", "5-0", "task", "e"),
    ("XGROUP", "CREATE", "jobs", "workers", "0"),
    ("XGROUP", "CREATE", "jobs", "late", "$"),
    ("XGROUP", "CREATE", "jobs", "middle", "3-0"),
    ("XREADGROUP", "GROUP", "workers", "w1", "COUNT", "2", "STREAMS", "jobs", ">"),
    ("XREADGROUP", "GROUP", "workers", "w2", "COUNT", "2", "STREAMS", "jobs", ">"),
    ("XREADGROUP", "GROUP", "workers", "w1", "STREAMS", "jobs", "0"),
    ("XACK", "jobs", "workers", "3-0"),
    ("XCLAIM", "jobs", "workers", "w3", "0", "1-0"),
    ("XDEL", "jobs", "2-0"),
    ("XADD", "jobs", "6-0", "task", "f"),
    ("XAUTOCLAIM", "jobs", "workers", "w2", "0", "0-0", "COUNT", "1"),
]


def _without_times(value):
    """Snapshots as dicts, with every time-valued field dropped."""
    data = dataclasses.asdict(value)

    def scrub(obj):
        if isinstance(obj, dict):
            return {k: scrub(v) for k, v in obj.items()
                    if not k.endswith(("_ms", "_time")) and k not in ("now_ms", "idle")}
        if isinstance(obj, list):
            return [scrub(v) for v in obj]
        return obj

    return scrub(data)


@pytest.fixture
def both(redis_server):
    redis_server.flush()
    engine = Engine(clock=VirtualClock(T0))
    actor = engine.client("actor")
    sock = redis_server.connect()
    server = SocketConnection(sock)
    for args in SEQUENCE:
        mine = actor.execute([a.encode() for a in args])
        theirs = server.execute([a.encode() for a in args])
        assert mine == theirs, (args, mine, theirs)
    yield engine_connection(engine), SocketConnection(redis_server.connect())
    sock.close()


def test_stream_view_numbers_match_the_server(both):
    mine, theirs = both
    assert _without_times(gather_stream(mine, b"jobs")) == \
        _without_times(gather_stream(theirs, b"jobs"))


def test_pel_view_numbers_match_the_server(both):
    mine, theirs = both
    ours = gather_pel(mine, b"jobs", b"workers", claim_idle_ms=0)
    real = gather_pel(theirs, b"jobs", b"workers", claim_idle_ms=0)
    assert ours.total == real.total == 3   # 1-0 (w2), 2-0 (w1, deleted), 4-0 (w2)
    assert _without_times(ours) == _without_times(real)
    assert [(r.id, r.consumer, r.deliveries, r.deleted) for r in ours.head] == \
        [(r.id, r.consumer, r.deliveries, r.deleted) for r in real.head]


def test_lag_view_numbers_match_the_server(both):
    mine, theirs = both
    ours, real = gather_lag(mine, b"jobs"), gather_lag(theirs, b"jobs")
    assert _without_times(ours) == _without_times(real)
    lags = {g.group.name: g.group.lag for g in ours.groups}
    assert lags == {g.group.name: g.group.lag for g in real.groups}
    assert set(lags) == {"workers", "late", "middle"}


def test_fanout_view_numbers_match_the_server(redis_server):
    """Channels, subscriber counts and the pattern count come from PUBSUB on both sides; the
    registry of who subscribed to what is the shell's own (the same list for both)."""
    from redis_lab.views.snapshots import gather_fanout, subscribers_from_clients

    redis_server.flush()
    engine = Engine(clock=VirtualClock(T0))
    plan = {"alice": [("SUBSCRIBE", "chat", "news")], "bob": [("SUBSCRIBE", "chat")],
            "carol": [("PSUBSCRIBE", "ch*", "n?ws")], "dave": [("PSUBSCRIBE", "ch*")]}
    sockets = []
    for label, commands in plan.items():
        sock = redis_server.connect()
        sockets.append(sock)
        for args in commands:
            engine.client(label).execute([a.encode() for a in args])
            sock.sendall(encode_command([a.encode() for a in args]))
    server = SocketConnection(redis_server.connect())
    # wait until the server has processed every subscription
    for _ in range(100):
        if server.execute([b"PUBSUB", b"NUMPAT"]) == 2 and \
                server.execute([b"PUBSUB", b"NUMSUB", b"chat"])[1] == 2:
            break
    registry = subscribers_from_clients(engine.clients.values())
    ours = gather_fanout(engine_connection(engine), registry)
    real = gather_fanout(server, registry)
    assert dataclasses.asdict(ours) == dataclasses.asdict(real)
    assert ours.numpat == 2 and [c.name for c in ours.channels] == ["chat", "news"]
    for sock in sockets:
        sock.close()

"""Random argument vectors never break the engine (hypothesis property test).

Random command names from the command table, followed by random words -- option keywords,
numbers (negative, huge, overflowing), stream IDs and special IDs ($ > * - + and '(' bounds),
key / group / consumer names and random bytes -- are fed through ``call()`` on several clients,
some of them switched to RESP3, with the virtual clock moving now and then (BLOCK timeouts).
After every command:

* ``call()`` and every client's ``read_output()`` return bytes that hiredis (an independent
  parser) reads as whole RESP2/RESP3 frames;
* nothing raises.

After every example, for every stream key in every database: XLEN equals the number of entries
``XRANGE key - +`` returns (through a separate checking client), and the model's bookkeeping
agrees with itself (node counters, the group PEL against the consumers' PELs).

Derandomized and bounded (a few seconds) so CI runs the same examples every time.
"""

from __future__ import annotations

import hiredis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redis_lab import Engine, VirtualClock
from redis_lab.commands.table import all_commands
from redis_lab.model.stream import FLAG_DELETED, Stream
from redis_lab.protocol.resp import parse_all

COMMAND_NAMES = sorted({tuple(c.name.split()) for c in all_commands()})
STREAM_COMMANDS = [n for n in COMMAND_NAMES if n[0].startswith("X")]

KEYWORDS = [
    "MAXLEN", "MINID", "LIMIT", "NOMKSTREAM", "~", "=", "COUNT", "BLOCK", "STREAMS", "GROUP",
    "NOACK", "IDLE", "TIME", "RETRYCOUNT", "FORCE", "JUSTID", "LASTID", "MKSTREAM",
    "ENTRIESREAD", "ENTRIESADDED", "MAXDELETEDID", "FULL", "CREATE", "SETID", "DESTROY",
    "CREATECONSUMER", "DELCONSUMER", "HELP", "STREAM", "GROUPS", "CONSUMERS", "TIMEOUT",
    "ERROR", "UNBLOCK", "ID", "TYPE", "MATCH", "maxlen", "count", "streams", "block",
]
NUMBERS = [
    "0", "1", "2", "5", "10", "100", "-1", "-2", "-100", "1.5", "007", "+1", " 1", "1e3",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "576460752303423487", "3298534883329", "99999999999999999999999",
]
IDS = [
    "0", "0-0", "0-1", "1", "1-0", "1-1", "2-0", "2-5", "3", "5-*", "0-*", "*", "$", ">", "-",
    "+", "(1", "(1-1", "(0", "(-", "(+", "(", " 1-1", "+2-0", "012-1", "1--0", "1-2-3",
    "18446744073709551615-18446744073709551615", "18446744073709551615-18446744073709551614",
    "18446744073709551615-*", "18446744073709551616-0", "99999999999999-0", "99999999999999-*",
    "1-18446744073709551615",
]
GOOD_IDS = ["0", "0-0", "1-0", "1-1", "2-0", "2-5", "3", "5-0", "7-0", "99999999999999-0",
            "-", "+", "$", ">", "(1-0"]
NAMES = ["s", "s", "t", "u", "str", "g", "g2", "c", "c2", "", "nokey", "k\x00"]

word = st.one_of(
    st.sampled_from(KEYWORDS),
    st.sampled_from(NUMBERS),
    st.sampled_from(IDS),
    st.sampled_from(NAMES),
    st.integers(-(1 << 70), 1 << 70).map(str),
    st.binary(max_size=6),
)

command_name = st.one_of(
    st.sampled_from(STREAM_COMMANDS),
    st.sampled_from(STREAM_COMMANDS),
    st.sampled_from(COMMAND_NAMES),
    st.sampled_from([("HELLO", "3"), ("HELLO", "2"), ("MULTI",), ("EXEC",), ("DISCARD",),
                     ("SET", "str", "x"), ("DEL", "s"), ("FLUSHALL",), ("SELECT", "1"),
                     ("SELECT", "0"), ("RESET",), ("QUIT",)]),
)


def _stream_setup():
    """A command that builds useful state: entries, groups, deliveries."""
    return st.one_of(
        st.tuples(st.just("XADD"), st.sampled_from(["s", "t"]),
                  st.sampled_from(["*", "1-1", "2-*", "5-0", "99999999999999-*"]),
                  st.just("f"), st.sampled_from(["v", "1", "x" * 70])),
        st.just(("XGROUP", "CREATE", "s", "g", "0", "MKSTREAM")),
        st.just(("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")),
        st.just(("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "STREAMS", "s", "t", ">",
                 ">")),
    )


def _slot(kind: str):
    """Mostly a plausible word of ``kind``, sometimes any word at all."""
    plausible = {
        "key": st.sampled_from(["s", "s", "t", "u", "str", "nokey"]),
        "group": st.sampled_from(["g", "g", "g2", "nog"]),
        "consumer": st.sampled_from(["c", "c2", "c3", ""]),
        "id": st.one_of(st.sampled_from(GOOD_IDS), st.sampled_from(GOOD_IDS),
                        st.sampled_from(IDS)),
        "addid": st.sampled_from(["*", "*", "99999999999999-*", "5-*", "1-1", "7-0", "0-1"]),
        "num": st.sampled_from(["0", "1", "2", "10", "-1", "100", "3600000"]),
        "field": st.sampled_from(["f", "g", "1", "x" * 70]),
    }[kind]
    return st.one_of(*[plausible] * 7, word)


def _opt(*parts):
    return st.one_of(st.just(()), st.tuples(*parts))


TRIM = st.tuples(st.sampled_from(["MAXLEN", "MINID"]), st.sampled_from(["~", "=", "~"]),
                 st.one_of(_slot("num"), _slot("id")))
SHAPED = st.one_of(
    st.tuples(st.just(("XADD",)), _slot("key").map(lambda k: (k,)),
              _opt(st.just("NOMKSTREAM")), _opt(st.just("MAXLEN"), st.sampled_from(["~", "="]), _slot("num")),
              _opt(st.just("LIMIT"), _slot("num")), _slot("addid").map(lambda i: (i,)),
              st.one_of(st.lists(_slot("field"), min_size=1, max_size=6),
                        st.lists(_slot("field"), min_size=1, max_size=3).map(lambda f: f + f))
              .map(tuple)),
    st.tuples(st.just(("XTRIM",)), _slot("key").map(lambda k: (k,)), TRIM,
              _opt(st.just("LIMIT"), _slot("num"))),
    st.tuples(st.sampled_from([("XRANGE",), ("XREVRANGE",)]), _slot("key").map(lambda k: (k,)),
              st.tuples(_slot("id"), _slot("id")), _opt(st.just("COUNT"), _slot("num"))),
    st.tuples(st.just(("XDEL",)), _slot("key").map(lambda k: (k,)),
              st.lists(_slot("id"), min_size=1, max_size=3).map(tuple)),
    st.tuples(st.just(("XREAD",)), _opt(st.just("COUNT"), _slot("num")),
              _opt(st.just("BLOCK"), st.sampled_from(["0", "100", "-1", "x"])),
              st.just(("STREAMS",)), st.tuples(_slot("key"), _slot("id"))),
    st.tuples(st.just(("XREADGROUP", "GROUP")), st.tuples(_slot("group"), _slot("consumer")),
              _opt(st.just("COUNT"), _slot("num")),
              _opt(st.just("BLOCK"), st.sampled_from(["0", "100", "-1"])),
              _opt(st.just("NOACK")), st.just(("STREAMS",)),
              st.one_of(st.tuples(_slot("key"), st.sampled_from([">", ">", "0", "1-0"])),
                        st.tuples(_slot("key"), _slot("key"), _slot("id"), _slot("id")))),
    st.tuples(st.just(("XACK",)), st.tuples(_slot("key"), _slot("group")),
              st.lists(_slot("id"), min_size=1, max_size=3).map(tuple)),
    st.tuples(st.just(("XPENDING",)), st.tuples(_slot("key"), _slot("group")),
              _opt(st.just("IDLE"), _slot("num")),
              _opt(_slot("id"), _slot("id"), _slot("num")), _opt(_slot("consumer"))),
    st.tuples(st.just(("XCLAIM",)), st.tuples(_slot("key"), _slot("group"), _slot("consumer"),
                                              _slot("num")),
              st.lists(_slot("id"), min_size=1, max_size=3).map(tuple),
              st.lists(st.sampled_from(["JUSTID", "FORCE", "IDLE", "TIME", "RETRYCOUNT",
                                        "LASTID", "1", "-1", "1-1"]), max_size=4).map(tuple)),
    st.tuples(st.just(("XAUTOCLAIM",)), st.tuples(_slot("key"), _slot("group"),
                                                  _slot("consumer"), _slot("num"),
                                                  _slot("id")),
              _opt(st.just("COUNT"), _slot("num")), _opt(st.just("JUSTID"))),
    st.tuples(st.just(("XGROUP",)),
              st.sampled_from(["CREATE", "SETID", "DESTROY", "CREATECONSUMER", "DELCONSUMER"])
              .map(lambda w: (w,)),
              st.tuples(_slot("key"), _slot("group")),
              _opt(st.one_of(_slot("id"), _slot("consumer"))),
              _opt(st.sampled_from(["MKSTREAM", "ENTRIESREAD"])), _opt(_slot("num"))),
    st.tuples(st.just(("XINFO",)),
              st.one_of(st.tuples(st.just("STREAM"), _slot("key")),
                        st.tuples(st.just("STREAM"), _slot("key"), st.just("FULL")),
                        st.tuples(st.just("STREAM"), _slot("key"), st.just("FULL"),
                                  st.just("COUNT"), _slot("num")),
                        st.tuples(st.just("GROUPS"), _slot("key")),
                        st.tuples(st.just("CONSUMERS"), _slot("key"), _slot("group")))),
    st.tuples(st.just(("XSETID",)), st.tuples(_slot("key"), _slot("id")),
              _opt(st.just("ENTRIESADDED"), _slot("num")),
              _opt(st.just("MAXDELETEDID"), _slot("id"))),
).map(lambda parts: tuple(w for part in parts for w in part))

step = st.one_of(
    SHAPED,
    SHAPED,
    st.tuples(command_name, st.lists(word, max_size=10)).map(lambda t: (*t[0], *t[1])),
    _stream_setup().map(tuple),
    st.tuples(st.just("~advance"), st.sampled_from([1, 50, 150, 100_000])),
)

CLIENTS = ["alice", "bob", "carol"]
example = st.lists(st.tuples(st.sampled_from(CLIENTS), step), min_size=5, max_size=40)


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogateescape")


_SENTINEL = b"redis-lab end of data"


def _well_formed(data: bytes, what: str) -> None:
    """Whole RESP2/RESP3 frames only, as judged by hiredis (the C parser redis-py uses).

    An independent parser: the project's own one could share a bug with its encoder.
    """
    assert isinstance(data, bytes), (what, type(data))
    # A sentinel frame after the data must come back as a frame of its own: if the data ended
    # inside an aggregate or a string, the sentinel is swallowed into it instead.
    reader = hiredis.Reader()
    reader.feed(data + b"+" + _SENTINEL + b"\r\n")
    replies = []
    try:
        while (reply := reader.gets()) is not False:
            replies.append(reply)
    except hiredis.ProtocolError as exc:
        raise AssertionError(f"{what}: not well-formed RESP: {data[:300]!r} ({exc})") from None
    whole = bool(replies) and replies[-1] == _SENTINEL and not reader.has_data()
    assert whole, f"{what}: does not end on a frame boundary: {data[-300:]!r}"


def _check_model(stream: Stream, where: str) -> None:
    live = sum(node.live for node in stream.nodes)
    assert live == stream.length, (where, live, stream.length)
    for node in stream.nodes:
        flagged = sum(1 for f in node.flags if f & FLAG_DELETED)
        assert flagged == node.deleted and node.live + node.deleted == len(node), where
    assert len(stream.nodes) == len(stream.keys), where
    for name, group in stream.groups.items():
        ids = list(group.pel)
        assert ids == sorted(set(ids)) and len(ids) == len(group.pel), (where, name)
        owners = [owner for _, _, _, owner in group.pel.entries()]
        assert set(owners) <= set(group.by_number), (where, name, "entry of no consumer")
        for consumer in group.consumers.values():
            assert group.by_number[consumer.number] is consumer, (where, name)
            assert owners.count(consumer.number) == consumer.pel_count, (where, name)


def _check_invariants(engine) -> None:
    checker = engine.client("checker")
    for db in engine.dbs:
        for key in db.live_keys():
            value = db.get(key)
            if not isinstance(value, Stream):
                continue
            _check_model(value, f"db {db.index} key {key!r}")
            assert checker.call("SELECT", str(db.index)) == b"+OK\r\n"
            xlen = checker.call("XLEN", key)
            entries = parse_all(checker.call("XRANGE", key, "-", "+"))[0]
            assert xlen == b":%d\r\n" % len(entries), (key, xlen, len(entries))


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(example)
def test_random_commands_never_break_the_engine(steps):
    engine = Engine(clock=VirtualClock(1_700_000_000_000))
    clients = {name: engine.client(name) for name in CLIENTS}
    for name, command in steps:
        if command[0] == "~advance":
            engine.clock.advance(command[1])
        else:
            reply = clients[name].call(*[_as_bytes(a) for a in command])
            _well_formed(reply, f"{name}> {command!r}")
        for other, client in clients.items():
            _well_formed(client.read_output(), f"read_output of {other} after {command!r}")
    _check_invariants(engine)


def test_the_well_formedness_check_rejects_broken_frames():
    """The property can fail: hiredis rejects what a broken encoder could produce."""
    _well_formed(b"+OK\r\n%1\r\n$1\r\na\r\n_\r\n>2\r\n$1\r\nx\r\n,1.5\r\n", "good")
    for broken in (b"$3\r\nab", b"*2\r\n:1\r\n", b"$3\r\nabcd\r\n", b":x\r\n", b"?\r\n",
                   b"+OK\r\n+OK"):
        try:
            _well_formed(broken, "broken")
        except AssertionError:
            continue
        raise AssertionError(f"accepted {broken!r}")

"""Pub/Sub, differentially: every step is replayed on the engine and on redis-server 7.0.

Scenarios are data (name -> steps); see harness.py for the step language. Covers PUBLISH,
(P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, SPUBLISH and PUBSUB CHANNELS / NUMSUB / NUMPAT /
SHARDCHANNELS / SHARDNUMSUB / HELP: confirmation counts, duplicates, glob patterns, the RESP2
subscribed context, RESP3 pushes, delivery order and fan-out, empty and binary names, errors.
"""

from __future__ import annotations

import pytest
from harness import (
    GLOB_CASES,
    MASK_CLIENT_INFO,
    MASK_CLIENT_LIST,
    MASK_HELLO,
    ClientId,
    masked,
    unordered,
)

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


# --- subscribe / publish basics --------------------------------------------------------------

scenario("subscribe-publish-basic", [
    ("alice", "SUBSCRIBE", "chat"),
    ("bob", "PUBLISH", "chat", "hello"),
    ("bob", "PUBLISH", "chat", ""),
    ("bob", "PUBLISH", "other", "nobody listens"),
    ("alice", "PING"),
    ("alice", "PING", "are you there"),
    ("alice", "PING", ""),
    ("alice", "UNSUBSCRIBE", "chat"),
    ("alice", "PING"),
    ("bob", "PUBLISH", "chat", "too late"),
    ("alice", "GET", "k"),
])

scenario("subscribe-counts-and-duplicates", [
    ("alice", "SUBSCRIBE", "a", "b", "a"),
    ("alice", "PSUBSCRIBE", "a*", "h?llo"),
    ("alice", "PSUBSCRIBE", "a*"),
    ("alice", "SSUBSCRIBE", "s1", "s2"),
    ("alice", "SSUBSCRIBE", "s2"),
    ("alice", "SUBSCRIBE", "c"),
    ("alice", "UNSUBSCRIBE", "x", "x"),
    ("alice", "UNSUBSCRIBE", "b", "b"),
    ("alice", "PUNSUBSCRIBE", "a*", "nope"),
    ("alice", "SUNSUBSCRIBE", "s1", "s1"),
    unordered("alice", "UNSUBSCRIBE"),
    ("alice", "GET", "k"),
    ("alice", "PUNSUBSCRIBE"),
    ("alice", "GET", "k"),
    ("alice", "SUNSUBSCRIBE"),
    ("alice", "GET", "k"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "PUNSUBSCRIBE"),
    ("alice", "SUNSUBSCRIBE"),
])

scenario("unsubscribe-all-orders", [
    ("alice", "SUBSCRIBE", "c1", "c2", "c3", "c4", "c5"),
    ("alice", "PSUBSCRIBE", "p1*", "p2*", "p3*"),
    ("alice", "SSUBSCRIBE", "s1", "s2", "s3"),
    unordered("alice", "UNSUBSCRIBE"),
    unordered("alice", "PUNSUBSCRIBE"),
    unordered("alice", "SUNSUBSCRIBE"),
    ("alice", "PING"),
])

scenario("unsubscribe-when-not-subscribed", [
    ("alice", "UNSUBSCRIBE"),
    ("alice", "PUNSUBSCRIBE"),
    ("alice", "SUNSUBSCRIBE"),
    ("alice", "UNSUBSCRIBE", "foo", "bar"),
    ("alice", "PUNSUBSCRIBE", "f*"),
    ("alice", "SUNSUBSCRIBE", "s"),
    ("alice", "GET", "k"),
    ("alice", "PING"),
    ("alice", "unsubscribe", "Foo"),
])

scenario("unsubscribe-null-frame-counts", [
    ("alice", "PSUBSCRIBE", "p1", "p2"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "SUNSUBSCRIBE"),
    ("alice", "SSUBSCRIBE", "s"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "PUNSUBSCRIBE", "p1", "p2"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "PUNSUBSCRIBE"),
    ("alice", "GET", "k"),
    ("alice", "SUNSUBSCRIBE", "s"),
    ("alice", "GET", "k"),
])

scenario("shard-only-subscription-keeps-pubsub-mode", [
    ("alice", "SSUBSCRIBE", "s1"),
    ("alice", "GET", "k"),
    ("alice", "SUBSCRIBE", "c"),
    ("alice", "UNSUBSCRIBE", "c"),
    ("alice", "GET", "k"),
    ("alice", "PING"),
    ("alice", "SUNSUBSCRIBE", "s1"),
    ("alice", "PING"),
    ("alice", "GET", "k"),
])

scenario("publish-counts-client-pattern-pairs", [
    ("alice", "SUBSCRIBE", "news"),
    ("alice", "PSUBSCRIBE", "n*", "*s", "x*"),
    unordered("bob", "PUBLISH", "news", "one"),
    ("carol", "PSUBSCRIBE", "n*"),
    unordered("bob", "PUBLISH", "news", "two"),
    ("bob", "PUBSUB", "NUMPAT"),
    ("bob", "PUBSUB", "NUMSUB", "news", "n*"),
    ("carol", "PUNSUBSCRIBE", "n*"),
    ("bob", "PUBSUB", "NUMPAT"),
    ("alice", "PUNSUBSCRIBE", "x*"),
    ("bob", "PUBSUB", "NUMPAT"),
    ("bob", "PUBLISH", "nope", "p"),
    ("bob", "PUBLISH", "xyz", "q"),
])

scenario("delivery-order-channel-then-patterns", [
    ("alice", "PSUBSCRIBE", "news.*"),
    ("alice", "SUBSCRIBE", "news.sport"),
    ("bob", "PUBLISH", "news.sport", "goal"),
    ("alice", "PSUBSCRIBE", "*.sport", "n*"),
    unordered("bob", "PUBLISH", "news.sport", "second goal"),
    unordered("bob", "PUBLISH", "news.weather", "rain"),
    ("bob", "PUBLISH", "tennis.sport", "ace"),
])

scenario("fan-out-several-clients", [
    ("alice", "SUBSCRIBE", "room"),
    ("bob", "SUBSCRIBE", "room", "lobby"),
    ("carol", "PSUBSCRIBE", "ro*"),
    ("dave", "SSUBSCRIBE", "room"),
    ("erin", "PUBLISH", "room", "hi all"),
    ("erin", "PUBLISH", "lobby", "hi lobby"),
    ("erin", "SPUBLISH", "room", "shard hi"),
    ("erin", "PUBSUB", "NUMSUB", "room", "lobby", "room", "nothing"),
    ("erin", "PUBSUB", "SHARDNUMSUB", "room", "lobby"),
    ("bob", "UNSUBSCRIBE", "room"),
    ("erin", "PUBLISH", "room", "fewer"),
    ("alice", "QUIT"),
    ("erin", "PUBLISH", "room", "after quit"),
    ("erin", "PUBSUB", "NUMSUB", "room"),
])

scenario("many-messages-in-a-row", [
    ("alice", "SUBSCRIBE", "seq"),
    ("bob", "PSUBSCRIBE", "s*"),
    *[("carol", "PUBLISH", "seq", f"message {i}") for i in range(40)],
])

scenario("large-and-binary-payloads", [
    ("alice", "SUBSCRIBE", b"\x00\xff\r\nbin"),
    ("bob", "PUBLISH", b"\x00\xff\r\nbin", b"\x00payload\r\n\xfe"),
    ("bob", "PUBLISH", b"\x00\xff\r\nbin", b"x" * 200_000),
    ("alice", "PSUBSCRIBE", b"\x00*"),
    unordered("bob", "PUBLISH", b"\x00\xff\r\nbin", "both"),
    ("alice", "SUBSCRIBE", "caf\u00e9", "\u65e5\u672c"),
    ("bob", "PUBLISH", "caf\u00e9", "\u00e9t\u00e9"),
    ("bob", "PUBSUB", "NUMSUB", b"\x00\xff\r\nbin", "caf\u00e9"),
])

scenario("case-sensitive-names", [
    ("alice", "SUBSCRIBE", "Foo"),
    ("alice", "PSUBSCRIBE", "B*"),
    ("bob", "PUBLISH", "foo", "lower"),
    ("bob", "PUBLISH", "Foo", "exact"),
    ("bob", "PUBLISH", "bar", "lower"),
    ("bob", "PUBLISH", "Bar", "upper"),
    ("bob", "publish", "Foo", "lower-case command"),
])

scenario("empty-channel-and-pattern", [
    ("alice", "SUBSCRIBE", ""),
    ("bob", "PUBLISH", "", "to empty"),
    ("alice", "PSUBSCRIBE", "*"),
    ("bob", "PUBLISH", "", "star does not match empty"),
    ("alice", "PSUBSCRIBE", ""),
    unordered("bob", "PUBLISH", "", "empty pattern matches"),
    ("bob", "PUBLISH", "x", "star matches"),
    unordered("bob", "PUBSUB", "CHANNELS"),
    ("bob", "PUBSUB", "CHANNELS", "*"),
    ("bob", "PUBSUB", "CHANNELS", ""),
    ("bob", "PUBSUB", "NUMSUB", ""),
    ("bob", "PUBSUB", "NUMPAT"),
    ("alice", "UNSUBSCRIBE", ""),
    ("alice", "PUNSUBSCRIBE", ""),
    ("alice", "SSUBSCRIBE", ""),
    ("bob", "SPUBLISH", "", "shard empty"),
    ("bob", "PUBSUB", "SHARDCHANNELS"),
    ("bob", "PUBSUB", "SHARDCHANNELS", "*"),
])

scenario("pattern-like-channel-names-are-literal", [
    ("alice", "SUBSCRIBE", "a*", "h?llo", "[x]"),
    ("bob", "PUBLISH", "a*", "literal star"),
    ("bob", "PUBLISH", "abc", "no"),
    ("bob", "PUBLISH", "hello", "no"),
    ("bob", "PUBLISH", "h?llo", "literal"),
    ("bob", "PUBLISH", "[x]", "literal"),
    ("bob", "PUBLISH", "x", "no"),
])

scenario("channels-disappear-when-empty", [
    ("a", "SUBSCRIBE", "x", "y"),
    ("b", "SUBSCRIBE", "x"),
    ("b", "PSUBSCRIBE", "x*", "x**"),
    unordered("admin", "PUBSUB", "CHANNELS"),
    ("a", "UNSUBSCRIBE", "x"),
    unordered("admin", "PUBSUB", "CHANNELS"),
    ("b", "UNSUBSCRIBE", "x"),
    ("admin", "PUBSUB", "CHANNELS"),
    ("admin", "PUBSUB", "NUMSUB", "x", "y"),
    ("admin", "PUBSUB", "NUMPAT"),
    ("b", "PUNSUBSCRIBE", "x*"),
    ("admin", "PUBSUB", "NUMPAT"),
    unordered("admin", "PUBLISH", "xx", "only x** now"),
    ("a", "QUIT"),
    ("admin", "PUBSUB", "CHANNELS"),
    ("admin", "PUBSUB", "NUMSUB", "y"),
])

scenario("long-names-and-many-subscribers", [
    ("a", "SUBSCRIBE", "c" * 10_000),
    ("a", "PSUBSCRIBE", "c*" * 50),
    unordered("p", "PUBLISH", "c" * 10_000, "long"),
    *[(f"s{i}", "SUBSCRIBE", "wide") for i in range(12)],
    ("p", "PUBLISH", "wide", "to twelve"),
    ("p", "PUBSUB", "NUMSUB", "wide"),
    ("a", "SUBSCRIBE", *[f"ch{i}" for i in range(50)]),
    unordered("a", "UNSUBSCRIBE"),
])

# --- glob patterns (the table of reference section 1.7) ----------------------------------------

def _glob_scenario() -> list:
    patterns = sorted({p for p, _ in GLOB_CASES})
    strings = sorted({s for _, s in GLOB_CASES})
    steps: list = [("watcher", "PSUBSCRIBE", *patterns)]
    for s in strings:
        steps.append(unordered("pub", "PUBLISH", s, f"msg for {s!r}"))
    steps.append(("pub", "PUBSUB", "NUMPAT"))
    return steps


scenario("glob-patterns-psubscribe", _glob_scenario())


def _glob_channels_scenario() -> list:
    strings = sorted({s for _, s in GLOB_CASES})
    steps: list = [("holder", "SUBSCRIBE", *strings)]
    for pattern in sorted({p for p, _ in GLOB_CASES}):
        steps.append(unordered("asker", "PUBSUB", "CHANNELS", pattern))
    steps.append(unordered("asker", "PUBSUB", "CHANNELS"))
    steps.append(("shard", "SSUBSCRIBE", *strings))
    for pattern in ("*", "a*b", "[a-]", "?", "h\\?llo", "[]", "[^]"):
        steps.append(unordered("asker", "PUBSUB", "SHARDCHANNELS", pattern))
    steps.append(unordered("asker", "PUBSUB", "SHARDCHANNELS"))
    return steps


scenario("glob-patterns-pubsub-channels", _glob_channels_scenario())

# --- sharded pub/sub --------------------------------------------------------------------------

scenario("spublish-and-ssubscribe-are-separate", [
    ("alice", "SSUBSCRIBE", "s"),
    ("bob", "PUBLISH", "s", "plain publish"),
    ("bob", "SPUBLISH", "s", "shard publish"),
    ("carol", "SUBSCRIBE", "s"),
    ("carol", "PSUBSCRIBE", "*"),
    ("bob", "SPUBLISH", "s", "only alice"),
    unordered("bob", "PUBLISH", "s", "only carol"),
    ("bob", "SPUBLISH", "nobody", "x"),
    ("alice", "SSUBSCRIBE", "t", "s"),
    ("alice", "SUBSCRIBE", "plain"),
    ("alice", "SUNSUBSCRIBE", "s"),
    ("bob", "SPUBLISH", "s", "gone"),
    ("bob", "PUBSUB", "SHARDNUMSUB", "s", "t", "nobody"),
    ("bob", "PUBSUB", "SHARDNUMSUB"),
    ("bob", "PUBSUB", "NUMSUB", "s", "plain"),
    unordered("bob", "PUBSUB", "SHARDCHANNELS"),
    ("bob", "PUBSUB", "SHARDCHANNELS", "t*"),
    unordered("alice", "SUNSUBSCRIBE"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "GET", "k"),
])

# --- PUBSUB introspection ---------------------------------------------------------------------

scenario("pubsub-introspection", [
    ("admin", "PUBSUB", "CHANNELS"),
    ("admin", "PUBSUB", "NUMSUB"),
    ("admin", "PUBSUB", "NUMPAT"),
    ("admin", "PUBSUB", "SHARDCHANNELS"),
    ("admin", "PUBSUB", "SHARDNUMSUB"),
    ("a", "SUBSCRIBE", "news.tech", "news.art", "sport"),
    ("b", "SUBSCRIBE", "news.tech"),
    ("b", "PSUBSCRIBE", "news.*", "n*"),
    ("c", "PSUBSCRIBE", "news.*"),
    unordered("admin", "PUBSUB", "CHANNELS"),
    unordered("admin", "PUBSUB", "CHANNELS", "news.*"),
    ("admin", "PUBSUB", "CHANNELS", "nothing*"),
    ("admin", "PUBSUB", "NUMSUB", "news.tech", "news.art", "news.*", "missing", "news.tech"),
    ("admin", "PUBSUB", "NUMPAT"),
    ("admin", "pubsub", "numpat"),
    ("admin", "PubSub", "NumSub", "sport"),
    unordered("admin", "pubsub", "channels"),
    ("b", "QUIT"),
    ("admin", "PUBSUB", "NUMSUB", "news.tech"),
    ("admin", "PUBSUB", "NUMPAT"),
    ("admin", "PUBSUB", "HELP"),
    ("admin", "pubsub", "help"),
])

scenario("pubsub-errors", [
    ("a", "PUBSUB"),
    ("a", "PUBSUB", "FOO"),
    ("a", "PUBSUB", "foo", "bar"),
    ("a", "PUBSUB", "CHANNELS", "a", "b"),
    ("a", "PUBSUB", "SHARDCHANNELS", "a", "b"),
    ("a", "PUBSUB", "NUMPAT", "x"),
    ("a", "PUBSUB", "HELP", "x"),
    ("a", "PUBSUB", ""),
    ("a", "PUBLISH", "onlychannel"),
    ("a", "PUBLISH", "c", "m", "extra"),
    ("a", "SPUBLISH", "c"),
    ("a", "SUBSCRIBE"),
    ("a", "PSUBSCRIBE"),
    ("a", "SSUBSCRIBE"),
    ("a", "GET", "k"),
])

# --- RESP2 subscribed context -----------------------------------------------------------------

REFUSED_WHILE_SUBSCRIBED = [
    ("GET", "k"), ("SET", "k", "v"), ("DEL", "k"), ("EXISTS", "k"), ("TYPE", "k"),
    ("KEYS", "*"), ("SCAN", "0"), ("DBSIZE",), ("SELECT", "0"), ("FLUSHDB",), ("FLUSHALL",),
    ("ECHO", "hi"), ("TIME",), ("HELLO",), ("HELLO", "3"), ("HELLO", "2"), ("PUBLISH", "a", "x"),
    ("SPUBLISH", "a", "x"), ("PUBSUB", "NUMPAT"), ("PUBSUB", "CHANNELS"), ("PUBSUB", "NUMSUB", "a"),
    ("PUBSUB", "SHARDCHANNELS"), ("PUBSUB", "SHARDNUMSUB", "a"), ("PUBSUB", "HELP"),
    ("CLIENT", "ID"), ("CLIENT", "SETNAME", "n"), ("CLIENT", "GETNAME"), ("CLIENT", "LIST"),
    ("CLIENT", "INFO"), ("CLIENT", "HELP"), ("COMMAND", "COUNT"), ("XADD", "s", "*", "f", "v"),
    ("XLEN", "s"), ("MULTI",), ("get", "k"), ("Client", "Id"),
]

# command-table checks (unknown command, unknown subcommand, arity) come before the context check
TABLE_ERRORS_WHILE_SUBSCRIBED = [
    ("GET",), ("GET", "a", "b"), ("PING", "a", "b"), ("PUBSUB",), ("PUBSUB", "NUMPAT", "x"),
    ("PUBSUB", "FOO"), ("CLIENT",), ("CLIENT", "FOO"), ("CLIENT", "ID", "x"), ("NOSUCHCMD",),
    ("NOSUCHCMD", "a"), ("ECHO",), ("PUBSUB", "CHANNELS", "a", "b"), ("SUBSCRIBE",),
    ("PSUBSCRIBE",), ("SSUBSCRIBE",), ("RESET", "x"), ("COMMAND", "COUNT", "x"),
]


def _context_scenario(subscribe: tuple) -> list:
    steps: list = [("alice", *subscribe)]
    steps += [("alice", *c) for c in REFUSED_WHILE_SUBSCRIBED]
    steps += [("alice", *c) for c in TABLE_ERRORS_WHILE_SUBSCRIBED]
    steps += [("alice", "PING"), ("alice", "PING", "x"), ("bob", "PUBLISH", "ch", "still here")]
    return steps


scenario("resp2-context-subscribe", _context_scenario(("SUBSCRIBE", "ch")))
scenario("resp2-context-psubscribe", _context_scenario(("PSUBSCRIBE", "c*")))
scenario("resp2-context-ssubscribe", _context_scenario(("SSUBSCRIBE", "ch")))

scenario("resp2-context-quit", [
    ("alice", "SUBSCRIBE", "ch"),
    ("alice", "QUIT"),
    ("bob", "PUBLISH", "ch", "nobody"),
    ("bob", "PUBSUB", "NUMSUB", "ch"),
])

scenario("resp2-context-quit-with-args", [
    ("alice", "PSUBSCRIBE", "ch*"),
    ("alice", "QUIT", "now", "please"),
    ("bob", "PUBSUB", "NUMPAT"),
])

scenario("resp2-context-reset", [
    ("alice", "SUBSCRIBE", "ch"),
    ("alice", "PSUBSCRIBE", "c*"),
    ("alice", "SSUBSCRIBE", "s"),
    ("alice", "RESET"),
    ("alice", "GET", "k"),
    ("alice", "PING"),
    ("bob", "PUBLISH", "ch", "nobody"),
    ("bob", "SPUBLISH", "s", "nobody"),
    ("bob", "PUBSUB", "NUMPAT"),
    ("alice", "UNSUBSCRIBE"),
])

# --- RESP3 -----------------------------------------------------------------------------------

scenario("resp3-push-frames", [
    masked(MASK_HELLO, "alice", "HELLO", "3"),
    ("alice", "SUBSCRIBE", "a", "b"),
    ("bob", "PUBLISH", "a", "m1"),
    ("alice", "PING"),
    ("alice", "PING", "m"),
    ("alice", "GET", "missing"),
    ("alice", "SET", "k", "v"),
    ("alice", "GET", "k"),
    ("alice", "ECHO", "allowed in RESP3"),
    ("alice", "PUBSUB", "NUMSUB", "a"),
    ("alice", "PUBLISH", "a", "to myself"),
    ("alice", "PSUBSCRIBE", "x*"),
    ("bob", "PUBLISH", "xy", "m2"),
    ("alice", "PUBLISH", "xa", "pattern to myself"),
    ("alice", "SSUBSCRIBE", "q"),
    ("bob", "SPUBLISH", "q", "z"),
    ("alice", "SPUBLISH", "q", "shard to myself"),
    unordered("alice", "UNSUBSCRIBE"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "PUNSUBSCRIBE", "x*"),
    ("alice", "PUNSUBSCRIBE"),
    ("alice", "SUNSUBSCRIBE"),
    ("alice", "SUNSUBSCRIBE"),
    ("alice", "PING"),
])

scenario("resp3-self-publish-channel-and-patterns", [
    masked(MASK_HELLO, "alice", "HELLO", "3"),
    ("alice", "SUBSCRIBE", "news"),
    ("alice", "PSUBSCRIBE", "n*", "*s"),
    unordered("alice", "PUBLISH", "news", "mine"),
    ("bob", "SUBSCRIBE", "news"),
    unordered("alice", "PUBLISH", "news", "both"),
    ("alice", "DBSIZE"),
    ("alice", "CLIENT", "GETNAME"),
])

scenario("resp3-subscriber-switches-back-to-resp2", [
    masked(MASK_HELLO, "alice", "HELLO", "3"),
    ("alice", "SUBSCRIBE", "a"),
    masked(MASK_HELLO, "alice", "HELLO", "2"),
    ("bob", "PUBLISH", "a", "now an array"),
    ("alice", "GET", "k"),
    ("alice", "PING"),
    ("alice", "UNSUBSCRIBE"),
    ("alice", "UNSUBSCRIBE"),
])

scenario("resp3-reset-returns-to-resp2", [
    masked(MASK_HELLO, "alice", "HELLO", "3"),
    ("alice", "PSUBSCRIBE", "p*"),
    ("alice", "RESET"),
    ("alice", "GET", "missing"),
    ("alice", "UNSUBSCRIBE"),
    ("bob", "PUBLISH", "pq", "nobody"),
])

scenario("resp3-publisher-and-resp2-subscriber", [
    masked(MASK_HELLO, "pub", "HELLO", "3"),
    ("sub2", "SUBSCRIBE", "mixed"),
    masked(MASK_HELLO, "sub3", "HELLO", "3"),
    ("sub3", "SUBSCRIBE", "mixed"),
    ("pub", "PUBLISH", "mixed", "one frame each, two encodings"),
    ("pub", "PUBSUB", "NUMSUB", "mixed"),
    ("pub", "PUBSUB", "CHANNELS", "m*"),
    ("pub", "PUBSUB", "NUMPAT"),
])

# --- CLIENT LIST reflects pub/sub state ----------------------------------------------------------

scenario("client-list-pubsub-fields", [
    ("alice", "SUBSCRIBE", "a", "b"),
    ("alice", "PSUBSCRIBE", "p*"),
    ("alice", "SSUBSCRIBE", "s"),
    ("bob", "CLIENT", "SETNAME", "bob"),
    masked(MASK_CLIENT_LIST, "bob", "CLIENT", "LIST"),
    masked(MASK_CLIENT_LIST, "bob", "CLIENT", "LIST", "TYPE", "pubsub"),
    masked(MASK_CLIENT_LIST, "bob", "CLIENT", "LIST", "TYPE", "normal"),
    masked(MASK_CLIENT_INFO, "bob", "CLIENT", "LIST", "ID", ClientId("alice")),
    unordered("alice", "UNSUBSCRIBE"),
    ("alice", "PUNSUBSCRIBE"),
    ("alice", "SUNSUBSCRIBE"),
    masked(MASK_CLIENT_INFO, "alice", "CLIENT", "INFO"),
])


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_pubsub(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

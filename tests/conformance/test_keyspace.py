"""Keyspace commands, differentially against redis-server 7.0.

PING, ECHO, SET (NX XX GET EX PX EXAT PXAT KEEPTTL and errors), GET, DEL, EXISTS, TYPE, KEYS,
SCAN (MATCH, COUNT, TYPE, bad cursors), DBSIZE, SELECT, FLUSHDB, FLUSHALL, and WRONGTYPE between
strings and streams. Scenarios are data; see harness.py for the step language.
"""

from __future__ import annotations

import pytest
from harness import GLOB_CASES, advance, scan_all, unordered

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


# Far enough in the future for both the server's wall clock and the engine's virtual clock.
FAR_S = "4000000000"
FAR_MS = "4000000000000"

scenario("ping-echo", [
    ("c", "PING"),
    ("c", "PING", "hello"),
    ("c", "PING", ""),
    ("c", "PING", b"\x00\r\n\xff"),
    ("c", "ping"),
    ("c", "ECHO", "hi"),
    ("c", "ECHO", ""),
    ("c", "ECHO", b"bin\x00ary\r\n"),
    ("c", "echo", "x" * 5000),
])

scenario("set-get-basic", [
    ("c", "GET", "k"),
    ("c", "SET", "k", "v"),
    ("c", "GET", "k"),
    ("c", "SET", "k", ""),
    ("c", "GET", "k"),
    ("c", "SET", "", "empty key"),
    ("c", "GET", ""),
    ("c", "SET", b"\x00\xff", b"\r\n"),
    ("c", "GET", b"\x00\xff"),
    ("c", "SET", "big", "v" * 100_000),
    ("c", "GET", "big"),
    ("c", "SET", "n", "12345"),
    ("c", "GET", "n"),
    ("c", "set", "lower", "case"),
    ("c", "get", "lower"),
    ("c", "DBSIZE"),
])

scenario("set-nx-xx-get", [
    ("c", "SET", "k", "v1", "NX"),
    ("c", "SET", "k", "v2", "NX"),
    ("c", "GET", "k"),
    ("c", "SET", "k", "v3", "XX"),
    ("c", "GET", "k"),
    ("c", "SET", "nokey", "v", "XX"),
    ("c", "GET", "nokey"),
    ("c", "SET", "k", "v4", "GET"),
    ("c", "SET", "fresh", "v", "GET"),
    ("c", "SET", "k", "v5", "NX", "GET"),
    ("c", "SET", "new2", "v", "NX", "GET"),
    ("c", "GET", "new2"),
    ("c", "SET", "k", "v6", "XX", "GET"),
    ("c", "SET", "none", "v", "XX", "GET"),
    ("c", "SET", "k", "v7", "get", "xx"),
    ("c", "GET", "k"),
    ("c", "SET", "k", "v8", "nx"),
    ("c", "SET", "k", "v9", "Xx"),
    ("c", "GET", "k"),
])

scenario("set-expire-options", [
    ("c", "SET", "k", "v", "EX", "100"),
    ("c", "SET", "k", "v", "PX", "100000"),
    ("c", "SET", "k", "v", "EXAT", FAR_S),
    ("c", "SET", "k", "v", "PXAT", FAR_MS),
    ("c", "SET", "k", "v", "KEEPTTL"),
    ("c", "SET", "k", "v", "ex", "100"),
    ("c", "SET", "k", "v", "NX", "EX", "100"),
    ("c", "SET", "k", "v", "XX", "PX", "100", "GET"),
    ("c", "SET", "k", "v", "GET", "KEEPTTL", "XX"),
    ("c", "GET", "k"),
    ("c", "SET", "past", "v", "EXAT", "1"),
    ("c", "GET", "past"),
    ("c", "SET", "past", "v", "PXAT", "1"),
    ("c", "GET", "past"),
    ("c", "EXISTS", "past"),
    ("c", "SET", "k", "again", "PXAT", "1", "GET"),
    ("c", "GET", "k"),
    ("c", "DBSIZE"),
])

scenario("set-errors", [
    ("c", "SET", "k", "v", "EX", "0"),
    ("c", "SET", "k", "v", "PX", "0"),
    ("c", "SET", "k", "v", "EXAT", "0"),
    ("c", "SET", "k", "v", "PXAT", "0"),
    ("c", "SET", "k", "v", "EX", "-1"),
    ("c", "SET", "k", "v", "PX", "-5"),
    ("c", "SET", "k", "v", "EX", "abc"),
    ("c", "SET", "k", "v", "PX", "1.5"),
    ("c", "SET", "k", "v", "EX", ""),
    ("c", "SET", "k", "v", "EX", "99999999999999999999"),
    ("c", "SET", "k", "v", "EX", "9223372036854775807"),
    ("c", "SET", "k", "v", "PX", "9223372036854775807"),
    ("c", "SET", "k", "v", "EXAT", "9223372036854775807"),
    ("c", "SET", "k", "v", "EX"),
    ("c", "SET", "k", "v", "PX"),
    ("c", "SET", "k", "v", "EX", "10", "PX", "10"),
    ("c", "SET", "k", "v", "EX", "10", "EX", "10"),
    ("c", "SET", "k", "v", "EX", "10", "KEEPTTL"),
    ("c", "SET", "k", "v", "KEEPTTL", "PX", "10"),
    ("c", "SET", "k", "v", "EXAT", "10", "PXAT", "10"),
    ("c", "SET", "k", "v", "NX", "XX"),
    ("c", "SET", "k", "v", "XX", "NX"),
    ("c", "SET", "k", "v", "NX", "NX"),
    ("c", "SET", "k", "v", "GET", "GET"),
    ("c", "SET", "k", "v", "FOO"),
    ("c", "SET", "k", "v", "NX", "FOO"),
    ("c", "SET", "k", "v", "10"),
    ("c", "SET", "k", "v", ""),
    ("c", "SET", "k", "v", "EX", "abc", "NX", "XX"),
    ("c", "SET", "k", "v", "NX", "XX", "EX", "abc"),
    ("c", "SET", "k", "v", "EX", "0", "FOO"),
    ("c", "SET", "k"),
    ("c", "SET"),
    ("c", "GET", "k"),
    ("c", "DBSIZE"),
])

scenario("set-expiry-in-time", [
    ("c", "SET", "k", "v", "PX", "100"),
    ("c", "SET", "keep", "v", "PX", "100"),
    ("c", "SET", "keep", "v2", "KEEPTTL"),
    ("c", "SET", "cleared", "v", "PX", "100"),
    ("c", "SET", "cleared", "v2"),
    ("c", "SET", "later", "v", "PX", "60000"),
    ("c", "GET", "k"),
    advance(150),
    ("c", "GET", "k"),
    ("c", "GET", "keep"),
    ("c", "GET", "cleared"),
    ("c", "GET", "later"),
    ("c", "EXISTS", "k", "keep", "cleared", "later"),
    ("c", "SET", "k", "back", "NX", "GET"),
    ("c", "TYPE", "keep"),
])

scenario("set-get-expired-with-get-option", [
    ("c", "SET", "k", "old", "PX", "100"),
    advance(150),
    ("c", "SET", "k", "new", "GET"),
    ("c", "SET", "k2", "old", "PX", "100"),
    advance(150),
    ("c", "SET", "k2", "new", "XX"),
    ("c", "GET", "k2"),
    ("c", "DBSIZE"),
])

scenario("del-exists-type", [
    ("c", "SET", "a", "1"),
    ("c", "SET", "b", "2"),
    ("c", "SET", "c", "3"),
    ("c", "EXISTS", "a"),
    ("c", "EXISTS", "a", "a", "nokey", "b"),
    ("c", "EXISTS", "nokey"),
    ("c", "TYPE", "a"),
    ("c", "TYPE", "nokey"),
    ("c", "DEL", "a", "a"),
    ("c", "DEL", "a"),
    ("c", "DEL", "nokey"),
    ("c", "DEL", "b", "c", "nokey", "b"),
    ("c", "EXISTS", "a", "b", "c"),
    ("c", "DBSIZE"),
    ("c", "del", "x"),
    ("c", "exists", "x"),
    ("c", "type", "x"),
    ("c", "XADD", "st", "1-1", "f", "v"),
    ("c", "TYPE", "st"),
    ("c", "EXISTS", "st", "st"),
    ("c", "DEL", "st"),
    ("c", "TYPE", "st"),
])

scenario("wrongtype-strings-and-streams", [
    ("c", "SET", "s", "v"),
    ("c", "XADD", "s", "1-1", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XLEN", "s"),
    ("c", "XADD", "st", "1-1", "f", "v"),
    ("c", "XLEN", "st"),
    ("c", "GET", "st"),
    ("c", "SET", "st", "x", "GET"),
    ("c", "SET", "st", "x", "NX"),
    ("c", "TYPE", "st"),
    ("c", "SET", "st", "x", "XX"),
    ("c", "TYPE", "st"),
    ("c", "GET", "st"),
    ("c", "XLEN", "nokey"),
])

scenario("expired-keys-are-invisible", [
    ("c", "SET", "gone", "v", "PX", "100"),
    ("c", "SET", "gone2", "v", "PX", "100"),
    ("c", "SET", "gone3", "v", "PX", "100"),
    ("c", "SET", "gone4", "v", "PX", "100"),
    ("c", "SET", "stay", "v"),
    advance(150),
    ("c", "TYPE", "gone"),
    ("c", "EXISTS", "gone", "gone", "stay"),
    ("c", "KEYS", "*"),
    unordered("c", "SCAN", "0"),
    ("c", "DEL", "gone2", "stay"),
    ("c", "SET", "gone3", "v", "NX"),
    ("c", "GET", "gone3"),
    ("c", "SET", "gone4", "v", "XX"),
    ("c", "DBSIZE"),
])

scenario("many-keys-del-exists", [
    *[("c", "SET", f"k{i}", str(i)) for i in range(30)],
    ("c", "EXISTS", *[f"k{i}" for i in range(0, 60, 2)]),
    ("c", "DEL", *[f"k{i}" for i in range(0, 60, 3)]),
    ("c", "DBSIZE"),
    unordered("c", "KEYS", "k1*"),
    ("c", "SET", "k" * 10_000, "long key"),
    ("c", "GET", "k" * 10_000),
    ("c", "TYPE", "k" * 10_000),
])

# --- KEYS and SCAN ------------------------------------------------------------------------------

_KEYS = sorted({s for _, s in GLOB_CASES} | {"user:1", "user:2", "user:10", "order:1", "x"})


def _keys_scenario() -> list:
    steps: list = [("c", "SET", key, "v") for key in _KEYS]
    steps.append(("c", "DBSIZE"))
    for pattern in sorted({p for p, _ in GLOB_CASES} | {"user:*", "user:?", "*:1", "**"}):
        steps.append(unordered("c", "KEYS", pattern))
    steps.append(unordered("c", "keys", "*"))
    return steps


scenario("keys-glob-patterns", _keys_scenario())

scenario("keys-empty-db-and-empty-key", [
    ("c", "KEYS", "*"),
    ("c", "SET", "", "v"),
    ("c", "KEYS", "*"),
    ("c", "KEYS", "**"),
    ("c", "KEYS", "?"),
    ("c", "KEYS", ""),
    ("c", "SET", "a", "v"),
    unordered("c", "KEYS", "*"),
    ("c", "KEYS", "[a]"),
])

scenario("scan-small-db", [
    ("c", "SCAN", "0"),
    ("c", "SET", "k1", "v"),
    ("c", "SET", "k2", "v"),
    ("c", "SET", "other", "v"),
    ("c", "XADD", "stream1", "1-1", "f", "v"),
    ("c", "SET", "", "empty"),
    unordered("c", "SCAN", "0"),
    unordered("c", "SCAN", "0", "MATCH", "k*"),
    unordered("c", "SCAN", "0", "MATCH", "*"),
    unordered("c", "SCAN", "0", "MATCH", "**"),
    unordered("c", "SCAN", "0", "MATCH", "nothing*"),
    unordered("c", "SCAN", "0", "COUNT", "100"),
    unordered("c", "SCAN", "0", "COUNT", "1000", "MATCH", "k?"),
    unordered("c", "SCAN", "0", "TYPE", "string"),
    unordered("c", "SCAN", "0", "TYPE", "stream"),
    unordered("c", "SCAN", "0", "TYPE", "STRING"),
    unordered("c", "SCAN", "0", "TYPE", "list"),
    unordered("c", "SCAN", "0", "TYPE", "nosuchtype"),
    unordered("c", "SCAN", "0", "MATCH", "*1", "TYPE", "stream", "COUNT", "50"),
    unordered("c", "SCAN", "0", "match", "k*", "count", "20", "type", "string"),
    unordered("c", "SCAN", "0", "MATCH", "a", "MATCH", "k*"),
    unordered("c", "SCAN", "0", "COUNT", "5", "COUNT", "100"),
    unordered("c", "scan", "0"),
])

scenario("scan-errors", [
    ("c", "SET", "k", "v"),
    ("c", "SCAN", "abc"),
    ("c", "SCAN", ""),
    ("c", "SCAN", "1.5"),
    ("c", "SCAN", " 1"),
    ("c", "SCAN", "18446744073709551616"),
    ("c", "SCAN", "0", "COUNT", "0"),
    ("c", "SCAN", "0", "COUNT", "-1"),
    ("c", "SCAN", "0", "COUNT", "abc"),
    ("c", "SCAN", "0", "COUNT"),
    ("c", "SCAN", "0", "MATCH"),
    ("c", "SCAN", "0", "TYPE"),
    ("c", "SCAN", "0", "FOO", "bar"),
    ("c", "SCAN", "0", "FOO"),
    ("c", "SCAN", "0", "MATCH", "*", "COUNT"),
    ("c", "SCAN", "abc", "COUNT", "0"),
    ("c", "SCAN", "0", "COUNT", "0", "FOO"),
])

scenario("scan-unusual-cursors-empty-db", [
    ("c", "SCAN", "-1"),
    ("c", "SCAN", "18446744073709551615"),
    ("c", "SCAN", "00"),
    ("c", "SCAN", "+0"),
    ("c", "SCAN", "-0"),
    ("c", "SCAN", "7", "COUNT", "3"),
])

scenario("scan-full-iteration", [
    *[("c", "SET", f"key:{i}", "v") for i in range(40)],
    *[("c", "XADD", f"stream:{i}", "1-1", "f", "v") for i in range(5)],
    scan_all("c"),
    scan_all("c", "COUNT", "1"),
    scan_all("c", "COUNT", "7"),
    scan_all("c", "MATCH", "key:1*"),
    scan_all("c", "MATCH", "key:1*", "COUNT", "3"),
    scan_all("c", "TYPE", "stream", "COUNT", "2"),
    scan_all("c", "TYPE", "string"),
    ("c", "DBSIZE"),
])

# --- databases -----------------------------------------------------------------------------------

scenario("select-dbsize-flushdb", [
    ("c", "SET", "a", "db0"),
    ("c", "DBSIZE"),
    ("c", "SELECT", "1"),
    ("c", "GET", "a"),
    ("c", "DBSIZE"),
    ("c", "SET", "a", "db1"),
    ("c", "SET", "b", "db1"),
    ("c", "DBSIZE"),
    ("other", "GET", "a"),
    ("other", "DBSIZE"),
    ("other", "SELECT", "1"),
    unordered("other", "KEYS", "*"),
    ("c", "FLUSHDB"),
    ("c", "DBSIZE"),
    ("c", "SELECT", "0"),
    ("c", "GET", "a"),
    ("c", "SELECT", "15"),
    ("c", "SELECT", "16"),
    ("c", "SELECT", "-1"),
    ("c", "SELECT", "abc"),
    ("c", "SELECT", ""),
    ("c", "SELECT", "1.0"),
    ("c", "SELECT", "99999999999999999999"),
    ("c", "SELECT", "0"),
    ("c", "select", "2"),
    ("c", "SET", "two", "v"),
    ("c", "FLUSHDB", "ASYNC"),
    ("c", "DBSIZE"),
    ("c", "FLUSHDB", "SYNC"),
    ("c", "FLUSHDB", "async"),
    ("c", "FLUSHDB", "FOO"),
    ("c", "FLUSHDB", "ASYNC", "SYNC"),
    ("c", "FLUSHDB", "SYNC", "SYNC"),
    ("c", "FLUSHDB", ""),
    ("c", "SELECT", "0"),
    ("c", "DBSIZE"),
])

scenario("flushall", [
    ("c", "SET", "a", "0"),
    ("c", "SELECT", "3"),
    ("c", "SET", "a", "3"),
    ("c", "XADD", "s", "1-1", "f", "v"),
    ("c", "FLUSHALL"),
    ("c", "DBSIZE"),
    ("c", "SELECT", "0"),
    ("c", "DBSIZE"),
    ("c", "SET", "a", "0"),
    ("c", "FLUSHALL", "ASYNC"),
    ("c", "DBSIZE"),
    ("c", "FLUSHALL", "SYNC"),
    ("c", "FLUSHALL", "sync"),
    ("c", "FLUSHALL", "FOO"),
    ("c", "FLUSHALL", "SYNC", "ASYNC"),
    ("c", "FLUSHALL", "ASYNC", "ASYNC"),
    ("c", "flushall"),
])

@pytest.mark.parametrize("name", list(SCENARIOS))
def test_keyspace(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

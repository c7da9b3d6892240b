"""Consumer groups, differentially against redis-server 7.0.

XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER / HELP (argument order, BUSYGROUP,
NOGROUP, MKSTREAM, ENTRIESREAD), non-blocking XREADGROUP ('>' and history reads, NOACK, COUNT,
repeated GROUP, deleted entries as [id, nil]), delivery counts / times / ownership (SETID rewinds),
XACK, XPENDING (summary, extended, IDLE, consumer filter, error order), XCLAIM (JUSTID, FORCE,
RETRYCOUNT, IDLE, TIME, LASTID, deleted entries), XAUTOCLAIM (COUNT, JUSTID, the deleted-IDs
element, the cursor after COUNT*10 attempts), consumer creation and seen-time (7.0 rules),
XINFO GROUPS / CONSUMERS / STREAM FULL, and entries-read / lag: the verified walk-through of the
reference's section 4.4, step by step.

Times: XPENDING / XINFO idle and XINFO STREAM FULL delivery and seen times are masked
(MASK_STREAM_TIMES) or bucketed (IDLE_BUCKETS: below / above 100 ms after advance(200)).
min-idle arguments are 0, 100 after a 200 ms advance, or huge.
"""

from __future__ import annotations

import pytest
from harness import advance, mask_regex, masked
from test_streams import IDLE_BUCKETS, MASK_STREAM_TIMES, U64, hello3

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


def xadds(key: str, ids, field: str = "f") -> list:
    return [("c", "XADD", key, sid, field, f"v{sid}") for sid in ids]


def times(client: str, *args):
    return masked(MASK_STREAM_TIMES, client, *args)


def buckets(client: str, *args):
    return masked(IDLE_BUCKETS, client, *args)


FIVE = xadds("s", ["1-0", "2-0", "3-0", "4-0", "5-0"])

# ---------------------------------------------------------------------------------------------
# XGROUP: arity, option parsing and the order of checks
# ---------------------------------------------------------------------------------------------

scenario("xgroup-errors-and-order", [
    ("c", "XGROUP"),
    ("c", "XGROUP", "FOO"),
    ("c", "XGROUP", "FOO", "s", "g"),
    ("c", "XGROUP", "HELP"),
    ("c", "XGROUP", "help"),
    ("c", "XGROUP", "HELP", "x"),
    ("c", "XGROUP", "CREATE", "s", "g"),
    ("c", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "ENTRIESREAD", "1", "x"),
    ("c", "XGROUP", "SETID", "s", "g"),
    ("c", "XGROUP", "SETID", "s", "g", "$", "x"),
    ("c", "XGROUP", "SETID", "nokey", "g", "0", "x"),
    ("c", "XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "5", "x"),
    ("c", "XGROUP", "SETID", "s", "g", "0", "MKSTREAM"),
    ("c", "XGROUP", "SETID", "nokey", "g", "0", "ENTRIESREAD", "x"),
    ("c", "XGROUP", "SETID", "nokey", "g", "0", "ENTRIESREAD", "-5"),
    ("c", "XGROUP", "SETID", "nokey", "g", "0", "FOO", "1"),
    ("c", "XGROUP", "DESTROY", "s"),
    ("c", "XGROUP", "DESTROY", "s", "g", "x"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "c", "x"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "c", "x"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "bad"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "FOO"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "ENTRIESREAD"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "ENTRIESREAD", "x"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "ENTRIESREAD", "-2"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "ENTRIESREAD", "9223372036854775808"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "MKSTREAM", "ENTRIESREAD"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "MKSTREAM", "MKSTREAM", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "$", "ENTRIESREAD", "1", "ENTRIESREAD", "2"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "bad", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "-", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "+", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "nokey", "g", ">", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "nokey", "g", "(1", "MKSTREAM"),
    ("c", "EXISTS", "nokey"),
    ("c", "XGROUP", "DESTROY", "nokey", "g"),
    ("c", "XGROUP", "CREATECONSUMER", "nokey", "g", "c"),
    ("c", "XGROUP", "DELCONSUMER", "nokey", "g", "c"),
    ("c", "SET", "str", "x"),
    ("c", "XGROUP", "CREATE", "str", "g", "$"),
    ("c", "XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "str", "g", "bad", "MKSTREAM"),
    ("c", "XGROUP", "CREATE", "str", "g", "$", "FOO"),
    ("c", "XGROUP", "SETID", "str", "g", "$"),
    ("c", "XGROUP", "DESTROY", "str", "g"),
    ("c", "XGROUP", "CREATECONSUMER", "str", "g", "c"),
    ("c", "XGROUP", "DELCONSUMER", "str", "g", "c"),
    *FIVE,
    ("c", "XGROUP", "SETID", "s", "nog", "$"),
    ("c", "XGROUP", "SETID", "s", "nog", "bad"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "nog", "c"),
    ("c", "XGROUP", "DELCONSUMER", "s", "nog", "c"),
    ("c", "XGROUP", "DESTROY", "s", "nog"),
    ("c", "XGROUP", "CREATE", "s", "g", "bad"),
    ("c", "XGROUP", "CREATE", "s", "g", "$"),
    ("c", "XGROUP", "CREATE", "s", "g", "$"),
    ("c", "XGROUP", "CREATE", "s", "g", "bad"),
    ("c", "XGROUP", "CREATE", "s", "g", "0", "MKSTREAM"),
    ("c", "XGROUP", "SETID", "s", "g", "bad"),
    ("c", "XGROUP", "SETID", "s", "g", "(1"),
    ("c", "XGROUP", "SETID", "s", "g", ">"),
    ("c", "XGROUP", "create", "s", "g2", "0", "mkstream", "entriesread", "3"),
    ("c", "XGROUP", "Create", "s", "g3", "0", "ENTRIESREAD", "-1"),
    ("c", "XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "1", "MKSTREAM"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XGROUP", "DESTROY", "s", "g"),
    ("c", "XGROUP", "DESTROY", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
])

scenario("xgroup-create-and-setid-semantics", [
    ("c", "XGROUP", "CREATE", "e", "g", "$", "MKSTREAM"),
    ("c", "XINFO", "STREAM", "e"),
    ("c", "XINFO", "GROUPS", "e"),
    ("c", "XGROUP", "CREATE", "e2", "g", "7-7", "MKSTREAM", "ENTRIESREAD", "4"),
    ("c", "XINFO", "GROUPS", "e2"),
    ("c", "XINFO", "STREAM", "e2"),
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "beyond", "99-0"),
    ("c", "XGROUP", "CREATE", "s", "dollar", "$"),
    ("c", "XGROUP", "CREATE", "s", "zero", "0"),
    ("c", "XGROUP", "CREATE", "s", "mid", "3"),
    ("c", "XGROUP", "CREATE", "s", "spaces", " 2-0"),
    ("c", "XGROUP", "CREATE", "s", "neg", "0", "ENTRIESREAD", "100"),
    ("c", "XGROUP", "CREATE", "s", "", "0"),
    ("c", "XGROUP", "CREATE", "s", "G", "0"),
    ("c", "XGROUP", "CREATE", "s", "bin\x00\xff", "0"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XGROUP", "SETID", "s", "zero", "-"),
    ("c", "XGROUP", "SETID", "s", "dollar", "+"),
    ("c", "XGROUP", "SETID", "s", "mid", "2"),
    ("c", "XGROUP", "SETID", "s", "beyond", "$", "ENTRIESREAD", "1"),
    ("c", "XGROUP", "SETID", "s", "neg", "0", "ENTRIESREAD", "0"),
    ("c", "XGROUP", "SETID", "s", "spaces", "0", "ENTRIESREAD", "-1"),
    ("c", "XGROUP", "SETID", "s", "", "5-0", "ENTRIESREAD", "5"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "zero", "a", "COUNT", "1", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "dollar", "a", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "mid", "a", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    *[("c", "XGROUP", "CREATE", "o", f"g{i}", "$", "MKSTREAM") for i in (0, 1, 2, 10, 11, 12, 3)],
    ("c", "XINFO", "GROUPS", "o"),
    ("c", "XINFO", "STREAM", "o"),
])

scenario("xgroup-createconsumer-delconsumer", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "alice"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "alice"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", ""),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "Alice"),
    ("c", "XGROUP", "createconsumer", "s", "g", "bob"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "alice"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "alice"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "nobody"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", ""),
    ("c", "XPENDING", "s", "g"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "bob"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XINFO", "STREAM", "s", "FULL"),
])

# ---------------------------------------------------------------------------------------------
# XREADGROUP (non-blocking)
# ---------------------------------------------------------------------------------------------

scenario("xreadgroup-errors", [
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"),
    ("c", "XREADGROUP", "STREAMS", "s", "t", ">", ">"),
    ("c", "XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "BLOCK", "x", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">"),
    *FIVE,
    ("c", "XADD", "t", "1-0", "f", "v"),
    ("c", "SET", "str", "x"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "+"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "-"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "bad"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "(1"),
    ("c", "XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", "$"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", "bad", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", "s", ">", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "s", "bad", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "s", "$", "bad"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "nokey", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "str", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">", "0"),
    ("c", "XINFO", "GROUPS", "s"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("xreadgroup-new-and-history", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "2-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "0", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "-3", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", U64),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XREADGROUP", "GROUP", "g", "x", "GROUP", "g", "dave", "COUNT", "1", "STREAMS", "s",
     ">"),
    ("c", "XREADGROUP", "group", "g", "erin", "count", "5", "count", "1", "streams", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "erin", "COUNT", "0", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "erin", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "frank", "STREAMS", "s", ">"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XADD", "t", "1-0", "f", "t1"),
    ("c", "XADD", "t", "2-0", "f", "t2"),
    ("c", "XGROUP", "CREATE", "t", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "t", "0", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "t", "s", ">", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "t", "s", "0", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "s", ">", "0"),
    ("c", "XADD", "s", "6-0", "f", "v6"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "s", ">", ">"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XINFO", "GROUPS", "t"),
])

scenario("xreadgroup-deleted-entries-in-pel", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XDEL", "s", "2-0", "4-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", "2-0"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XINFO", "STREAM", "s", "FULL"),
    ("c", "XTRIM", "s", "MAXLEN", "1"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XACK", "s", "g", "2-0"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "1-0", "3-0", "5-0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "0"),
    ("c", "XPENDING", "s", "g"),
    hello3("c"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"),
    ("c", "XDEL", "s", "5-0"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"),
])

scenario("xreadgroup-noack", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "NOACK", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XGROUP", "SETID", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "carol", "NOACK", "STREAMS", "s", ">"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", "0"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XREADGROUP", "GROUP", "g", "dave", "NOACK", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "dave", "noack", "noack", "STREAMS", "s", ">"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
])

scenario("setid-rewind-moves-ownership-and-resets-count", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XGROUP", "SETID", "s", "g", "2-0"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "s", ">"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
    times("c", "XINFO", "STREAM", "s", "FULL"),
])

# ---------------------------------------------------------------------------------------------
# XACK
# ---------------------------------------------------------------------------------------------

scenario("xack", [
    ("c", "XACK", "s", "g"),
    ("c", "XACK", "nokey", "g", "bad"),
    ("c", "XACK", "nokey", "g", "1-0"),
    ("c", "SET", "str", "x"),
    ("c", "XACK", "str", "g", "bad"),
    *FIVE,
    ("c", "XACK", "s", "nog", "bad"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XACK", "s", "g", "bad"),
    ("c", "XACK", "s", "g", "1-0", "bad"),
    ("c", "XACK", "s", "g", "-"),
    ("c", "XACK", "s", "g", "+"),
    ("c", "XACK", "s", "g", "(1"),
    ("c", "XACK", "s", "g", "1-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"),
    ("c", "XACK", "s", "g", "1-0", "bad"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XACK", "s", "g", "1-0", "2-0", "9-0", "1-0"),
    ("c", "XACK", "s", "g", "1"),
    ("c", "XACK", "s", "g", "4", " 5-0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XDEL", "s", "3-0"),
    ("c", "XACK", "s", "g", "3-0"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
])

# ---------------------------------------------------------------------------------------------
# XPENDING
# ---------------------------------------------------------------------------------------------

scenario("xpending-errors-in-order", [
    ("c", "XPENDING", "s"),
    ("c", "XPENDING", "nokey", "g"),
    ("c", "XPENDING", "nokey", "g", "-"),
    ("c", "XPENDING", "nokey", "g", "-", "+"),
    ("c", "XPENDING", "nokey", "g", "-", "+", "10", "c", "x", "y", "z"),
    ("c", "XPENDING", "nokey", "g", "IDLE", "10", "-", "+"),
    ("c", "XPENDING", "nokey", "g", "IDLE", "x", "-", "+"),
    ("c", "XPENDING", "nokey", "g", "IDLE", "x", "-", "+", "10"),
    ("c", "XPENDING", "nokey", "g", "IDLE", "-5", "-", "+", "x"),
    ("c", "XPENDING", "nokey", "g", "-", "+", "x"),
    ("c", "XPENDING", "nokey", "g", "bad", "+", "x"),
    ("c", "XPENDING", "nokey", "g", "bad", "+", "10"),
    ("c", "XPENDING", "nokey", "g", "-", "bad", "10"),
    ("c", "XPENDING", "nokey", "g", "(+", "+", "10"),
    ("c", "XPENDING", "nokey", "g", "-", "(-", "10"),
    ("c", "XPENDING", "nokey", "g", f"({U64}-{U64}", "+", "10"),
    ("c", "XPENDING", "nokey", "g", "-", "(0-0", "10"),
    ("c", "XPENDING", "nokey", "g", "$", "+", "10"),
    ("c", "XPENDING", "nokey", "g", "-", "+", "10"),
    ("c", "XPENDING", "nokey", "g", "IDLE", "10", "-", "+", "10", "c"),
    ("c", "SET", "str", "x"),
    ("c", "XPENDING", "str", "g"),
    ("c", "XPENDING", "str", "g", "bad", "+", "10"),
    ("c", "XPENDING", "str", "g", "-", "+", "x"),
    ("c", "XPENDING", "str", "g", "-", "+", "10"),
    *FIVE,
    ("c", "XPENDING", "s", "nog"),
    ("c", "XPENDING", "s", "nog", "-", "+", "10"),
    ("c", "XPENDING", "s", "nog", "bad", "+", "10"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "alice"),
    ("c", "XPENDING", "s", "g", "FOO", "10", "-", "+", "10"),
    ("c", "XPENDING", "s", "g", "IDLE", "10", "-", "+", "10", "alice", "x"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "alice", "x"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "alice", "x", "y"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "alice", "x", "y", "z"),
    hello3("c"),
    ("c", "XPENDING", "s", "g"),
])

scenario("xpending-summary-and-extended", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "", "COUNT", "1", "STREAMS", "s", ">"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "idle-one"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    times("c", "XPENDING", "s", "g", "-", "+", "2"),
    times("c", "XPENDING", "s", "g", "-", "+", "0"),
    times("c", "XPENDING", "s", "g", "-", "+", "-1"),
    times("c", "XPENDING", "s", "g", "-", "+", "9223372036854775807"),
    times("c", "XPENDING", "s", "g", "2", "3", "10"),
    times("c", "XPENDING", "s", "g", "(2", "+", "10"),
    times("c", "XPENDING", "s", "g", "-", "(3", "10"),
    times("c", "XPENDING", "s", "g", "(2-0", "(3-0", "10"),
    times("c", "XPENDING", "s", "g", "+", "-", "10"),
    times("c", "XPENDING", "s", "g", "-", "+", "10", "alice"),
    times("c", "XPENDING", "s", "g", "-", "+", "1", "alice"),
    times("c", "XPENDING", "s", "g", "-", "+", "10", ""),
    times("c", "XPENDING", "s", "g", "-", "+", "10", "idle-one"),
    times("c", "XPENDING", "s", "g", "-", "+", "10", "nobody"),
    times("c", "XPENDING", "s", "g", "IDLE", "0", "-", "+", "10"),
    times("c", "XPENDING", "s", "g", "IDLE", "-7", "-", "+", "10"),
    times("c", "XPENDING", "s", "g", "IDLE", "3600000", "-", "+", "10"),
    times("c", "XPENDING", "s", "g", "idle", "0", "-", "+", "10", "alice"),
    times("c", "XPENDING", "s", "g", "-", "+", "10", "alice", "ignored"),
    ("c", "XACK", "s", "g", "1-0", "2-0", "3-0", "4-0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XPENDING", "s", "g", "-", "+", "10"),
])

scenario("delivery-counts-times-and-idle-filter", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"),
    advance(200),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "1-0"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
    buckets("c", "XPENDING", "s", "g", "IDLE", "100", "-", "+", "10"),
    buckets("c", "XPENDING", "s", "g", "IDLE", "100", "-", "+", "10", "alice"),
    ("c", "XCLAIM", "s", "g", "bob", "100", "1-0", "2-0", "3-0"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XCLAIM", "s", "g", "carol", "100", "1-0", "2-0", "3-0"),
    advance(200),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "100", "0", "JUSTID"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
    advance(200),
    ("c", "XAUTOCLAIM", "s", "g", "dave", "100", "0", "COUNT", "1"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
    buckets("c", "XPENDING", "s", "g", "IDLE", "100", "-", "+", "10"),
    ("c", "XCLAIM", "s", "g", "erin", "100", "1-0", "2-0", "3-0", "JUSTID"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
])

# ---------------------------------------------------------------------------------------------
# XCLAIM
# ---------------------------------------------------------------------------------------------

scenario("xclaim-errors-in-order", [
    ("c", "XCLAIM", "s", "g", "c", "0"),
    ("c", "XCLAIM", "nokey", "g", "c", "x", "bad"),
    ("c", "SET", "str", "x"),
    ("c", "XCLAIM", "str", "g", "c", "x", "bad"),
    *FIVE,
    ("c", "XCLAIM", "s", "nog", "c", "x", "bad"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XCLAIM", "s", "g", "c", "x", "bad"),
    ("c", "XCLAIM", "s", "g", "c", "1.5", "1-0"),
    ("c", "XCLAIM", "s", "g", "c", "0", "bad"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "bad", "2-0"),
    ("c", "XCLAIM", "s", "g", "c", "0", "-"),
    ("c", "XCLAIM", "s", "g", "c", "0", "+"),
    ("c", "XCLAIM", "s", "g", "c", "0", "(1"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "IDLE"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "TIME"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "RETRYCOUNT"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "IDLE", "x"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "TIME", "x"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "RETRYCOUNT", "x"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "x"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "-"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "$"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "FORCE", "FOO"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "JUSTID", "2-0"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "IDLE", "x", "FOO"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "FOO", "IDLE", "x"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "9-0", "FOO"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "9-0"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "2-0"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XCLAIM", "s", "g", "c", "-5", "1-0"),
    ("c", "XCLAIM", "s", "g", "c", "0", "1-0", "\x00"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("xclaim-semantics", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "1-0"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "1-0", "2-0", "1-0", "JUSTID"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "2-0", "RETRYCOUNT", "7"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "2-0", "RETRYCOUNT", "0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "3-0", "RETRYCOUNT", "-4"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XCLAIM", "s", "g", "carol", "0", "4-0"),
    ("c", "XCLAIM", "s", "g", "carol", "0", "4-0", "FORCE"),
    ("c", "XCLAIM", "s", "g", "carol", "0", "5-0", "FORCE", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "carol", "0", "9-0", "FORCE"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XCLAIM", "s", "g", "dave", "3600000", "1-0", "2-0"),
    ("c", "XCLAIM", "s", "g", "dave", "3600000", "1-0", "FORCE"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XCLAIM", "s", "g", "dave", "0", "1-0", "IDLE", "100000000", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "erin", "3600000", "1-0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "erin", "0", "2-0", "TIME", "1000", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "frank", "3600000", "2-0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "frank", "0", "3-0", "TIME", "99999999999999", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "grace", "3600000", "3-0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "frank", "0", "3-0", "IDLE", "-100", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "grace", "3600000", "3-0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "frank", "0", "3-0", "TIME", "-1", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "grace", "3600000", "3-0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "frank", "0", "3-0", "IDLE", "100000000", "TIME", "-1",
     "JUSTID"),
    ("c", "XCLAIM", "s", "g", "grace", "3600000", "3-0", "JUSTID"),
    ("c", "XCLAIM", "s", "g", "frank", "0", "4-0", "TIME", "-1", "IDLE", "100000000",
     "JUSTID"),
    ("c", "XCLAIM", "s", "g", "grace", "3600000", "4-0", "JUSTID"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XDEL", "s", "4-0"),
    ("c", "XCLAIM", "s", "g", "heidi", "0", "4-0", "5-0", "FORCE"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XCLAIM", "s", "g", "heidi", "0", "4-0", "FORCE"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XCLAIM", "s", "g", "heidi", "0", "1-0", "LASTID", "3-0"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XCLAIM", "s", "g", "heidi", "0", "1-0", "LASTID", "7-0", "JUSTID"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "heidi", "STREAMS", "s", ">"),
    ("c", "XADD", "s", "8-0", "f", "v8"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "heidi", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    times("c", "XINFO", "STREAM", "s", "FULL"),
])

# ---------------------------------------------------------------------------------------------
# XAUTOCLAIM
# ---------------------------------------------------------------------------------------------

scenario("xautoclaim-errors-in-order", [
    ("c", "XAUTOCLAIM", "s", "g", "c", "0"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "x", "bad"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "1.5", "0"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "bad"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "$"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "(+"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "("),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", f"({U64}-{U64}"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "0"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "-1"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "x"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "576460752303423488"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "576460752303423487"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "FOO"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "JUSTID", "JUSTID", "FOO"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "0", "FOO"),
    ("c", "XAUTOCLAIM", "nokey", "g", "c", "0", "0"),
    ("c", "SET", "str", "x"),
    ("c", "XAUTOCLAIM", "str", "g", "c", "0", "0"),
    ("c", "XAUTOCLAIM", "str", "g", "c", "0", "0", "FOO"),
    *FIVE,
    ("c", "XAUTOCLAIM", "s", "nog", "c", "0", "0"),
    ("c", "XAUTOCLAIM", "s", "nog", "c", "0", "0", "COUNT", "576460752303423487"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "0", "0"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "576460752303423487"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "100000000000000"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "10000000000"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "-5", "-", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "0", "+"),
    ("c", "XAUTOCLAIM", "s", "g", "c", "0", "(0"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("xautoclaim-semantics", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "2"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "3-0", "COUNT", "2", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "(3-0"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "5"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "(5"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XDEL", "s", "3-0", "4-0"),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "3600000", "3-0", "COUNT", "2"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XDEL", "s", "1-0"),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "0", "-", "COUNT", "1"),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "0", "-", "COUNT", "1", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "0", "-", "JUSTID", "COUNT", "5"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XPENDING", "s", "g"),
    hello3("c"),
    ("c", "XAUTOCLAIM", "s", "g", "dave", "0", "-"),
    ("c", "XAUTOCLAIM", "s", "g", "dave", "0", "-", "JUSTID"),
])

scenario("xautoclaim-cursor-after-attempts", [
    *xadds("s", [f"{i}-0" for i in range(1, 31)]),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XCLAIM", "s", "g", "alice", "0", "26-0", "27-0", "28-0", "29-0", "30-0", "IDLE",
     "100000000", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "1"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "2"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "3", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "29-0", "COUNT", "3", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "3", "JUSTID"),
    ("c", "XDEL", "s", "5-0", "6-0", "7-0"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "1"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "2"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "3600000", "0", "COUNT", "1"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "25-0", "COUNT", "1"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "25-0", "COUNT", "3", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "0", "26-0", "COUNT", "4", "JUSTID"),
    times("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "0"),
])

# ---------------------------------------------------------------------------------------------
# Consumer creation and seen-time (7.0 rules, reference section 4.3)
# ---------------------------------------------------------------------------------------------

scenario("consumer-creation-rules-7-0", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "$"),
    ("c", "XREADGROUP", "GROUP", "g", "nothing-new", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "noack-nothing", "NOACK", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "history", "STREAMS", "s", "0"),
    ("c", "XCLAIM", "s", "g", "claims-nothing", "0", "1-0"),
    ("c", "XCLAIM", "s", "g", "claims-nothing", "0", "99-0", "FORCE"),
    ("c", "XAUTOCLAIM", "s", "g", "autoclaims-nothing", "0", "0"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "filter"),
    ("c", "XACK", "s", "g", "1-0"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "deleted"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XCLAIM", "s", "g", "forced", "0", "2-0", "FORCE", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "auto", "0", "0", "JUSTID"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("consumer-seen-time-refresh-rules-7-0", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g", "$"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "alice"),
    advance(200),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "alice"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "alice"),
    ("c", "XCLAIM", "s", "g", "alice", "0", "1-0"),
    ("c", "XAUTOCLAIM", "s", "g", "alice", "0", "0"),
    ("c", "XACK", "s", "g", "1-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "NOACK", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XINFO", "STREAM", "s"),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "bob"),
    advance(200),
    ("c", "XADD", "s", "6-0", "f", "v6"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    advance(200),
    ("c", "XCLAIM", "s", "g", "alice", "100", "6-0"),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    advance(200),
    ("c", "XAUTOCLAIM", "s", "g", "bob", "100", "0"),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    advance(200),
    ("c", "XAUTOCLAIM", "s", "g", "alice", "3600000", "0"),
    ("c", "XCLAIM", "s", "g", "alice", "3600000", "6-0"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "nobody"),
    buckets("c", "XINFO", "CONSUMERS", "s", "g"),
    buckets("c", "XPENDING", "s", "g", "-", "+", "10"),
])

# ---------------------------------------------------------------------------------------------
# entries-read and lag: the reference's verified walk-through (section 4.4), step by step
# ---------------------------------------------------------------------------------------------

_GROUPS = ("c", "XINFO", "GROUPS", "s")
#: An ID generated by '*' from the wall clock (13-digit ms) on a stream whose last ID is low.
NOW_ID = mask_regex(rb"^\d{13}-0$", "<now>-0")
_STREAM = ("c", "XINFO", "STREAM", "s")

scenario("lag-walkthrough-section-4-4", [
    *FIVE,
    ("c", "XGROUP", "CREATE", "s", "g0", "0"),
    ("c", "XGROUP", "CREATE", "s", "gE", "$"),
    ("c", "XGROUP", "CREATE", "s", "gM", "3-0"),
    _GROUPS,                                                            # after create
    ("c", "XREADGROUP", "GROUP", "g0", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,                                                            # g0 reads 1-0
    ("c", "XDEL", "s", "4-0"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "g0", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,                                                            # g0 reads 2-0
    ("c", "XREADGROUP", "GROUP", "g0", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,                                                            # g0 reads 3-0
    ("c", "XREADGROUP", "GROUP", "gM", "c", "STREAMS", "s", ">"),
    _GROUPS,                                                            # gM gets 5-0
    ("c", "XREADGROUP", "GROUP", "g0", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,                                                            # g0 reads 5-0
    ("c", "XADD", "s", "6-0", "f", "v6"),
    _GROUPS,
    ("c", "XDEL", "s", "1-0"),
    _GROUPS,
    ("c", "XDEL", "s", "6-0"),
    _GROUPS,
    ("c", "XADD", "s", "7-0", "f", "v7"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "g0", "c", "STREAMS", "s", ">"),
    _GROUPS,                                                            # 7.0: lag 1
    ("c", "XTRIM", "s", "MAXLEN", "1"),
    _GROUPS,
    _STREAM,
    ("c", "XDEL", "s", "7-0"),
    _GROUPS,
    ("c", "XADD", "s", "8-0", "f", "v8"),
    _GROUPS,
    ("c", "XSETID", "s", "8-0", "ENTRIESADDED", "20", "MAXDELETEDID", "8-0"),
    _GROUPS,
    ("c", "XDEL", "s", "8-0"),
    _GROUPS,
    ("c", "XSETID", "s", "1-0"),
    _GROUPS,
    ("c", "XSETID", "s", "0-0", "ENTRIESADDED", "0", "MAXDELETEDID", "0-0"),
    _GROUPS,
    _STREAM,
    masked(NOW_ID, "c", "XADD", "s", "*", "f", "now"),
    _GROUPS,                                                            # lag -5, 1, -4
    masked(NOW_ID, "c", "XREADGROUP", "GROUP", "g0", "c", "STREAMS", "s", ">"),
    masked(NOW_ID, "c", "XREADGROUP", "GROUP", "gE", "c", "STREAMS", "s", ">"),
    masked(NOW_ID, *_GROUPS),
    masked((NOW_ID, MASK_STREAM_TIMES), "c", "XINFO", "STREAM", "s", "FULL"),
])

scenario("lag-setid-and-entriesread", [
    *xadds("s", ["1-0", "2-0", "3-0"]),
    ("c", "XGROUP", "CREATE", "s", "g", "$"),
    ("c", "XGROUP", "SETID", "s", "g", "0"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "1"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "g", "2-0"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "g", "-"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "g", "+"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "g", "99-0", "ENTRIESREAD", "3"),
    _GROUPS,
    ("c", "XGROUP", "CREATE", "s", "big", "0", "ENTRIESREAD", "100"),
    ("c", "XGROUP", "CREATE", "s", "mid", "2-0", "ENTRIESREAD", "2"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "mid", "c", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "big", "c", "STREAMS", "s", ">"),
    _GROUPS,
    ("c", "XSETID", "s", "3-0", "ENTRIESADDED", "3"),
    ("c", "XSETID", "s", "3-0", "ENTRIESADDED", "50"),
    _GROUPS,
    ("c", "XDEL", "s", "2-0"),
    _GROUPS,
    ("c", "XGROUP", "SETID", "s", "mid", "1-0", "ENTRIESREAD", "1"),
    ("c", "XREADGROUP", "GROUP", "mid", "c", "COUNT", "1", "STREAMS", "s", ">"),
    _GROUPS,
    ("c", "XADD", "s", "10-0", "f", "v"),
    ("c", "XGROUP", "CREATE", "s", "last", "10-0"),
    ("c", "XGROUP", "CREATE", "s", "first", "1-0"),
    ("c", "XGROUP", "CREATE", "s", "before", "0-5"),
    _GROUPS,
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    _GROUPS,
    _STREAM,
])

scenario("lag-mkstream-and-empty", [
    ("c", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    ("c", "XADD", "s", "1-1", "f", "v"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    _GROUPS,
    ("c", "XADD", "s", "MAXLEN", "0", "2-1", "f", "v"),
    _GROUPS,
    ("c", "XGROUP", "CREATE", "s", "h", "0"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "h", "c", "STREAMS", "s", ">"),
    ("c", "XADD", "s", "3-1", "f", "v"),
    ("c", "XADD", "s", "4-1", "f", "v"),
    ("c", "XDEL", "s", "3-1"),
    _GROUPS,
    ("c", "XREADGROUP", "GROUP", "h", "c", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    _GROUPS,
    times("c", "XINFO", "STREAM", "s", "FULL"),
])


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_stream_groups(conformance, name):
    conformance.run(SCENARIOS[name], name=name)


#: The reference's table (section 4.4): after each step, lag of g0, gE, gM (None = nil).
LAG_TABLE = [
    ("after create", (5, 0, None)),
    ("g0 reads 1-0", (4, 0, None)),
    ("XDEL 4-0", (None, 0, None)),
    ("g0 reads 2-0", (None, 0, None)),
    ("g0 reads 3-0", (None, 0, None)),
    ("gM reads 5-0", (None, 0, 0)),
    ("g0 reads 5-0", (0, 0, 0)),
    ("XADD 6-0", (1, None, 1)),
    ("XDEL 1-0", (1, None, 1)),
    ("XDEL 6-0", (None, None, None)),
    ("XADD 7-0", (None, None, None)),
    ("g0 reads 7-0", (1, None, None)),
    ("XTRIM MAXLEN 1", (1, 1, 2)),
    ("XDEL 7-0", (1, 0, 2)),
    ("XADD 8-0", (2, 1, 3)),
    ("XSETID 8-0 ENTRIESADDED 20 MAXDELETEDID 8-0", (None, None, None)),
    ("XDEL 8-0", (14, 0, 15)),
    ("XSETID 1-0", (14, None, 15)),
    ("XSETID 0-0 ENTRIESADDED 0 MAXDELETEDID 0-0", (0, 0, 0)),
    ("XADD *", (-5, 1, -4)),
]


def test_lag_walkthrough_matches_the_reference_table(engine_factory):
    """The scenario above, on the engine alone, against the numbers the reference documents."""
    from harness import parse_frames

    steps = SCENARIOS["lag-walkthrough-section-4-4"]
    client = engine_factory().client("c")
    lags = []
    for step in steps:
        args = step.args if hasattr(step, "args") else step[1:]
        raw = client.call(*args)
        if tuple(args) == (b"XINFO", b"GROUPS", b"s") or tuple(args) == _GROUPS[1:]:
            groups = parse_frames(raw)[0][1]
            row = []
            for group in groups:
                fields = {group[1][i][1]: group[1][i + 1] for i in range(0, len(group[1]), 2)}
                row.append(fields[b"lag"][1])
            lags.append(tuple(row))
    assert lags[:len(LAG_TABLE)] == [lag for _, lag in LAG_TABLE]

"""The hot paths' shortcuts, differentially against redis-server 7.0.

The group cycle and trimming take shortcuts for their common shapes (issue 18): XREADGROUP
``GROUP g c COUNT n STREAMS key >`` skips the general option loop, XACK removes a delivered run
by comparing the PEL's columns, XPENDING ``start end count`` cuts its rows from them, exact
MAXLEN trims skip a node's deleted head with byte searches, appends compute the exact listpack
size only near stream-node-max-bytes, and bare millisecond IDs skip the general ID parser. Each
scenario walks the edges of one shortcut (the shapes it must hand back to the general path,
runs that are not runs, windows across PEL chunks, deleted entries) so a shortcut can never
answer differently from the server.
"""

from __future__ import annotations

import pytest
from harness import advance, masked
from test_streams import MASK_STREAM_TIMES, hello3

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


def xadds(key: str, first: int, last: int, field: str = "f") -> list:
    return [("c", "XADD", key, f"{i}-0", field, f"v{i}") for i in range(first, last + 1)]


def times(client: str, *args):
    return masked(MASK_STREAM_TIMES, client, *args)


scenario("hot-xreadgroup-shapes", [
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "nokey", ">"),
    ("c", "SET", "str", "x"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "str", ">"),
    *xadds("s", 1, 8),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "nog", "c1", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "abc", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", "0"),
    ("c", "xreadgroup", "group", "g", "c1", "count", "2", "streams", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c2", "COUNT", "-1", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c2", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c2", "BLOCKS", "2", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XDEL", "s", "9-0"),
    *xadds("s", 9, 14),
    ("c", "XDEL", "s", "11-0", "12-0"),
    ("c", "XREADGROUP", "GROUP", "g", "c3", "COUNT", "3", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "c3", "COUNT", "0", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    # Back to the start: pending entries are handed out again, to their new reader.
    ("c", "XGROUP", "SETID", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c4", "COUNT", "5", "STREAMS", "s", ">"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XPENDING", "s", "g", "-", "+", "20"),
    times("c", "XPENDING", "s", "g", "-", "+", "20", "c1"),
    times("c", "XPENDING", "s", "g", "-", "+", "20", "c4"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "10", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c4", "COUNT", "10", "STREAMS", "s", "0"),
    times("c", "XINFO", "STREAM", "s", "FULL"),
])

scenario("hot-xack-runs", [
    *xadds("s", 1, 20),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "5", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c2", "COUNT", "5", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "10", "STREAMS", "s", ">"),
    ("c", "XACK", "s", "g", "3-0", "2-0", "1-0"),
    ("c", "XACK", "s", "g", "4-0", "4-0", "5-0"),
    ("c", "XACK", "s", "g", "6-0", "7-0", "8-0", "9-0", "10-0", "11-0", "12-0"),
    ("c", "XACK", "s", "g", "13-0", "bad", "14-0"),
    ("c", "XACK", "s", "g", "13-0", "14-0", "18446744073709551616-0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XACK", "s", "g", "13", "014-0"),
    ("c", "XACK", "s", "g", "15-0", "16-0", "99-0"),
    ("c", "XACK", "s", "g", "1-0"),
    ("c", "XACK", "s", "nog", "17-0"),
    ("c", "XACK", "nokey", "g", "17-0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XACK", "s", "g", "20-0", "19-0", "18-0", "17-0"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "5", "STREAMS", "s", ">"),
])

# XACK of exactly the text of the group's latest delivery takes its IDs from that delivery;
# anything else (a subset, another order, two IDs in one argument, a second group) is parsed.
scenario("hot-xack-latest-delivery", [
    *xadds("s", 1, 12),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XGROUP", "CREATE", "s", "h", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "3", "STREAMS", "s", ">"),
    ("c", "XACK", "s", "g", "1-0 2-0", "3-0"),
    ("c", "XACK", "s", "g", "1-0", "2-0 3-0"),
    ("c", "XACK", "s", "h", "1-0", "2-0", "3-0"),
    ("c", "XACK", "s", "g", "1-0", "2-0", "3-0"),
    ("c", "XACK", "s", "g", "1-0", "2-0", "3-0"),
    ("c", "XREADGROUP", "GROUP", "g", "c2", "COUNT", "4", "STREAMS", "s", ">"),
    ("c", "XACK", "s", "g", "5-0", "6-0"),
    ("c", "XACK", "s", "g", "4-0", "5-0", "6-0", "7-0"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "h", "c1", "COUNT", "5", "STREAMS", "s", ">"),
    ("c", "XACK", "s", "g", "8-0", "9-0"),
    ("c", "XACK", "s", "h", "5-0", "4-0", "3-0", "2-0", "1-0"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XPENDING", "s", "h"),
])

# 600 pending entries, handed out 250 + 350 at once: the PEL is cut into chunks, and the windows
# below start before, at and across their edges.
scenario("hot-xpending-windows", [
    *xadds("s", 1, 600),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c1", "COUNT", "250", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c2", "COUNT", "350", "STREAMS", "s", ">"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    *[times("c", "XPENDING", "s", "g", f"{start}-0", "+", "12")
      for start in (245, 250, 251, 295, 300, 301, 590)],
    times("c", "XPENDING", "s", "g", "(295-0", "(305-0", "100"),
    times("c", "XPENDING", "s", "g", "299", "301", "100"),
    times("c", "XPENDING", "s", "g", "600-0", "600-0", "1"),
    ("c", "XPENDING", "s", "g", "601-0", "+", "10"),
    ("c", "XPENDING", "s", "g", "-", "+", "0"),
    times("c", "XPENDING", "s", "g", "-", "+", "1000"),
    ("c", "XACK", "s", "g", *[f"{i}-0" for i in range(240, 320)]),
    times("c", "XPENDING", "s", "g", "235-0", "+", "10"),
    times("c", "XPENDING", "s", "g", "-", "+", "10", "c2"),
    ("c", "XPENDING", "s", "g"),
    advance(200),
    ("c", "XCLAIM", "s", "g", "c3", "100", "1-0", "2-0", "600-0", "JUSTID"),
    times("c", "XPENDING", "s", "g", "IDLE", "100", "-", "+", "5"),
    times("c", "XPENDING", "s", "g", "-", "+", "3"),
    times("c", "XPENDING", "s", "g", "590-0", "+", "20"),
    ("c", "XPENDING", "s", "g"),
    ("c", "XGROUP", "DELCONSUMER", "s", "g", "c2"),
    ("c", "XPENDING", "s", "g"),
    times("c", "XPENDING", "s", "g", "595-0", "+", "10"),
    times("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "5"),
])

# XPENDING key group - + count takes a shortcut past the general bound parsing, and writes its
# rows straight from the PEL; XREAD/XREADGROUP of one stream answer one pre-encoded reply, in
# RESP2 and RESP3; XACK matches the reply's own ID texts (a delivery across a deleted entry too).
scenario("hot-xpending-dash-plus-and-one-stream-replies", [
    ("c", "XPENDING", "nokey", "g", "-", "+", "10"),
    ("c", "SET", "str", "x"),
    ("c", "XPENDING", "str", "g", "-", "+", "10"),
    *xadds("s", 1, 9),
    ("c", "XPENDING", "s", "nog", "-", "+", "10"),
    ("c", "XPENDING", "s", "nog", "-", "+", "abc"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XDEL", "s", "3-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "4", "STREAMS", "s", ">"),
    ("c", "XACK", "s", "g", "1-0", "2-0", "4-0", "5-0"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "3", "STREAMS", "s", ">"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g", "-", "+", "abc"),
    ("c", "XPENDING", "s", "g", "-", "+", "-3"),
    ("c", "XPENDING", "s", "g", "-", "+", "0"),
    ("c", "XPENDING", "s", "g", "-", "+", "99999999999999999999"),
    times("c", "XPENDING", "s", "g", "-", "+", "1"),
    times("c", "XPENDING", "s", "g", "-", "+", "2", "bob"),
    ("c", "XREAD", "COUNT", "2", "STREAMS", "s", "0"),
    ("c", "XREAD", "COUNT", "2", "STREAMS", "s", "str", "0", "0"),
    ("c", "XREAD", "STREAMS", "s", "s", "7", "8"),
    hello3("c"),
    ("c", "XREAD", "COUNT", "2", "STREAMS", "s", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "carol", "COUNT", "5", "STREAMS", "s", ">"),
    *xadds("s", 10, 11),
    ("c", "XREADGROUP", "GROUP", "g", "carol", "COUNT", "5", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "bob", "COUNT", "5", "STREAMS", "s", "0"),
    ("c", "XACK", "s", "g", "10-0", "11-0"),
    times("c", "XPENDING", "s", "g", "-", "+", "10"),
])

# Exact MAXLEN trims flag entries inside the head node, skipping those XDEL already flagged.
scenario("hot-exact-trim-after-xdel", [
    *xadds("s", 1, 250),
    ("c", "XDEL", "s", "1-0", "2-0", "5-0", "101-0", "150-0"),
    ("c", "XTRIM", "s", "MAXLEN", "240"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "3"),
    ("c", "XTRIM", "s", "MAXLEN", "200"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "s", "MAXLEN", "150", "251-0", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "~", "50", "252-0", "f", "v"),
    ("c", "XLEN", "s"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "2"),
])

# Values of a few kilobytes: nodes split by stream-node-max-bytes (4096), not by entry count.
scenario("hot-node-byte-limit", [
    *[("c", "XADD", "s", f"{i}-0", "f", "x" * size)
      for i, size in enumerate([1000, 1000, 1000, 950, 10, 3000, 4000, 20, 60, 61, 62, 5000], 1)],
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "s", "MAXLEN", "~", "3", "13-0", "other", "1", "fields", "2"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XLEN", "s"),
])

scenario("hot-bare-millisecond-ids", [
    *xadds("s", 1, 12),
    ("c", "XRANGE", "s", "5", "+", "COUNT", "3"),
    ("c", "XRANGE", "s", "-", "5"),
    ("c", "XRANGE", "s", "005", "007"),
    ("c", "XRANGE", "s", "(5", "+", "COUNT", "2"),
    ("c", "XREVRANGE", "s", "+", "10", "COUNT", "2"),
    ("c", "XRANGE", "s", "18446744073709551615", "+"),
    ("c", "XRANGE", "s", "18446744073709551616", "+"),
    ("c", "XRANGE", "s", "99999999999999999999", "+"),
    ("c", "XRANGE", "s", "+", "-"),
    ("c", "XADD", "s", "13", "f", "v"),
    ("c", "XDEL", "s", "3"),
    ("c", "XRANGE", "s", "2", "4"),
])


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_stream_hotpath(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

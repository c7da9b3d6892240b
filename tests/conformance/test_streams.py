"""Stream commands without consumer groups, differentially against redis-server 7.0.

XADD (options in any order, every error in Redis's evaluation order, ID generation with '*' and
'ms-*', sequence exhaustion), ID parsing oddities (" 10-1", "+11-1", "012-1", "1--0", max IDs,
overflow, the 127-byte limit, NUL bytes), XTRIM argument errors, XDEL, XLEN, XSETID (its order of
checks and its 7.0 quirks), XRANGE / XREVRANGE (exclusive and incomplete bounds, COUNT),
non-blocking XREAD (parse errors, '$', several keys), XINFO STREAM (every field, FULL, errors),
WRONGTYPE everywhere, and RESP3 (HELLO 3) variants.

Wall-clock values are made deterministic: '*' IDs are only generated on streams whose last ID
lies in the far future (e.g. 99999999999999-0), so both sides produce last-id + 1.

The time masks shared by the other stream scenario files live here too.
"""

from __future__ import annotations

import pytest
from harness import MASK_HELLO, mask_field_after, masked

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


# ---------------------------------------------------------------------------------------------
# Masks for wall-time values (shared with the other test_stream_* files)
# ---------------------------------------------------------------------------------------------

def _walk(frame, fn):
    kind, payload = frame
    if kind in "*>~%|" and payload is not None:
        frame = (kind, [_walk(f, fn) for f in payload])
    return fn(frame)


def _is_int(frame) -> bool:
    return frame[0] == ":"


def _is_bulk(frame) -> bool:
    return frame[0] == "$" and frame[1] is not None


def _mask_pending_rows(frame):
    """[id, consumer, idle-or-time, count] and [id, time, count] rows: the time becomes 0."""
    kind, payload = frame
    if kind != "*" or payload is None:
        return frame
    if (len(payload) == 4 and _is_bulk(payload[0]) and _is_bulk(payload[1])
            and _is_int(payload[2]) and _is_int(payload[3])):
        return (kind, [payload[0], payload[1], (":", 0), payload[3]])
    if (len(payload) == 3 and _is_bulk(payload[0]) and _is_int(payload[1])
            and _is_int(payload[2]) and b"-" in payload[0][1]):
        return (kind, [payload[0], (":", 0), payload[2]])
    return frame


_mask_seen = mask_field_after(b"seen-time")
_mask_idle = mask_field_after(b"idle")


def MASK_STREAM_TIMES(frames: list) -> list:
    """XPENDING idle, XINFO CONSUMERS idle, XINFO STREAM FULL seen-time and delivery times."""
    frames = [_walk(f, _mask_pending_rows) for f in frames]
    return _mask_idle(_mask_seen(frames))


def _bucket(value: int) -> int:
    return 0 if value < 100 else 1


def _bucket_pending_rows(frame):
    kind, payload = frame
    if (kind == "*" and payload is not None and len(payload) == 4 and _is_bulk(payload[0])
            and _is_bulk(payload[1]) and _is_int(payload[2]) and _is_int(payload[3])):
        return (kind, [payload[0], payload[1], (":", _bucket(payload[2][1])), payload[3]])
    return frame


def _bucket_idle(frame):
    kind, payload = frame
    if kind in "*%" and payload is not None:
        items = list(payload)
        for i in range(0, len(items) - 1, 2):
            if items[i] in (("$", b"idle"), ("+", b"idle")) and _is_int(items[i + 1]):
                items[i + 1] = (":", _bucket(items[i + 1][1]))
        return (kind, items)
    return frame


def IDLE_BUCKETS(frames: list) -> list:
    """Idle times (XPENDING rows, XINFO CONSUMERS) become 0 below 100 ms and 1 from 100 ms.

    Scenarios that advance the clock by 200 ms can then tell "refreshed" from "not refreshed"
    although the server's wall clock runs a few milliseconds longer than the engine's.
    """
    return [_walk(_walk(f, _bucket_pending_rows), _bucket_idle) for f in frames]


def hello3(client: str):
    return masked(MASK_HELLO, client, "HELLO", "3")


FAR = "99999999999999"        # a far-future ms: '*' after it gives FAR-1, FAR-2, ...
U64 = "18446744073709551615"
U64_1 = "18446744073709551614"


# ---------------------------------------------------------------------------------------------
# ID parsing
# ---------------------------------------------------------------------------------------------

scenario("id-parsing-oddities-xadd", [
    ("c", "XADD", "s", " 10-1", "f", "v"),
    ("c", "XADD", "s", "+11-1", "f", "v"),
    ("c", "XADD", "s", "012-1", "f", "v"),
    ("c", "XADD", "s", "13-+5", "f", "v"),
    ("c", "XADD", "s", "14- 5", "f", "v"),
    ("c", "XADD", "s", "15--0", "f", "v"),
    ("c", "XADD", "s", "16-0005", "f", "v"),
    ("c", "XADD", "s", "17-\t7", "f", "v"),
    ("c", "XADD", "s", "18- -5", "f", "v"),
    ("c", "XADD", "s", "\t 19", "f", "v"),
    ("c", "XADD", "s", "20-1 ", "f", "v"),
    ("c", "XADD", "s", "21 -1", "f", "v"),
    ("c", "XADD", "s", "-0", "f", "v"),
    ("c", "XADD", "s", "-1", "f", "v"),
    ("c", "XADD", "s", "22--5", "f", "v"),
    ("c", "XADD", "s", "1-2-3", "f", "v"),
    ("c", "XADD", "s", "1.5", "f", "v"),
    ("c", "XADD", "s", "0x10", "f", "v"),
    ("c", "XADD", "s", "abc", "f", "v"),
    ("c", "XADD", "s", "", "f", "v"),
    ("c", "XADD", "s", "30-", "f", "v"),
    ("c", "XADD", "s", "-30", "f", "v"),
    ("c", "XADD", "s", "31-+-5", "f", "v"),
    ("c", "XADD", "s", "32-++5", "f", "v"),
    ("c", "XADD", "s", "33-1e3", "f", "v"),
    ("c", "XADD", "s", "34-*", "f", "v"),
    ("c", "XADD", "s", "35-**", "f", "v"),
    ("c", "XADD", "s", "*-1", "f", "v"),
    ("c", "XADD", "s", "*-*", "f", "v"),
    ("c", "XADD", "s", "36-* ", "f", "v"),
    ("c", "XADD", "s", "0" * 120 + "40-1", "f", "v"),
    ("c", "XADD", "s", "0" * 123 + "41-1", "f", "v"),
    ("c", "XADD", "s", "0" * 124 + "42-1", "f", "v"),
    ("c", "XADD", "s", "50-1\x00junk", "f", "v"),
    ("c", "XADD", "s", "51\x00-9", "f", "v"),
    ("c", "XADD", "s", "\x00", "f", "v"),
    ("c", "XADD", "s", "60-18446744073709551616", "f", "v"),
    ("c", "XADD", "s", "18446744073709551616-0", "f", "v"),
    ("c", "XADD", "s", "60-99999999999999999999999", "f", "v"),
    ("c", "XADD", "s", "9223372036854775808-1", "f", "v"),
    ("c", "XADD", "s", "9223372036854775809-*", "f", "v"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XLEN", "s"),
])

scenario("id-max-values", [
    ("c", "XADD", "s", f"{U64}-{U64_1}", "f", "v"),
    ("c", "XADD", "s", f"{U64}-{U64}", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", f"{U64}-*", "f", "v"),
    ("c", "XRANGE", "s", U64, "+"),
    ("c", "XRANGE", "s", f"({U64}-{U64_1}", "+"),
    ("c", "XRANGE", "s", f"({U64}-{U64}", "+"),
    ("c", "XRANGE", "s", "-", f"({U64}"),
    ("c", "XRANGE", "s", "-", "(0-0"),
    ("c", "XRANGE", "s", "-", "(0"),
    ("c", "XREVRANGE", "s", "+", f"({U64}-{U64_1}"),
    ("c", "XREVRANGE", "s", "(0-0", "-"),
    ("c", "XREVRANGE", "s", "+", f"({U64}-{U64}"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XLEN", "s"),
])

scenario("id-generation-star", [
    ("c", "XADD", "s", f"{FAR}-0", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}-*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}1-*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}1-*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}-*", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}2-{U64_1}", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}3-{U64}", "f", "v"),
    ("c", "XADD", "s", f"{FAR}3-*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}4-*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}4-{U64}", "f", "v"),
    ("c", "XADD", "s", f"{FAR}4-*", "f", "v"),
    ("c", "XADD", "s", f"{FAR}3-1", "f", "v"),
    ("c", "XADD", "s", f"{FAR}4-{U64}", "f", "v"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XINFO", "STREAM", "s"),
])

scenario("id-generation-ms-star-new-stream", [
    ("c", "XADD", "a", "0-*", "f", "v"),
    ("c", "XADD", "a", "0-*", "f", "v"),
    ("c", "XADD", "b", "5-*", "f", "v"),
    ("c", "XADD", "b", "5-*", "f", "v"),
    ("c", "XADD", "b", "4-*", "f", "v"),
    ("c", "XADD", "b", "6-*", "f", "v"),
    ("c", "XADD", "c0", "0-0", "f", "v"),
    ("c", "XADD", "c0", "0", "f", "v"),
    ("c", "XADD", "c0", "0-1", "f", "v"),
    ("c", "XADD", "c0", "0-1", "f", "v"),
    ("c", "XADD", "c0", "0-0", "f", "v"),
    ("c", "EXISTS", "a", "b", "c0"),
    ("c", "XRANGE", "a", "-", "+"),
    ("c", "XRANGE", "b", "-", "+"),
])

scenario("id-generation-exhaustion", [
    ("c", "XADD", "s", f"{U64}-{U64_1}", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", f"{U64}-*", "f", "v"),
    ("c", "XADD", "s", f"{U64}-{U64}", "f", "v"),
    ("c", "XADD", "s", "1-1", "f", "v"),
    ("c", "XADD", "s", "NOMKSTREAM", "*", "f", "v"),
    ("c", "XDEL", "s", f"{U64}-{U64}"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "0", "*", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "t", f"{FAR}-{U64}", "f", "v"),
    ("c", "XADD", "t", "*", "f", "v"),
    ("c", "XADD", "t", f"{FAR}-*", "f", "v"),
    ("c", "XADD", "t", f"{FAR}1-*", "f", "v"),
    ("c", "XRANGE", "t", "-", "+"),
])

scenario("id-star-after-delete-and-trim", [
    ("c", "XADD", "s", f"{FAR}-0", "f", "v"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XDEL", "s", f"{FAR}-1"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
])

# ---------------------------------------------------------------------------------------------
# XADD: options and the order of its errors
# ---------------------------------------------------------------------------------------------

scenario("xadd-error-order", [
    ("c", "XADD", "s", "*", "f"),
    ("c", "XADD", "s", "*"),
    ("c", "XADD", "s"),
    ("c", "XADD", "s", "MAXLEN", "10", "MAXLEN", "5", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "10", "MINID", "5", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "5", "MAXLEN", "10", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "5", "MINID", "5", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "x", "MAXLEN", "5", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "-1", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "~", "-1", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "1.5", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "9223372036854775808", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "bad", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "-", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "+", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "(5", "*", "f", "v"),
    ("c", "XADD", "s", "MINID", "5-*", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "5", "LIMIT", "x", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "5", "LIMIT", "-1", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "~", "5", "LIMIT", "-1", "*", "f", "v"),
    ("c", "XADD", "s", "LIMIT", "-1", "MAXLEN", "x", "*", "f", "v"),
    ("c", "XADD", "s", "LIMIT", "5", "*", "f", "v"),
    ("c", "XADD", "s", "LIMIT", "0", "*", "f", "v"),
    ("c", "XADD", "s", "LIMIT", "5", "bad", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "5", "LIMIT", "5", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "=", "5", "LIMIT", "5", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "5", "LIMIT", "0", "*", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "5", "LIMIT", "5", "bad", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "5", "LIMIT", "5", "*", "f"),
    ("c", "XADD", "s", "MAXLEN", "~", "5", "LIMIT", "5", "5-1", "f"),
    ("c", "XADD", "s", "MAXLEN", "~", "5", "LIMIT", "5", "0-0", "f"),
    ("c", "XADD", "s", "MAXLEN", "~", "5", "LIMIT", "5", "0-0", "f", "v"),
    ("c", "XADD", "s", "FOO", "*", "f", "v"),
    ("c", "XADD", "s", "-", "f", "v"),
    ("c", "XADD", "s", "+", "f", "v"),
    ("c", "XADD", "s", "$", "f", "v"),
    ("c", "XADD", "s", ">", "f", "v"),
    ("c", "XADD", "s", "(1", "f", "v"),
    ("c", "XADD", "s", "0-0", "f", "v"),
    ("c", "XADD", "s", "0", "f", "v"),
    ("c", "XADD", "s", "0-*", "f"),
    ("c", "EXISTS", "s"),
    ("c", "SET", "str", "x"),
    ("c", "XADD", "str", "0-0", "f", "v"),
    ("c", "XADD", "str", "*", "f", "v"),
    ("c", "XADD", "str", "NOMKSTREAM", "*", "f", "v"),
    ("c", "XADD", "str", "MAXLEN", "bad", "*", "f", "v"),
    ("c", "XADD", "str", "1-1", "f"),
    ("c", "XADD", "s", "NOMKSTREAM", "*", "f", "v"),
    ("c", "XADD", "s", "NOMKSTREAM", "NOMKSTREAM", "5-1", "f", "v"),
    ("c", "EXISTS", "s"),
    ("c", "XADD", "s", "5-1", "f", "v"),
    ("c", "XADD", "s", "5-1", "f", "v"),
    ("c", "XADD", "s", "5-0", "f", "v"),
    ("c", "XADD", "s", "4", "f", "v"),
    ("c", "XADD", "s", "5-*", "f", "v"),
    ("c", "XADD", "s", "4-*", "f", "v"),
    ("c", "XADD", "s", "NOMKSTREAM", "6-1", "f", "v"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "GET", "str"),
])

scenario("xadd-options-any-order-and-case", [
    ("c", "XADD", "s", "1-1", "f", "v"),
    ("c", "XADD", "s", "nomkstream", "maxlen", "~", "10", "limit", "5", "2-1", "f", "v"),
    ("c", "XADD", "s", "LIMIT", "5", "MAXLEN", "~", "10", "3-1", "f", "v"),
    ("c", "XADD", "s", "LiMiT", "5", "NoMkStReAm", "MiNiD", "~", "2", "4-1", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "=", "3", "5-1", "f", "v"),
    ("c", "XADD", "s", "MINID", "=", "5", "6-1", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "2", "7-1", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "~", "8-1", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "=", "9-1", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "~", "~", "9-1", "f", "v"),
    ("c", "XADD", "s", "10-1", "MAXLEN", "10", "f", "v"),
    ("c", "XADD", "s", "11-1", "MAXLEN", "10"),
    ("c", "XADD", "s", "MAXLEN"),
    ("c", "XADD", "s", "MAXLEN", "1", "NOMKSTREAM", "f", "v"),
    ("c", "XADD", "s", "NOMKSTREAM", "MAXLEN", "1"),
    ("c", "XADD", "s", "LIMIT", "1", "f", "v"),
    ("c", "XADD", "s", "MINID", "5", "f", "v"),
    ("c", "XADD", "s", "NOMKSTREAM", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "1", "12-1", "f", "v", "g", "w", "f", "v2"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XINFO", "STREAM", "s"),
])

scenario("xadd-creates-and-fields", [
    ("c", "XADD", "s", "1-0", "f", "v", "f", "v2", "", "", "g", "x" * 300),
    ("c", "XADD", "s", "2-0", "12", "-7", "9223372036854775807", "9223372036854775808"),
    ("c", "XADD", "s", "3-0", "\x00bin\xff", "\r\n"),
    ("c", "XADD", "new", "MAXLEN", "0", "1-1", "f", "v"),
    ("c", "EXISTS", "new"),
    ("c", "TYPE", "new"),
    ("c", "XLEN", "new"),
    ("c", "XRANGE", "new", "-", "+"),
    ("c", "XINFO", "STREAM", "new"),
    ("c", "XADD", "new2", "MINID", "5", "1-1", "f", "v"),
    ("c", "XINFO", "STREAM", "new2"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XREVRANGE", "s", "+", "-"),
    ("c", "TYPE", "s"),
])

# ---------------------------------------------------------------------------------------------
# XTRIM (argument errors; node-granular behaviour lives in test_stream_trimming.py)
# ---------------------------------------------------------------------------------------------

scenario("xtrim-errors-and-basics", [
    ("c", "XTRIM", "s"),
    ("c", "XTRIM", "s", "MAXLEN"),
    ("c", "XTRIM", "nokey", "MAXLEN", "bad"),
    ("c", "XTRIM", "nokey", "MAXLEN", "1"),
    ("c", "XTRIM", "nokey", "MINID", "bad"),
    ("c", "XTRIM", "s", "LIMIT", "5"),
    ("c", "XTRIM", "s", "LIMIT", "0"),
    ("c", "XTRIM", "s", "LIMIT", "-3"),
    ("c", "XTRIM", "s", "LIMIT", "x"),
    ("c", "XTRIM", "s", "FOO", "1"),
    ("c", "XTRIM", "s", "MAXLEN", "1", "extra"),
    ("c", "XTRIM", "s", "MAXLEN", "~"),
    ("c", "XTRIM", "s", "MAXLEN", "="),
    ("c", "XTRIM", "s", "MAXLEN", "~", "x"),
    ("c", "XTRIM", "s", "MAXLEN", "1", "LIMIT"),
    ("c", "XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"),
    ("c", "XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "1", "extra"),
    ("c", "XTRIM", "s", "MAXLEN", "1", "MINID", "1"),
    ("c", "XTRIM", "s", "MINID", "1", "MAXLEN", "1"),
    ("c", "XTRIM", "s", "MAXLEN", "-1"),
    ("c", "XTRIM", "s", "MINID", "-"),
    ("c", "XTRIM", "s", "MINID", "(1"),
    ("c", "XTRIM", "s", "NOMKSTREAM", "MAXLEN", "1"),
    ("c", "XTRIM", "s", "*"),
    ("c", "SET", "str", "x"),
    ("c", "XTRIM", "str", "MAXLEN", "1"),
    ("c", "XTRIM", "str", "MAXLEN", "x"),
    ("c", "XADD", "s", "1-1", "f", "v"),
    ("c", "XADD", "s", "2-1", "f", "v"),
    ("c", "XADD", "s", "3-1", "f", "v"),
    ("c", "XADD", "s", "4-1", "f", "v"),
    ("c", "XTRIM", "s", "MAXLEN", "~", "1"),
    ("c", "XTRIM", "s", "MAXLEN", "3"),
    ("c", "XTRIM", "s", "MINID", "3"),
    ("c", "XTRIM", "s", "MINID", "3"),
    ("c", "XTRIM", "s", "maxlen", "=", "1"),
    ("c", "XTRIM", "s", "MINID", "~", "99"),
    ("c", "XTRIM", "s", "MINID", "99", "LIMIT", "0"),
    ("c", "XTRIM", "s", "MINID", "~", "99", "LIMIT", "0"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    ("c", "EXISTS", "s"),
])

# ---------------------------------------------------------------------------------------------
# XDEL / XLEN
# ---------------------------------------------------------------------------------------------

scenario("xdel-and-xlen", [
    ("c", "XDEL", "nokey", "bad"),
    ("c", "XDEL", "nokey", "1-1"),
    ("c", "XLEN", "nokey"),
    ("c", "SET", "str", "x"),
    ("c", "XDEL", "str", "bad"),
    ("c", "XLEN", "str"),
    ("c", "XDEL", "s"),
    ("c", "XLEN"),
    ("c", "XLEN", "a", "b"),
    ("c", "XADD", "s", "1-0", "f", "v1"),
    ("c", "XADD", "s", "2-0", "f", "v2"),
    ("c", "XADD", "s", "3-0", "f", "v3"),
    ("c", "XADD", "s", "4-0", "f", "v4"),
    ("c", "XADD", "s", "5-0", "f", "v5"),
    ("c", "XDEL", "s", "1-0", "bad"),
    ("c", "XDEL", "s", "1-0", "-"),
    ("c", "XDEL", "s", "1-0", "+"),
    ("c", "XDEL", "s", "(1-0"),
    ("c", "XLEN", "s"),
    ("c", "XDEL", "s", "3-0", "3-0", "9-9"),
    ("c", "XDEL", "s", "3"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XDEL", "s", "1"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XDEL", "s", "5-0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XDEL", "s", "2-0", "4-0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XLEN", "s"),
    ("c", "EXISTS", "s"),
    ("c", "XADD", "s", "5-0", "f", "v"),
    ("c", "XADD", "s", "5-1", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XDEL", "s", "2-0"),
    ("c", "XINFO", "STREAM", "s"),
])

# ---------------------------------------------------------------------------------------------
# XSETID
# ---------------------------------------------------------------------------------------------

scenario("xsetid-error-order", [
    ("c", "XSETID", "s"),
    ("c", "XSETID", "nokey", "bad"),
    ("c", "XSETID", "nokey", "-"),
    ("c", "XSETID", "nokey", "+"),
    ("c", "XSETID", "nokey", "$"),
    ("c", "XSETID", "nokey", "1-1"),
    ("c", "XSETID", "nokey", "1-1", "ENTRIESADDED", "x"),
    ("c", "XSETID", "nokey", "1-1", "ENTRIESADDED", "-1"),
    ("c", "XSETID", "nokey", "1-1", "ENTRIESADDED"),
    ("c", "XSETID", "nokey", "1-1", "MAXDELETEDID", "bad"),
    ("c", "XSETID", "nokey", "1-1", "MAXDELETEDID", "2-0"),
    ("c", "XSETID", "nokey", "1-1", "MAXDELETEDID"),
    ("c", "XSETID", "nokey", "1-1", "FOO", "1"),
    ("c", "XSETID", "nokey", "1-1", "FOO"),
    ("c", "XSETID", "nokey", "1-1", "MAXDELETEDID", "2-0", "ENTRIESADDED", "x"),
    ("c", "XSETID", "nokey", "1-1", "ENTRIESADDED", "x", "MAXDELETEDID", "2-0"),
    ("c", "XSETID", "nokey", "1-1", "ENTRIESADDED", "5", "ENTRIESADDED", "-5"),
    ("c", "XSETID", "nokey", "1-1", "MAXDELETEDID", "1-1"),
    ("c", "XSETID", "nokey", "1-1", "entriesadded", "5", "maxdeletedid", "0"),
    ("c", "SET", "str", "x"),
    ("c", "XSETID", "str", "1-1"),
    ("c", "XSETID", "str", "bad"),
    ("c", "XSETID", "str", "1-1", "ENTRIESADDED", "-1"),
    ("c", "XADD", "s", "1-0", "f", "v"),
    ("c", "XADD", "s", "2-0", "f", "v"),
    ("c", "XADD", "s", "3-0", "f", "v"),
    ("c", "XSETID", "s", "2-0"),
    ("c", "XSETID", "s", "3-0", "ENTRIESADDED", "2"),
    ("c", "XSETID", "s", "2-0", "ENTRIESADDED", "2"),
    ("c", "XSETID", "s", "3-0", "ENTRIESADDED", "3"),
    ("c", "XSETID", "s", "3"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XSETID", "s", "10-5", "ENTRIESADDED", "100", "MAXDELETEDID", "7-7"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XSETID", "s", "10-5", "MAXDELETEDID", "0-0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XSETID", "s", "10-5", "MAXDELETEDID", "1-0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "s", "10-5", "f", "v"),
    ("c", "XADD", "s", "10-*", "f", "v"),
    ("c", "XDEL", "s", "10-6"),
    ("c", "XSETID", "s", "4-0"),
    ("c", "XSETID", "s", "3-0"),
    ("c", "XSETID", "s", "2-9"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "s", "3-*", "f", "v"),
    ("c", "XSETID", "s", U64 + "-" + U64),
    ("c", "XADD", "s", "*", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
])

scenario("xsetid-empty-stream-moves-backwards", [
    ("c", "XADD", "s", "8-0", "f", "v"),
    ("c", "XGROUP", "CREATE", "s", "g", "$"),
    ("c", "XDEL", "s", "8-0"),
    ("c", "XSETID", "s", "1-0"),
    ("c", "XSETID", "s", "1-0", "ENTRIESADDED", "0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XADD", "s", "1-*", "f", "v"),
    ("c", "XADD", "s", "2-0", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    ("c", "XSETID", "s", "0-0"),
    ("c", "XSETID", "s", "0-0", "MAXDELETEDID", "0-1"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "s", "0-*", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XGROUP", "CREATE", "e", "g", "$", "MKSTREAM"),
    ("c", "XSETID", "e", "5-5", "ENTRIESADDED", "0"),
    ("c", "XINFO", "STREAM", "e"),
    ("c", "XSETID", "e", "0-0", "ENTRIESADDED", "3", "MAXDELETEDID", "0"),
    ("c", "XINFO", "STREAM", "e"),
])

scenario("xsetid-below-deleted-entries-makes-nodes-unsorted", [
    ("c", "XADD", "s", "1-0", "f", "v1"),
    ("c", "XADD", "s", "2-0", "f", "v2"),
    ("c", "XADD", "s", "3-0", "f", "v3"),
    ("c", "XADD", "s", "4-0", "f", "v4"),
    ("c", "XDEL", "s", "3-0", "4-0"),
    ("c", "XSETID", "s", "1-5"),
    ("c", "XSETID", "s", "2-5"),
    ("c", "XADD", "s", "2-6", "f", "v26"),
    ("c", "XADD", "s", "3-*", "f", "v3b"),
    ("c", "XADD", "s", "3-1", "f", "v31"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XRANGE", "s", "2-6", "2-6"),
    ("c", "XRANGE", "s", "3", "3"),
    ("c", "XRANGE", "s", "(2-5", "3-0"),
    ("c", "XRANGE", "s", "-", "2-7", "COUNT", "3"),
    ("c", "XREVRANGE", "s", "+", "-"),
    ("c", "XREVRANGE", "s", "3-0", "2-6"),
    ("c", "XREVRANGE", "s", "+", "(2-6", "COUNT", "1"),
    ("c", "XREAD", "STREAMS", "s", "2-5"),
    ("c", "XGROUP", "CREATE", "s", "g", "2-0"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XDEL", "s", "2-6", "3-0"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"),
    ("c", "XCLAIM", "s", "g", "d", "0", "2-6", "3-1", "JUSTID"),
    ("c", "XTRIM", "s", "MINID", "3-1"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XTRIM", "s", "MINID", "3-2"),
    ("c", "XINFO", "STREAM", "s"),
])

scenario("empty-stream-keeps-a-flagged-node-then-xsetid-goes-below-it", [
    ("c", "XADD", "s", "1-0", "f", "v1"),
    ("c", "XADD", "s", "2-0", "f", "v2"),
    ("c", "XADD", "s", "3-0", "f", "v3"),
    ("c", "XDEL", "s", "3-0"),
    ("c", "XTRIM", "s", "MINID", "3"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XSETID", "s", "0-5"),
    ("c", "XADD", "s", "0-6", "f", "low"),
    ("c", "XADD", "s", "0-*", "g", "lower"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XRANGE", "s", "0-6", "0-6"),
    ("c", "XRANGE", "s", "0-7", "+"),
    ("c", "XREVRANGE", "s", "+", "-"),
    ("c", "XREVRANGE", "s", "0-6", "0-6"),
    ("c", "XREVRANGE", "s", "0-6", "-"),
    ("c", "XREAD", "STREAMS", "s", "0"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XDEL", "s", "0-6"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"),
    ("c", "XDEL", "s", "0-7"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XADD", "s", "0-8", "f", "v"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    ("c", "XINFO", "STREAM", "s"),
])

# ---------------------------------------------------------------------------------------------
# XRANGE / XREVRANGE
# ---------------------------------------------------------------------------------------------

_RANGE_STREAM = [
    ("c", "XADD", "s", "1-0", "f", "a"),
    ("c", "XADD", "s", "1-1", "f", "b"),
    ("c", "XADD", "s", "2-0", "f", "c"),
    ("c", "XADD", "s", "2-5", "f", "d"),
    ("c", "XADD", "s", "3-0", "f", "e"),
    ("c", "XADD", "s", f"{U64}-0", "f", "z"),
]

scenario("xrange-bounds", _RANGE_STREAM + [
    ("c", "XRANGE", "s", "1", "1"),
    ("c", "XRANGE", "s", "2", "2"),
    ("c", "XRANGE", "s", "(1", "+"),
    ("c", "XRANGE", "s", "(1-1", "(2-5"),
    ("c", "XRANGE", "s", "-", "(1"),
    ("c", "XRANGE", "s", "(0", "+"),
    ("c", "XRANGE", "s", "(3", "(3"),
    ("c", "XRANGE", "s", "(2-0", "(2-5"),
    ("c", "XRANGE", "s", "3", "1"),
    ("c", "XRANGE", "s", "+", "-"),
    ("c", "XRANGE", "s", "-", "-"),
    ("c", "XRANGE", "s", "+", "+"),
    ("c", "XRANGE", "s", U64, "+"),
    ("c", "XRANGE", "s", "0", "0"),
    ("c", "XRANGE", "s", " 2", "+2"),
    ("c", "XRANGE", "s", "002-5", "2-0005"),
    ("c", "XREVRANGE", "s", "2", "1"),
    ("c", "XREVRANGE", "s", "(2", "(1-0"),
    ("c", "XREVRANGE", "s", "-", "+"),
    ("c", "XREVRANGE", "s", "+", "-"),
    ("c", "XREVRANGE", "s", "(3", "(1"),
    ("c", "XREVRANGE", "s", "2", "2"),
    ("c", "XRANGE", "s", "(-", "+"),
    ("c", "XRANGE", "s", "(+", "+"),
    ("c", "XRANGE", "s", "(", "+"),
    ("c", "XRANGE", "s", "-", "("),
    ("c", "XRANGE", "s", "((1", "+"),
    ("c", "XRANGE", "s", "( 1", "+"),
    ("c", "XRANGE", "s", "$", "+"),
    ("c", "XRANGE", "s", "-", ">"),
    ("c", "XRANGE", "s", "1-*", "+"),
    ("c", "XRANGE", "s", "bad", "bad2"),
    ("c", "XRANGE", "s", "-", "bad"),
    ("c", "XRANGE", "s", f"({U64}-{U64}", "bad"),
    ("c", "XRANGE", "s", "bad", "(0-0"),
    ("c", "XRANGE", "s", "-", "(0-0"),
    ("c", "XRANGE", "s", "-", "(0-1"),
    ("c", "XREVRANGE", "s", "(0-0", f"({U64}-{U64}"),
    ("c", "XREVRANGE", "s", "bad", f"({U64}-{U64}"),
])

scenario("xrange-count-and-errors", _RANGE_STREAM + [
    ("c", "XRANGE", "s", "-", "+", "COUNT", "2"),
    ("c", "XRANGE", "s", "-", "+", "count", "1"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "0"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "-1"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "9223372036854775807"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "9223372036854775808"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "x"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "3"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "3", "COUNT", "0"),
    ("c", "XRANGE", "s", "-", "+", "COUNT"),
    ("c", "XRANGE", "s", "-", "+", "LIMIT", "1"),
    ("c", "XRANGE", "s", "-", "+", "FOO"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "1", "FOO"),
    ("c", "XRANGE", "s", "(3", "(3", "COUNT", "0"),
    ("c", "XRANGE", "s", "3", "1", "COUNT", "0"),
    ("c", "XREVRANGE", "s", "+", "-", "COUNT", "2"),
    ("c", "XREVRANGE", "s", "+", "-", "COUNT", "0"),
    ("c", "XREVRANGE", "s", "+", "-", "COUNT", "-5"),
    ("c", "XRANGE", "nokey", "-", "+"),
    ("c", "XRANGE", "nokey", "-", "+", "COUNT", "0"),
    ("c", "XRANGE", "nokey", "bad", "+"),
    ("c", "XRANGE", "nokey", "-", "+", "FOO"),
    ("c", "XREVRANGE", "nokey", "+", "-", "COUNT", "0"),
    ("c", "SET", "str", "x"),
    ("c", "XRANGE", "str", "-", "+"),
    ("c", "XRANGE", "str", "x", "+"),
    ("c", "XRANGE", "str", "-", "+", "COUNT", "x"),
    ("c", "XRANGE", "str", "-", "+", "COUNT", "0"),
    ("c", "XREVRANGE", "str", "+", "-"),
    ("c", "XRANGE", "s", "-"),
    ("c", "XREVRANGE", "s"),
])

scenario("xrange-with-deleted-entries", [
    ("c", "XADD", "s", "1-0", "a", "1"),
    ("c", "XADD", "s", "2-0", "b", "2"),
    ("c", "XADD", "s", "3-0", "a", "3", "b", "4"),
    ("c", "XADD", "s", "4-0", "a", "5"),
    ("c", "XDEL", "s", "2-0", "3-0"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XRANGE", "s", "2-0", "3-0"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "1"),
    ("c", "XREVRANGE", "s", "+", "-", "COUNT", "1"),
    ("c", "XREVRANGE", "s", "3-0", "-"),
    ("c", "XRANGE", "s", "(1-0", "+", "COUNT", "1"),
])

# ---------------------------------------------------------------------------------------------
# XREAD (non-blocking; blocking is in test_stream_blocking.py)
# ---------------------------------------------------------------------------------------------

scenario("xread-parse-errors", [
    ("c", "XREAD", "STREAMS", "s"),
    ("c", "XREAD", "STREAMS", "s", "0", "t"),
    ("c", "XREAD", "STREAMS", "s", "t", "0"),
    ("c", "XREAD", "COUNT", "1", "STREAMS"),
    ("c", "XREAD", "COUNT", "1", "s", "0"),
    ("c", "XREAD", "FOO", "STREAMS", "s", "0"),
    ("c", "XREAD", "COUNT", "x", "STREAMS", "s", "0"),
    ("c", "XREAD", "COUNT", "1.5", "STREAMS", "s", "0"),
    ("c", "XREAD", "BLOCK", "x", "STREAMS", "s", "0"),
    ("c", "XREAD", "BLOCK", "1.5", "STREAMS", "s", "0"),
    ("c", "XREAD", "BLOCK", "-1", "STREAMS", "s", "0"),
    ("c", "XREAD", "BLOCK", "9223372036854775808", "STREAMS", "s", "0"),
    ("c", "XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"),
    ("c", "XREAD", "GROUP", "g", "STREAMS", "s", "0"),
    ("c", "XREAD", "NOACK", "STREAMS", "s", "0"),
    ("c", "XREAD", "STREAMS", "s", ">"),
    ("c", "XREAD", "STREAMS", "s", "+"),
    ("c", "XREAD", "STREAMS", "s", "-"),
    ("c", "XREAD", "STREAMS", "s", "bad"),
    ("c", "XREAD", "STREAMS", "s", "(1"),
    ("c", "XREAD", "STREAMS", "s", "1-*"),
    ("c", "XREAD", "STREAMS", "s", "t", "0", ">"),
    ("c", "XREAD", "STREAMS", "s", "t", ">", "bad"),
    ("c", "XREAD", "STREAMS", "s", "t", "bad", ">"),
    ("c", "XREAD", "COUNT", "1", "COUNT"),
    ("c", "XREAD", "COUNT", "1", "BLOCK"),
    ("c", "XREAD", "COUNT", "1", "STREAMS", "s", "0", "STREAMS", "t", "0"),
    ("c", "XREAD", "STREAMS", "STREAMS", "s", "0"),
    ("c", "XREAD", "streams", "s", "0"),
    ("c", "XREAD", "Count", "-5", "Streams", "s", "0"),
    ("c", "SET", "str", "x"),
    ("c", "XREAD", "STREAMS", "str", "0"),
    ("c", "XREAD", "STREAMS", "str", "bad"),
    ("c", "XREAD", "STREAMS", "s", "str", "bad", "0"),
    ("c", "XREAD", "STREAMS", "s", "str", "0", "bad"),
    ("c", "XREAD", "STREAMS", "str", "s", "bad", "0"),
    ("c", "XREAD", "STREAMS", "s", "str", "$", "$"),
    ("c", "XREAD", "STREAMS", "s", "$"),
    ("c", "XREAD", "BLOCK", "0", "STREAMS", "str", "$"),
])

scenario("xread-non-blocking", [
    ("c", "XADD", "s", "1-0", "f", "v1"),
    ("c", "XADD", "s", "2-0", "f", "v2"),
    ("c", "XADD", "s", "3-0", "f", "v3"),
    ("c", "XADD", "t", "5-0", "g", "w"),
    ("c", "XREAD", "STREAMS", "s", "0"),
    ("c", "XREAD", "STREAMS", "s", "1"),
    ("c", "XREAD", "STREAMS", "s", "1-0"),
    ("c", "XREAD", "STREAMS", "s", "3-0"),
    ("c", "XREAD", "STREAMS", "s", "$"),
    ("c", "XREAD", "STREAMS", "nokey", "0"),
    ("c", "XREAD", "STREAMS", "nokey", "$"),
    ("c", "XREAD", "COUNT", "1", "STREAMS", "s", "t", "0", "0"),
    ("c", "XREAD", "COUNT", "0", "STREAMS", "s", "t", "0", "0"),
    ("c", "XREAD", "COUNT", "-1", "STREAMS", "s", "0"),
    ("c", "XREAD", "COUNT", "2", "COUNT", "1", "STREAMS", "s", "0"),
    ("c", "XREAD", "STREAMS", "nokey", "s", "t", "0", "2", "5"),
    ("c", "XREAD", "STREAMS", "s", "s", "0", "2"),
    ("c", "XREAD", "STREAMS", "s", "s", "2", "0"),
    ("c", "XREAD", "STREAMS", "t", "s", "0", "0"),
    ("c", "XREAD", "BLOCK", "100", "STREAMS", "s", "0"),
    ("c", "XREAD", "STREAMS", "s", " 1", ),
    ("c", "XREAD", "STREAMS", "s", f"{U64}-{U64}"),
    ("c", "XDEL", "s", "3-0"),
    ("c", "XREAD", "STREAMS", "s", "2-0"),
    ("c", "XREAD", "STREAMS", "s", "2-5"),
    ("c", "XREAD", "STREAMS", "s", "1-5"),
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    ("c", "XREAD", "STREAMS", "s", "0"),
    ("c", "MULTI"),
    ("c", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("c", "XREAD", "STREAMS", "t", "0"),
    ("c", "EXEC"),
])

# ---------------------------------------------------------------------------------------------
# XINFO STREAM and XINFO errors
# ---------------------------------------------------------------------------------------------

scenario("xinfo-stream-fields", [
    ("c", "XINFO", "STREAM", "nokey"),
    ("c", "XINFO", "STREAM", "nokey", "FULL"),
    ("c", "XINFO", "STREAM", "nokey", "FOO"),
    ("c", "XINFO", "GROUPS", "nokey"),
    ("c", "XINFO", "CONSUMERS", "nokey", "g"),
    ("c", "XINFO", "FOO", "s"),
    ("c", "XINFO", "foo"),
    ("c", "XINFO"),
    ("c", "XINFO", "STREAM"),
    ("c", "XINFO", "GROUPS"),
    ("c", "XINFO", "GROUPS", "s", "x"),
    ("c", "XINFO", "CONSUMERS", "s"),
    ("c", "XINFO", "CONSUMERS", "s", "g", "x"),
    ("c", "XINFO", "HELP"),
    ("c", "XINFO", "help"),
    ("c", "XINFO", "HELP", "x"),
    ("c", "SET", "str", "x"),
    ("c", "XINFO", "STREAM", "str"),
    ("c", "XINFO", "STREAM", "str", "FOO"),
    ("c", "XINFO", "GROUPS", "str"),
    ("c", "XINFO", "CONSUMERS", "str", "g"),
    ("c", "XADD", "s", "1-0", "f", "v1"),
    ("c", "XADD", "s", "2-0", "f", "v2"),
    ("c", "XADD", "s", "3-0", "f", "v3"),
    ("c", "XADD", "s", "4-0", "f", "v4"),
    ("c", "XADD", "s", "5-0", "f", "v5"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "xinfo", "stream", "s"),
    ("c", "XINFO", "STREAM", "s", "FOO"),
    ("c", "XINFO", "STREAM", "s", "FULL", "COUNT"),
    ("c", "XINFO", "STREAM", "s", "FULL", "LIMIT", "1"),
    ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "x"),
    ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "1", "x"),
    ("c", "XINFO", "STREAM", "s", "COUNT", "1"),
    ("c", "XINFO", "STREAM", "s", "FULL", "FULL"),
    ("c", "XINFO", "STREAM", "s", "FULL"),
    ("c", "XINFO", "STREAM", "s", "full", "count", "2"),
    ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "0"),
    ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "-1"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XINFO", "CONSUMERS", "s", "nog"),
    ("c", "XDEL", "s", "1-0", "5-0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XTRIM", "s", "MAXLEN", "1"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XDEL", "s", "4-0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XINFO", "STREAM", "s", "FULL"),
])

scenario("xinfo-stream-full-count", [
    *[("c", "XADD", "s", f"{i}-1", "f", f"v{i}") for i in range(1, 16)],
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "12", "STREAMS", "s", ">"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL", "COUNT", "3"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL", "COUNT", "0"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL", "COUNT", "-7"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL", "COUNT", "100"),
])

# ---------------------------------------------------------------------------------------------
# NUL bytes: Redis compares option words and special IDs as C strings (up to the first NUL)
#
# Not for command and subcommand names: their dict hashes the whole name but compares it as a C
# string, so whether "XINFO STREAM\0x" finds STREAM depends on the server's random hash seed.
# ---------------------------------------------------------------------------------------------

scenario("nul-bytes-in-options-and-special-ids", [
    ("c", "XADD", "s", "MAXLEN\x00x", "5", "1-1", "f", "v"),
    ("c", "XADD", "s", "MAXLEN", "~\x00x", "5", "2-1", "f", "v"),
    ("c", "XADD", "s", "NOMKSTREAM\x00", "3-1", "f", "v"),
    ("c", "XADD", "s", f"{FAR}-0", "f", "v"),
    ("c", "XADD", "s", "*\x00x", "f", "v"),
    ("c", "XADD", "s", "MAXLEN\x00", "=\x00", "10", "*", "f", "v"),
    ("c", "XTRIM", "s", "MAXLEN\x00x", "5"),
    ("c", "XTRIM", "s", "MINID", "=\x00", "0"),
    ("c", "XRANGE", "s", "-", "+", "COUNT\x00", "1"),
    ("c", "XRANGE", "s", "-\x00x", "+\x00y"),
    ("c", "XRANGE", "s", "(\x00", "+"),
    ("c", "XRANGE", "s", "(1\x00", "+"),
    ("c", "XREVRANGE", "s", "+\x00", "-\x00"),
    ("c", "XREAD", "STREAMS\x00", "s", "0"),
    ("c", "XREAD", "COUNT\x00", "1", "STREAMS", "s", "0"),
    ("c", "XREAD", "STREAMS", "s", "$\x00"),
    ("c", "XREAD", "STREAMS", "s", ">\x00"),
    ("c", "XREAD", "STREAMS", "s", "-\x00"),
    ("c", "XGROUP", "CREATE", "s", "g", "$\x00"),
    ("c", "XGROUP", "CREATE", "s", "g2", "$", "MKSTREAM\x00"),
    ("c", "XGROUP", "CREATE", "s", "g3", "0", "ENTRIESREAD\x00", "1"),
    ("c", "XGROUP", "SETID", "s", "g3", "$\x00"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL\x00"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL", "COUNT\x00", "1"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">\x00"),
    ("c", "XREADGROUP", "GROUP\x00", "g3", "c", "NOACK\x00", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g3", "c", "STREAMS", "s", "$\x00"),
    ("c", "XCLAIM", "s", "g3", "c", "0", "1-1", "JUSTID\x00"),
    ("c", "XAUTOCLAIM", "s", "g3", "c", "0", "0", "JUSTID\x00", "COUNT\x00", "5"),
    masked(MASK_STREAM_TIMES, "c", "XPENDING", "s", "g3", "IDLE\x00", "0", "-", "+", "1"),
    ("c", "XSETID", "s", f"{FAR}-9", "ENTRIESADDED\x00", "9", "MAXDELETEDID\x00", "1-1"),
    ("c", "XINFO", "STREAM", "s"),
])

# ---------------------------------------------------------------------------------------------
# WRONGTYPE across the stream commands
# ---------------------------------------------------------------------------------------------

scenario("wrongtype-everywhere", [
    ("c", "SET", "k", "v"),
    ("c", "XADD", "k", "*", "f", "v"),
    ("c", "XTRIM", "k", "MAXLEN", "0"),
    ("c", "XDEL", "k", "1-1"),
    ("c", "XLEN", "k"),
    ("c", "XSETID", "k", "1-1"),
    ("c", "XRANGE", "k", "-", "+"),
    ("c", "XREVRANGE", "k", "+", "-"),
    ("c", "XREAD", "STREAMS", "k", "0"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">"),
    ("c", "XGROUP", "CREATE", "k", "g", "$"),
    ("c", "XGROUP", "CREATE", "k", "g", "$", "MKSTREAM"),
    ("c", "XGROUP", "SETID", "k", "g", "$"),
    ("c", "XGROUP", "DESTROY", "k", "g"),
    ("c", "XGROUP", "CREATECONSUMER", "k", "g", "c"),
    ("c", "XGROUP", "DELCONSUMER", "k", "g", "c"),
    ("c", "XACK", "k", "g", "1-1"),
    ("c", "XACK", "k", "g", "bad"),
    ("c", "XPENDING", "k", "g"),
    ("c", "XPENDING", "k", "g", "-", "+", "10"),
    ("c", "XCLAIM", "k", "g", "c", "0", "1-1"),
    ("c", "XAUTOCLAIM", "k", "g", "c", "0", "0"),
    ("c", "XINFO", "STREAM", "k"),
    ("c", "XINFO", "GROUPS", "k"),
    ("c", "XINFO", "CONSUMERS", "k", "g"),
    ("c", "XADD", "s", "1-1", "f", "v"),
    ("c", "GET", "s"),
    ("c", "TYPE", "s"),
])

# ---------------------------------------------------------------------------------------------
# RESP3
# ---------------------------------------------------------------------------------------------

scenario("resp3-replies", [
    hello3("c"),
    ("c", "XADD", "s", "NOMKSTREAM", "*", "f", "v"),
    ("c", "XADD", "s", "1-0", "f", "v1"),
    ("c", "XADD", "s", "2-0", "f", "v2", "g", "w"),
    ("c", "XADD", "t", "3-0", "f", "v3"),
    ("c", "XRANGE", "s", "-", "+"),
    ("c", "XRANGE", "s", "-", "+", "COUNT", "0"),
    ("c", "XREVRANGE", "s", "+", "-", "COUNT", "1"),
    ("c", "XREAD", "STREAMS", "s", "t", "0", "0"),
    ("c", "XREAD", "STREAMS", "s", "$"),
    ("c", "XREAD", "COUNT", "1", "STREAMS", "nokey", "t", "0", "0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XINFO", "STREAM", "s", "FULL"),
    ("c", "XGROUP", "CREATE", "s", "g", "0"),
    ("c", "XINFO", "GROUPS", "s"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ("c", "XDEL", "s", "1-0"),
    ("c", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ("c", "XINFO", "GROUPS", "s"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "CONSUMERS", "s", "g"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "STREAM", "s", "FULL"),
    ("c", "XPENDING", "s", "g"),
    masked(MASK_STREAM_TIMES, "c", "XPENDING", "s", "g", "-", "+", "10"),
    ("c", "XPENDING", "s", "g", "-", "+", "10", "nobody"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "1-0", "2-0"),
    ("c", "XCLAIM", "s", "g", "bob", "0", "2-0", "JUSTID"),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "0", "0"),
    ("c", "XAUTOCLAIM", "s", "g", "carol", "0", "0", "JUSTID"),
    ("c", "XACK", "s", "g", "2-0"),
    ("c", "XPENDING", "s", "g"),
    masked(MASK_STREAM_TIMES, "c", "XINFO", "CONSUMERS", "s", "g"),
    ("c", "XGROUP", "CREATECONSUMER", "s", "g", "dave"),
    ("c", "XGROUP", "DESTROY", "s", "g"),
    ("c", "XINFO", "HELP"),
    ("c", "XGROUP", "HELP"),
    ("c", "XLEN", "s"),
    ("c", "XSETID", "s", "9-9"),
    ("c", "XTRIM", "s", "MAXLEN", "0"),
    ("c", "XINFO", "STREAM", "s"),
    ("c", "XREAD", "BLOCK", "0", "STREAMS", "nokey", "0"),
    ("other", "XADD", "nokey", "1-1", "a", "b"),
    ("c", "XADD", "s", "NOMKSTREAM", "MAXLEN", "0", "9-9", "f", "v"),
    ("c", "XADD", "zz", "NOMKSTREAM", "*", "f", "v"),
])


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_streams(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

"""Snapshots and helpers: humanising, reply parsing (RESP2, RESP3, decoded), nil lag, cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from viewkit import T0, render

from redis_lab.model.reply import Map
from redis_lab.views.connection import CountingConnection, FunctionConnection
from redis_lab.session import parse_duration
from redis_lab.views.humanize import bar, duration, id_time
from redis_lab.views.snapshots import (
    GroupInfo,
    StreamInfo,
    Subscriber,
    as_subscribers,
    gather_lag,
    gather_pel,
    gather_stream,
    nil_lag_reason,
    parse_consumers,
    parse_groups,
    parse_pending_summary,
    parse_stream_info,
    receivers_of,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("ms,text", [
    (0, "0ms"), (850, "850ms"), (1000, "1s"), (5300, "5.3s"), (12_400, "12s"),
    (65_000, "1m05s"), (3_725_000, "1h02m"), (90_000_000, "1d01h"), (-5, "0ms"), (None, "-"),
])
def test_duration(ms, text):
    assert duration(ms) == text


def test_id_time_and_bars_and_durations():
    assert id_time("1700000000000-3") == "2023-11-14 22:13:20.000"
    assert id_time("1700000065432-0", date=False) == "22:14:25.432"
    assert id_time("5-0") == "-"                       # explicit small IDs are not times
    assert bar(0, 10, 8) == "" and bar(10, 10, 8) == "████████"
    assert bar(1, 100, 8) == "▏"                       # anything above zero shows
    assert bar(5, 10, 3) == "█▌"
    assert parse_duration("65s") == 65_000 and parse_duration("1.5m") == 90_000
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_parsers_accept_resp2_resp3_and_decoded_replies():
    resp2 = [b"length", 2, b"last-generated-id", b"5-0", b"max-deleted-entry-id", b"0-0",
             b"entries-added", 2, b"recorded-first-entry-id", b"4-0", b"groups", 1,
             b"first-entry", [b"4-0", [b"f", b"v"]], b"last-entry", None]
    decoded = {"length": 2, "last-generated-id": "5-0", "entries-added": 2,
               "first-entry": ["4-0", {"f": "v"}], "last-entry": None}
    for reply in (resp2, Map(resp2), decoded):
        info = parse_stream_info(reply)
        assert (info.length, info.last_generated_id, info.entries_added) == (2, "5-0", 2)
        assert info.first_entry.fields == (("f", "v"),) and info.last_entry is None
    groups = parse_groups([Map([b"name", b"g", b"consumers", 1, b"pending", 2,
                                b"last-delivered-id", b"5-0", b"entries-read", None,
                                b"lag", None])])
    assert groups == [GroupInfo("g", 1, 2, "5-0", None, None)]
    assert parse_pending_summary([2, b"1-0", b"2-0", [[b"c1", b"2"]]]) == (
        2, "1-0", "2-0", [("c1", 2)])
    assert parse_pending_summary([0, None, None, None]) == (0, None, None, [])
    consumers = parse_consumers([{"name": "c", "pending": 1, "idle": 5, "inactive": 7}])
    assert consumers[0].inactive_ms == 7                # Redis 7.2+ field, shown when present


def _group(ld: str, er, lag=None) -> GroupInfo:
    return GroupInfo("g", 0, 0, ld, er, lag)


def test_nil_lag_reasons_follow_redis():
    """The cases of the reference's walk-through (section 4.4)."""
    plain = StreamInfo(length=5, last_generated_id="5-0", max_deleted_entry_id="0-0",
                       entries_added=5, recorded_first_entry_id="1-0")
    assert "inside the stream" in nil_lag_reason(plain, _group("3-0", None))
    assert "past the stream's last-generated-id" in nil_lag_reason(plain, _group("99-0", None))
    holed = StreamInfo(length=4, last_generated_id="5-0", max_deleted_entry_id="4-0",
                       entries_added=5, recorded_first_entry_id="1-0")
    assert "was deleted (max-deleted-entry-id 4-0)" in nil_lag_reason(holed, _group("1-0", 1))
    assert "entries were deleted inside the stream" in nil_lag_reason(holed,
                                                                      _group("2-0", None))
    assert nil_lag_reason(plain, _group("5-0", None, lag=0)) is None


def test_nil_lag_reason_matches_the_engine(lab):
    """The engine says nil exactly where the view explains a nil."""
    for i in range(1, 6):
        lab.run("p", "XADD", "s", f"{i}-0", "f", "v")
    for name, start in (("g0", "0"), ("gE", "$"), ("gM", "3-0")):
        lab.run("p", "XGROUP", "CREATE", "s", name, start)
    lab.run("c", "XREADGROUP", "GROUP", "g0", "c", "COUNT", "1", "STREAMS", "s", ">")
    lab.run("p", "XDEL", "s", "4-0")
    snap = gather_lag(lab.conn, b"s")
    reasons = {g.group.name: (g.group.lag, g.nil_reason) for g in snap.groups}
    assert reasons["gE"] == (0, None)
    assert reasons["g0"][0] is None and "was deleted" in reasons["g0"][1]
    assert reasons["gM"][0] is None and "entries-read is unknown" in reasons["gM"][1]


def test_receivers_of_counts_copies_like_redis(lab):
    lab.run("alice", "SUBSCRIBE", "chat")
    lab.run("alice", "PSUBSCRIBE", "c*")
    lab.run("bob", "PSUBSCRIBE", "*at", "nomatch")
    subs = as_subscribers([("alice", [b"chat"], [b"c*"]), Subscriber("bob", (), (b"*at",))])
    copies = receivers_of(b"chat", subs)
    assert [(d.label, d.pattern) for d in copies] == [("alice", None), ("alice", "c*"),
                                                      ("bob", "*at")]
    assert lab.run("erin", "PUBLISH", "chat", "x") == len(copies)


def test_pel_snapshot_cost_does_not_grow_with_the_pel(lab):
    for i in range(3000):
        lab.run("p", "XADD", "s", f"{T0 + i}-0", "n", str(i))
    lab.run("p", "XGROUP", "CREATE", "s", "g", "0")
    lab.run("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")
    counting = CountingConnection(lab.conn)
    snap = gather_pel(counting, b"s", b"g")
    assert snap.total == 3000 and snap.hidden == 2985
    assert len(counting.sent) <= 25
    assert max(int(a[-1]) for a in counting.sent if a[0] == b"XPENDING" and len(a) > 3) <= 1000


def test_snapshots_work_over_any_connection(lab):
    lab.run("p", "XADD", "s", "1-0", "f", "v")
    seen = []

    def execute(args):
        seen.append(args[0])
        return lab.conn.execute(args)

    snap = gather_stream(FunctionConnection(execute), b"s")
    assert snap.info.length == 1 and set(seen) == {b"XINFO", b"XREVRANGE", b"TIME"}


def test_pel_and_lag_frames_read_a_bounded_window_of_a_10k_pel(lab):
    """The cost of a frame must not grow with the PEL: it reads a window, not 10,000 rows.

    (Speed itself is measured by scripts/bench, never asserted in a test.)
    """
    from redis_lab.views.lag import LagView
    from redis_lab.views.pel import PelView

    for i in range(10_000):
        lab.run("p", "XADD", "s", f"{T0 + i}-0", "n", str(i))
    lab.run("p", "XGROUP", "CREATE", "s", "g", "0")
    for k in range(100):
        lab.run("p", "XREADGROUP", "GROUP", "g", f"c{k}", "COUNT", "100", "STREAMS", "s", ">")
        lab.advance(1000)
    rows_read = []

    def execute(args):
        reply = lab.conn.execute(args)
        if args[0].upper() == b"XPENDING" and len(args) > 3 and isinstance(reply, list):
            rows_read.append(len(reply))
        return reply

    counting = FunctionConnection(execute)
    pel_text = render(PelView(gather_pel(counting, b"s", b"g")), 100)
    lag_text = render(LagView(gather_lag(counting, b"s")), 100)
    assert sum(rows_read) <= 1_100, rows_read   # head + tail + a claimable count capped at 1,000
    assert "more" in pel_text and "10,000" in pel_text.replace("10000", "10,000")
    assert "c99" in lag_text or "more" in lag_text


def test_importing_the_views_does_not_import_rich():
    code = ("import sys, redis_lab.views, redis_lab.views.watches, redis_lab.views.explain; "
            "sys.exit(any(m == 'rich' or m.startswith('rich.') for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert proc.returncode == 0, proc.stderr

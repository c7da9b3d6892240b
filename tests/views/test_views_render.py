"""Each view rendered at fixed widths and compared with its reviewed golden file."""

from __future__ import annotations

from viewkit import T0, check_golden, render

from redis_lab.views.fanout import FanoutView
from redis_lab.views.lag import LagView
from redis_lab.views.pel import PelView
from redis_lab.views.snapshots import (
    PublishRecord,
    gather_fanout,
    gather_lag,
    gather_pel,
    gather_stream,
    receivers_of,
)
from redis_lab.views.stream import StreamView

# ---- stream -------------------------------------------------------------------------------------


def test_stream_view(orders):
    text = render(StreamView(gather_stream(orders.conn, b"orders")), 80)
    check_golden("stream_80", text)
    assert "▲ g1 read up to here · lag 1 · 5 pending" in text
    assert "▼ audit at 0-0: has read nothing yet · lag nil" in text


def test_stream_view_narrow(orders):
    check_golden("stream_40", render(StreamView(gather_stream(orders.conn, b"orders")), 40))


def test_stream_view_windows_old_entries(lab):
    for i in range(30):
        lab.run("p", "XADD", "log", f"{T0 + i}-0", "n", str(i))
    lab.run("p", "XGROUP", "CREATE", "log", "early", f"{T0 + 3}-0")
    lab.run("p", "XGROUP", "CREATE", "log", "late", "$")
    text = render(StreamView(gather_stream(lab.conn, b"log", count=5)), 70)
    check_golden("stream_window_70", text)
    assert "… 25 older entries" in text
    assert "▼ early at 1700000000003-0 (further back)" in text


def test_stream_view_missing_and_wrong_type(lab):
    lab.run("p", "SET", "plain", "v")
    text = render(StreamView(gather_stream(lab.conn, b"nope")), 50)
    text += render(StreamView(gather_stream(lab.conn, b"plain")), 50)
    check_golden("stream_errors_50", text)
    assert "no stream at nope" in text and "WRONGTYPE" in text


def test_stream_view_empty_stream(lab):
    lab.run("p", "XGROUP", "CREATE", "jobs", "g", "$", "MKSTREAM")
    text = render(StreamView(gather_stream(lab.conn, b"jobs")), 60)
    assert "no entries" in text and "▼ g at 0-0: has read nothing yet · lag 0" in text


# ---- PEL ----------------------------------------------------------------------------------------


def test_pel_view_flags(orders):
    text = render(PelView(gather_pel(orders.conn, b"orders", b"g1")), 80)
    check_golden("pel_flags_80", text)
    rows = {line.split()[1]: line for line in text.splitlines() if "1700000" in line
            and "lowest" not in line}
    assert "claimable" in rows["1700000000000-0"] and "poison" not in rows["1700000000000-0"]
    assert "deleted" in rows["1700000002000-0"]
    assert "poison?" in rows["1700000003000-0"] and "claimable" not in rows["1700000003000-0"]


def test_pel_view_thresholds_are_configurable(orders):
    snap = gather_pel(orders.conn, b"orders", b"g1", claim_idle_ms=1000, poison_deliveries=10)
    text = render(PelView(snap), 80)
    assert "claimable 5" in text and "poison?" not in text
    assert "XAUTOCLAIM orders g1 <consumer> 1000 0-0" in text


def test_pel_view_windows_a_long_pel(lab):
    for i in range(500):
        lab.run("p", "XADD", "jobs", f"{T0 + i}-0", "job", str(i))
    lab.run("p", "XGROUP", "CREATE", "jobs", "workers", "0")
    lab.run("w1", "XREADGROUP", "GROUP", "workers", "w1", "COUNT", "300", "STREAMS", "jobs", ">")
    lab.advance(90_000)
    lab.run("w2", "XREADGROUP", "GROUP", "workers", "w2", "STREAMS", "jobs", ">")
    snap = gather_pel(lab.conn, b"jobs", b"workers")
    assert (len(snap.head), len(snap.tail), snap.hidden) == (12, 3, 485)
    assert [r.id for r in snap.tail] == [f"{T0 + i}-0" for i in (497, 498, 499)]
    text = render(PelView(snap), 60)
    check_golden("pel_window_500_60", text)
    assert "… 485 more pending entries" in text
    assert len(text.splitlines()) < 35


def test_pel_view_narrow(orders):
    text = render(PelView(gather_pel(orders.conn, b"orders", b"g1")), 40)
    check_golden("pel_narrow_40", text)
    assert all(len(line) <= 40 for line in text.splitlines())


def test_pel_view_empty_and_missing_group(orders):
    orders.run("p", "XGROUP", "CREATE", "orders", "idle", "$")
    text = render(PelView(gather_pel(orders.conn, b"orders", b"idle")), 60)
    text += render(PelView(gather_pel(orders.conn, b"orders", b"nosuch")), 60)
    check_golden("pel_empty_nogroup_60", text)
    assert "nothing pending" in text and "NOGROUP" in text


# ---- lag ----------------------------------------------------------------------------------------


def test_lag_view_explains_nil(orders):
    text = render(LagView(gather_lag(orders.conn, b"orders")), 80)
    check_golden("lag_80", text)
    assert "audit lag nil: entries-read is unknown and entries were deleted" in text
    assert "stuck?" in text


def test_lag_view_narrow(orders):
    text = render(LagView(gather_lag(orders.conn, b"orders")), 40)
    check_golden("lag_40", text)
    assert all(len(line) <= 40 for line in text.splitlines())


def test_lag_view_caps_consumers_and_shows_the_busiest(lab):
    for i in range(300):
        lab.run("p", "XADD", "s", f"{T0 + i}-0", "n", str(i))
    lab.run("p", "XGROUP", "CREATE", "s", "g", "0")
    for k in range(30):
        lab.run(f"w{k:02d}", "XREADGROUP", "GROUP", "g", f"w{k:02d}", "COUNT", "2", "STREAMS",
                "s", ">")
    lab.run("hog", "XREADGROUP", "GROUP", "g", "hog", "COUNT", "200", "STREAMS", "s", ">")
    text = render(LagView(gather_lag(lab.conn, b"s"), max_consumers=4), 72)
    check_golden("lag_many_consumers_72", text)
    assert "hog" in text and "overloaded" in text
    assert "… 27 more consumers with 54 pending" in text


def test_lag_view_past_last_generated_id(lab):
    lab.run("p", "XADD", "s", "1-0", "f", "v")
    lab.run("p", "XGROUP", "CREATE", "s", "ahead", "99-0")
    text = render(LagView(gather_lag(lab.conn, b"s")), 80)
    assert "ahead lag nil: last-delivered-id 99-0 is past the stream's" in text


# ---- fan-out ------------------------------------------------------------------------------------


def _pubsub(lab):
    lab.run("alice", "SUBSCRIBE", "chat", "news")
    lab.run("bob", "SUBSCRIBE", "chat")
    lab.run("carol", "PSUBSCRIBE", "ch*")
    lab.run("dave", "PSUBSCRIBE", "user:*")


def _publish(lab, channel: str, message: str) -> PublishRecord:
    subs = lab.subscribers()
    n = lab.run("erin", "PUBLISH", channel, message)
    return PublishRecord("erin", channel, message, n, receivers_of(channel.encode(), subs))


def test_fanout_view_after_publish(lab):
    _pubsub(lab)
    record = _publish(lab, "chat", "hi all")
    assert record.receivers == 3
    text = render(FanoutView(gather_fanout(lab.conn, lab.subscribers(), last_publish=record)), 80)
    check_golden("fanout_80", text)
    assert "3 receivers: alice, bob, carol (via ch*)" in text


def test_fanout_view_zero_receivers(lab):
    _pubsub(lab)
    record = _publish(lab, "void", "anyone?")
    assert record.receivers == 0
    text = render(FanoutView(gather_fanout(lab.conn, lab.subscribers(), last_publish=record)), 72)
    check_golden("fanout_zero_72", text)
    assert "0 receivers — the message is gone" in text


def test_fanout_view_one_channel(lab):
    _pubsub(lab)
    text = render(FanoutView(gather_fanout(lab.conn, lab.subscribers(), channel=b"chat")), 60)
    check_golden("fanout_focus_60", text)
    assert "user:*" not in text   # patterns that do not match the channel are left out


def test_fanout_view_nobody_subscribed(lab):
    text = render(FanoutView(gather_fanout(lab.conn, lab.subscribers())), 60)
    assert "nobody is subscribed" in text


def test_fanout_view_counts_connections_it_does_not_know(lab):
    """Against a real server other programs subscribe too: NUMSUB says more than the registry."""
    _pubsub(lab)
    text = render(FanoutView(gather_fanout(lab.conn, [])), 60)
    assert "PUBLISH ─▶ chat ──▶ 2 other connections" in text


def test_fanout_view_narrow(lab):
    _pubsub(lab)
    record = _publish(lab, "chat", "hi all")
    text = render(FanoutView(gather_fanout(lab.conn, lab.subscribers(), last_publish=record)), 40)
    check_golden("fanout_40", text)

"""ViewSession and WatchList: the meta-commands, the watch pane, windowing, export."""

from __future__ import annotations

import pytest
from viewkit import T0, check_golden, render, step

from redis_lab.views.watches import Message, ViewSession, Watch, WatchList


@pytest.fixture
def views(orders):
    return ViewSession(orders.conn, subscribers=orders.subscribers)


def _message(out) -> Message:
    assert isinstance(out, Message), out
    return out


def test_show_each_view(views, orders):
    from redis_lab.views.fanout import FanoutView
    from redis_lab.views.lag import LagView
    from redis_lab.views.pel import PelView
    from redis_lab.views.stream import StreamView

    assert isinstance(views.handle_meta("show", "stream orders"), StreamView)
    assert isinstance(views.handle_meta("show", "pel orders g1"), PelView)
    assert isinstance(views.handle_meta("show", "lag orders"), LagView)
    assert isinstance(views.handle_meta("show", "fanout"), FanoutView)
    assert isinstance(views.handle_meta(":show", ["fanout", "chat"]), FanoutView)
    assert isinstance(views.show("pel", "orders", "g1"), PelView)


def test_show_options(views):
    text = render(views.handle_meta("show", "pel orders g1 IDLE 1s POISON 10"), 80)
    assert "claimable 5 · idle ≥ 1s" in text and "poison?" not in text
    text = render(views.handle_meta("show", "stream orders count 2"), 80)
    assert "… 3 older entries" in text


@pytest.mark.parametrize("args,error", [
    ("", "which view?"),
    ("queue orders", "no view 'queue'"),
    ("pel orders", "usage: pel KEY GROUP"),
    ("stream", "usage: stream KEY"),
    ("pel orders g1 IDLE soon", "IDLE needs a number"),
    ("flow", "no flow yet"),
    ('stream "orders', "cannot split"),
])
def test_show_usage_errors(views, args, error):
    out = _message(views.handle_meta("show", args))
    assert out.is_error and error in out.text


def test_unknown_meta_is_an_error(views):
    assert _message(views.handle_meta("frobnicate", "")).is_error


def test_watch_stack_and_unwatch(views):
    assert "no watches" in _message(views.handle_meta("watch", "")).text
    first = render(views.handle_meta("watch", "pel orders g1"), 80)
    assert first.startswith("watching [1] pel orders g1: drawn after every command")
    assert "[1] PEL orders › g1" in first
    views.handle_meta("watch", "lag orders")
    views.handle_meta("watch", "fanout")
    again = render(views.handle_meta("watch", "lag orders"), 80)
    assert again.startswith("already watching [2] lag orders")
    assert _message(views.handle_meta("watch", "")).text == (
        "watching [1] pel orders g1 · [2] lag orders · [3] fanout (:unwatch N removes one)")
    pane = render(views.watch_pane(), 80)
    assert pane.index("[1] PEL") < pane.index("[2] consumer lag") < pane.index("[3] pub/sub")
    assert _message(views.handle_meta("unwatch", "2")).text == (
        "stopped watching lag orders; still watching [1] pel orders g1 · [2] fanout")
    assert _message(views.handle_meta("unwatch", "7")).is_error
    assert _message(views.handle_meta("unwatch", "two")).is_error
    assert _message(views.handle_meta("unwatch", "")).text == (
        "stopped watching pel orders g1, fanout")
    assert views.watch_pane() is None
    assert _message(views.handle_meta("unwatch", "all")).text == "no watches to remove"


def test_watch_list_model():
    watches = WatchList()
    assert watches.add(Watch("lag", (b"s",))) == (1, True)
    assert watches.add(Watch("pel", (b"s", b"g"))) == (2, True)
    assert watches.add(Watch("lag", (b"s",))) == (1, False)
    assert watches.describe() == "[1] lag s · [2] pel s g"
    assert [w.spec for w in watches.remove(1)] == ["lag s"]
    assert len(watches) == 1
    assert [w.spec for w in watches.remove('all')] == ['pel s g'] and not watches.items


def test_watches_redraw_after_every_command(views, orders):
    views.handle_meta("watch", "pel orders g1")
    _, out = step(views, orders, "c2", "XACK", "orders", "g1", f"{T0 + 3000}-0")
    assert len(out) == 1                                  # explain is off: just the pane
    assert "4 pending" in render(out[0], 80)
    orders.advance(60_000)
    text = render(views.refresh()[0], 80)                 # after :advance
    assert "claimable 4" in text


def test_watch_pane_fits_a_small_terminal(lab):
    for i in range(500):
        lab.run("p", "XADD", "jobs", f"{T0 + i}-0", "job", str(i))
    lab.run("p", "XGROUP", "CREATE", "jobs", "workers", "0")
    lab.run("w1", "XREADGROUP", "GROUP", "workers", "w1", "STREAMS", "jobs", ">")
    views = ViewSession(lab.conn, height=24)
    views.handle_meta("watch", "pel jobs workers")
    views.handle_meta("watch", "stream jobs")
    text = render(views.watch_pane(), 60)
    check_golden("pane_small_terminal_60x24", text)
    assert len(text.splitlines()) <= 26
    assert "… 497 more pending entries" in text


def test_explain_toggle(views):
    assert _message(views.handle_meta("explain", "")).text == "explain is off (:explain on | off)"
    assert _message(views.handle_meta("explain", "on")).text.startswith("explain on")
    assert views.explain and views.flow_enabled
    assert _message(views.handle_meta("explain", "maybe")).is_error
    assert _message(views.handle_meta("explain", "off")).text == "explain off"
    views.flow = True
    assert views.flow_enabled and not views.explain


def test_export_svg_and_html(views, orders, tmp_path):
    assert _message(views.handle_meta("export", f"svg {tmp_path / 'x.svg'}")).is_error
    views.handle_meta("watch", "lag orders")
    views.handle_meta("explain", "on")
    step(views, orders, "c2", "XACK", "orders", "g1", f"{T0 + 3000}-0")
    svg, html = tmp_path / "screen.svg", tmp_path / "screen.html"
    out = _message(views.handle_meta("export", f"svg {svg}"))
    assert out.text == f"wrote {svg} (SVG, 3 views, 100 columns)", out.text
    content = svg.read_text(encoding="utf-8")
    assert content.startswith("<svg") and "XACK" in content and "consumer" in content
    out = _message(views.handle_meta("export", [str(html)]))      # the format from the suffix
    assert not out.is_error
    page = html.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "XACK&#x27;" not in page and "consumer lag" in page
    assert _message(views.handle_meta("export", "png x.png")).is_error
    bad = _message(views.handle_meta("export", f"svg {tmp_path / 'no' / 'dir' / 'x.svg'}"))
    assert bad.is_error and "cannot write" in bad.text


def test_export_width(orders, tmp_path):
    views = ViewSession(orders.conn, width=60)
    views.handle_meta("show", "pel orders g1")
    assert "60 columns" in views.handle_meta("export", f"html {tmp_path / 'p.html'}").text


def test_after_command_without_before_is_harmless(views, orders):
    views.handle_meta("explain", "on")
    reply = orders.run("c2", "XACK", "orders", "g1", f"{T0 + 3000}-0")
    assert views.after_command("c2", [b"XACK"], reply) == []


def test_rebind_after_reset(views, engine_factory):
    from viewkit import Lab

    fresh = Lab(engine_factory())
    views.handle_meta("watch", "lag orders")
    views.rebind(fresh.conn, subscribers=fresh.subscribers)
    assert "no stream at orders" in render(views.watch_pane(), 60)


def test_views_never_disturb_learner_clients(orders):
    """XINFO/XPENDING refresh nothing: consumer idle keeps growing, clients keep their state."""
    views = ViewSession(orders.conn, subscribers=orders.subscribers, explain=True)
    for view in ("watch stream orders", "watch pel orders g1", "watch lag orders",
                 "watch fanout"):
        views.handle_meta(*view.split(" ", 1))
    c1 = orders.engine.client("c1")
    before = (c1.last_command, c1.last_command_ms)
    idle = orders.run("p", "XINFO", "CONSUMERS", "orders", "g1")
    orders.advance(1000)
    step(views, orders, "p", "XADD", "orders", "*", "k", "v")
    views.refresh()
    after = orders.run("p", "XINFO", "CONSUMERS", "orders", "g1")
    assert [m[5] for m in after] == [m[5] + 1000 for m in idle]
    assert (c1.last_command, c1.last_command_ms) == before


def test_message_renders_and_prints():
    assert str(Message("hi")) == "hi"
    assert render(Message("oops", is_error=True), 20) == "oops\n"


def test_connection_factory_is_opened_on_first_use(orders):
    opened = []

    def connect():
        opened.append(True)
        return orders.conn

    views = ViewSession(connect)
    views.handle_meta("explain", "on")
    assert not opened
    assert "PEL orders › g1" in render(views.handle_meta("show", "pel orders g1"), 80)
    views.handle_meta("show", "lag orders")
    assert opened == [True]


def test_commands_queued_in_multi_are_not_narrated(orders):
    views = ViewSession(orders.conn, explain=True)
    step(views, orders, "c2", "MULTI")
    reply, out = step(views, orders, "c2", "XACK", "orders", "g1", f"{T0 + 3000}-0")
    assert reply == "QUEUED" and out == []

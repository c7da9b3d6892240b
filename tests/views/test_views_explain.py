"""The narration (``:explain on``) and the PEL flow after each kind of command."""

from __future__ import annotations

import pytest
from viewkit import T0, check_golden, narration, render, step

from redis_lab.views.narration import Narration
from redis_lab.views.watches import ViewSession


@pytest.fixture
def views(lab):
    return ViewSession(lab.conn, subscribers=lab.subscribers, explain=True)


def _queue(views, lab, n=3):
    step(views, lab, "p", "XGROUP", "CREATE", "orders", "g1", "$", "MKSTREAM")
    for i in range(n):
        step(views, lab, "p", "XADD", "orders", f"{T0 + i}-0", "item", f"sku-{i}")


def _flow_text(outputs, width=80) -> str:
    return "".join(render(o, width) for o in outputs if not isinstance(o, Narration))


def test_explain_xadd(views, lab):
    _, out = step(views, lab, "p", "XGROUP", "CREATE", "orders", "g1", "$", "MKSTREAM")
    assert narration(out) == ("created group g1 on orders at 0-0 (MKSTREAM created the empty "
                              "stream); it will read only entries added from now on")
    _, out = step(views, lab, "p", "XADD", "orders", f"{T0}-0", "item", "book")
    assert narration(out) == ("XADD appended 1700000000000-0 to orders (length 1); "
                              "g1 lag 0 → 1")
    _, out = step(views, lab, "p", "XADD", "orders", "MAXLEN", "1", "*", "item", "pen")
    assert narration(out) == ("XADD appended 1700000000000-1 to orders (length 1); trimming "
                              "removed 1 entry")   # g1's lag stays 1: it lost the trimmed one
    _, out = step(views, lab, "p", "XADD", "fresh", "*", "a", "1")
    assert narration(out) == "XADD created fresh with 1700000000000-0"


def test_explain_and_flow_xreadgroup(views, lab):
    _queue(views, lab)
    _, out = step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "COUNT", "2", "STREAMS",
                  "orders", ">")
    assert narration(out) == ("XREADGROUP gave c1 2 new entries of orders (1700000000000-0, "
                              "1700000000001-0); g1 lag 3 → 1; c1 now has 2 pending")
    check_golden("flow_xreadgroup_80", _flow_text(out))
    _, out = step(views, lab, "c2", "XREADGROUP", "GROUP", "g1", "c2", "STREAMS", "orders", ">")
    _, out = step(views, lab, "c2", "XREADGROUP", "GROUP", "g1", "c2", "STREAMS", "orders", ">")
    assert narration(out) == ("XREADGROUP found nothing new for g1 in orders (lag 0); c2 got "
                              "nil")
    assert _flow_text(out) == ""
    _, out = step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", "0")
    assert narration(out) == ("XREADGROUP re-read 2 pending entries of c1 from orders "
                              "(delivery counts +1)")
    assert "history read · delivery 1 → 2" in _flow_text(out)


def test_explain_blocked_reader_and_the_xadd_that_serves_it(views, lab):
    _queue(views, lab, 0)
    _, out = step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "BLOCK", "0",
                  "STREAMS", "orders", ">")
    assert narration(out) == ("c1 is blocked: no new entries for g1 in orders; it is served "
                              "when someone XADDs (or the BLOCK timeout passes)")
    _, out = step(views, lab, "p", "XADD", "orders", f"{T0}-0", "item", "x")
    assert narration(out) == ("XADD appended 1700000000000-0 to orders (length 1); g1 handed "
                              "1 entry to a blocked reader (pending 0 → 1)")


def test_explain_and_flow_xack(views, lab):
    _queue(views, lab)
    step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", ">")
    _, out = step(views, lab, "c1", "XACK", "orders", "g1", f"{T0}-0")
    assert narration(out) == "XACK removed 1700000000000-0 from g1's PEL; c1 now has 2 pending"
    _, out = step(views, lab, "c1", "XACK", "orders", "g1", f"{T0 + 1}-0", f"{T0 + 2}-0",
                  f"{T0}-0")
    assert narration(out) == ("XACK removed 2 entries (1700000000001-0, 1700000000002-0) from "
                              "g1's PEL; c1 now has 0 pending; 1 ID was not pending")
    check_golden("flow_xack_80", _flow_text(out))
    _, out = step(views, lab, "c1", "XACK", "orders", "g1", f"{T0}-0")
    assert narration(out) == "XACK removed nothing: 1700000000000-0 was not pending in g1"


def test_explain_and_flow_xclaim(views, lab):
    _queue(views, lab)
    step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "COUNT", "2", "STREAMS", "orders",
         ">")
    lab.advance(65_000)
    step(views, lab, "c3", "XREADGROUP", "GROUP", "g1", "c3", "STREAMS", "orders", ">")
    step(views, lab, "p", "XDEL", "orders", f"{T0 + 1}-0")
    _, out = step(views, lab, "c2", "XCLAIM", "orders", "g1", "c2", "60000", f"{T0}-0",
                  f"{T0 + 1}-0", f"{T0 + 2}-0", f"{T0 + 9}-0")
    assert narration(out) == ("XCLAIM moved 1700000000000-0 from c1 to c2 (delivery 1 → 2); "
                              "c2 now has 1 pending; 1700000000002-0 stayed with c3 (idle 0ms "
                              "< 1m00s); dropped 1 deleted entry from the PEL")
    text = _flow_text(out)
    check_golden("flow_xclaim_80", text)
    assert "c1 ──▶ c2" in text and "──✗" in text


def test_explain_and_flow_xautoclaim(views, lab):
    _queue(views, lab)
    step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", ">")
    lab.advance(61_000)
    step(views, lab, "p", "XDEL", "orders", f"{T0 + 2}-0")
    _, out = step(views, lab, "c2", "XAUTOCLAIM", "orders", "g1", "c2", "60000", "0-0")
    assert narration(out) == ("XAUTOCLAIM gave c2 2 entries idle ≥ 1m00s (from c1); c2 now "
                              "has 2 pending; dropped 1 deleted entry; cursor 0-0: scan "
                              "complete")
    check_golden("flow_xautoclaim_80", _flow_text(out))
    _, out = step(views, lab, "c3", "XAUTOCLAIM", "orders", "g1", "c3", "60000", "0-0")
    assert narration(out) == ("XAUTOCLAIM claimed nothing: no pending entry idle ≥ 1m00s "
                              "from 0-0 on; cursor 0-0: scan complete")


def test_explain_pubsub(views, lab):
    _, out = step(views, lab, "alice", "SUBSCRIBE", "chat", "news")
    assert narration(out) == ("alice subscribed to chat, news (alice: 2 subscriptions; chat "
                              "now has 1 subscriber, news now has 1 subscriber); alice is now "
                              "in subscribed mode")
    _, out = step(views, lab, "bob", "PSUBSCRIBE", "ch*")
    assert narration(out) == ("bob subscribed to pattern ch* (bob: 1 subscription); bob is "
                              "now in subscribed mode")
    _, out = step(views, lab, "carol", "PUBLISH", "chat", "hi")
    assert narration(out) == "PUBLISH chat reached 2 receivers: alice, bob (via ch*)"
    _, out = step(views, lab, "carol", "PUBLISH", "void", "hello?")
    assert narration(out) == ("PUBLISH void reached 0 receivers — the message is gone "
                              "(Pub/Sub stores nothing)")
    _, out = step(views, lab, "alice", "UNSUBSCRIBE", "news")
    assert narration(out) == "alice unsubscribed from news (alice: 1 subscription left)"
    _, out = step(views, lab, "alice", "UNSUBSCRIBE")
    assert narration(out) == ("alice unsubscribed from chat (alice has no subscriptions left: "
                              "back to normal mode)")


def test_explain_group_admin_and_deletes(views, lab):
    _queue(views, lab)
    step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "COUNT", "1", "STREAMS", "orders",
         ">")
    _, out = step(views, lab, "p", "XDEL", "orders", f"{T0 + 2}-0")
    assert narration(out) == ("XDEL removed 1 entry from orders (length 2); max-deleted-entry-id "
                              "1700000000002-0; g1 lag 2 → nil; pending entries that pointed "
                              "at them stay in the PEL until XACKed")
    _, out = step(views, lab, "p", "XGROUP", "CREATE", "orders", "mid", f"{T0}-0")
    assert narration(out) == ("created group mid on orders at 1700000000000-0; lag nil: Redis "
                              "cannot tell how many entries it has to read")
    _, out = step(views, lab, "p", "XGROUP", "DELCONSUMER", "orders", "g1", "c1")
    assert narration(out) == ("deleted consumer c1 from g1: its 1 pending entry left the PEL "
                              "without an XACK and will not be delivered again")
    _, out = step(views, lab, "p", "XGROUP", "DESTROY", "orders", "mid")
    assert narration(out) == ("destroyed group mid: its consumers and PEL are gone (0 pending "
                              "entries forgotten)")


def test_no_narration_for_errors_reads_and_when_off(views, lab):
    _queue(views, lab)
    _, out = step(views, lab, "p", "XACK", "orders")          # wrong arity: an error reply
    assert narration(out) is None
    _, out = step(views, lab, "p", "XRANGE", "orders", "-", "+")
    assert narration(out) is None
    views.handle_meta("explain", "off")
    _, out = step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", ">")
    assert out == []                              # no narration, no flow, no watches
    assert views.last_flows and views.last_flows[0].command == "XREADGROUP"

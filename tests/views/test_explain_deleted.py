"""``:explain`` after a history re-read that meets deleted entries: Redis 7.0 adds a delivery
only to the entries still in the stream (t_stream.c, streamReplyWithRangeFromConsumerPEL); a
deleted one comes back as nil with its count unchanged. Checked against the engine's XPENDING,
which the conformance suite holds to redis-server."""

from __future__ import annotations

import pytest
from viewkit import T0, narration, step

from redis_lab.views.watches import ViewSession


@pytest.fixture
def views(lab):
    return ViewSession(lab.conn, subscribers=lab.subscribers, explain=True)


def test_rereading_deleted_entries_does_not_count_them(views, lab, engine):
    step(views, lab, "p", "XGROUP", "CREATE", "orders", "g1", "$", "MKSTREAM")
    for i in range(2):
        step(views, lab, "p", "XADD", "orders", f"{T0 + i}-0", "item", f"sku-{i}")
    step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", ">")
    step(views, lab, "p", "XDEL", "orders", f"{T0}-0")
    _, out = step(views, lab, "c1", "XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "orders", "0")
    assert narration(out) == ("XREADGROUP re-read 2 pending entries of c1 from orders "
                              "(delivery counts +1 for the 1 still in the stream); 1 deleted "
                              "from the stream came back as nil, delivery count unchanged")
    rows = engine.introspect([b"XPENDING", b"orders", b"g1", b"-", b"+", b"10"])
    assert [(row[0], row[3]) for row in rows] == [(b"1700000000000-0", 1),
                                                   (b"1700000000001-0", 2)]

"""The fan-out view knows shard channels: SSUBSCRIBErs are drawn under SPUBLISH, on the embedded
engine and on a real redis-server alike (the view reads PUBSUB SHARDCHANNELS / SHARDNUMSUB)."""

from __future__ import annotations

import io

import pytest

from redis_lab.app.script import run_lines
from redis_lab.settings import Environment, Settings

LINES = ["@alice SSUBSCRIBE orders", "@bob SUBSCRIBE news", ":show fanout orders",
         ":show fanout", "SPUBLISH orders x", ":show fanout orders"]


def _screen(**settings) -> str:
    out = io.StringIO()
    run_lines(LINES, Settings(width=72, **settings), out, io.StringIO(), env=Environment())
    return out.getvalue()


EXPECTED = """\
1) "ssubscribe"
2) "orders"
3) (integer) 1
1) "subscribe"
2) "news"
3) (integer) 1
╭─ pub/sub fan-out orders ─────────────────────────────────────────────╮
│  PUBLISH ─▶ orders ──▶ nobody: a message published here is gone      │
│ SPUBLISH ─▶ orders ──▶ alice                                         │
╰──────────────────────────────────────────────────────────────────────╯
╭─ pub/sub fan-out ────────────────────────────────────────────────────╮
│  PUBLISH ─▶ news   ──▶ bob                                           │
│ SPUBLISH ─▶ orders ──▶ alice                                         │
╰──────────────────────────────────────────────────────────────────────╯
(integer) 1
alice ◂ 1) "smessage"
        2) "orders"
        3) "x"
╭─ pub/sub fan-out orders ─────────────────────────────────────────────╮
│ default ▶ SPUBLISH orders "x" → 1 receiver: alice                    │
│                                                                      │
│  PUBLISH ─▶ orders ──▶ nobody: a message published here is gone      │
│  default ─▶ orders ──▶ alice ✓                                       │
╰──────────────────────────────────────────────────────────────────────╯
"""


@pytest.mark.parametrize("backend", ["embedded", "redis-server"])
def test_a_shard_subscriber_is_drawn_under_spublish(backend, request):
    settings = {"redis_url": request.getfixturevalue("url")} if backend == "redis-server" else {}
    assert _screen(**settings) == EXPECTED

"""Fixtures for the views tests (helpers live in viewkit.py): a lab and the ``orders`` scenario."""

from __future__ import annotations

import pytest
from viewkit import T0, Lab


@pytest.fixture
def lab(engine) -> Lab:
    return Lab(engine)


@pytest.fixture
def orders(lab) -> Lab:
    """``orders``: 6 entries a second apart, groups g1 (read by c1 and c2) and audit (at 0).

    c1 read 3 entries then went quiet for 65 s; c2 read 2 and re-read one of them 4 times more;
    the entry 1700000002000-0 was then deleted (still pending for c1).
    """
    for i in range(6):
        lab.run("producer", "XADD", "orders", f"{T0 + i * 1000}-0", "item", f"sku-{i}",
                "qty", str(i + 1))
    lab.run("producer", "XGROUP", "CREATE", "orders", "g1", "0")
    lab.run("producer", "XGROUP", "CREATE", "orders", "audit", "0")
    lab.advance(6000)
    lab.run("c1", "XREADGROUP", "GROUP", "g1", "c1", "COUNT", "3", "STREAMS", "orders", ">")
    lab.advance(60_000)
    lab.run("c2", "XREADGROUP", "GROUP", "g1", "c2", "COUNT", "2", "STREAMS", "orders", ">")
    for _ in range(4):
        lab.run("c2", "XREADGROUP", "GROUP", "g1", "c2", "COUNT", "1", "STREAMS", "orders",
                f"{T0 + 2000}-0")
    lab.advance(5000)
    lab.run("producer", "XDEL", "orders", f"{T0 + 2000}-0")
    return lab

"""Fixtures for the views: engine scenarios built with real commands, rendering, golden files.

Views render into ``Console(file=io.StringIO(), width=..., color_system=None, _environ={})`` and
are compared with ``tests/views/golden/NAME.txt``. To regenerate after a deliberate change::

    REDIS_LAB_UPDATE_GOLDEN=1 python3 -m pytest tests/views -q -p no:cacheprovider

then read every changed golden (git diff) before committing it: goldens are reviewed by eye.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
T0 = 1_700_000_000_000


def render(renderable, width: int = 80) -> str:
    """Plain text of a renderable at ``width`` columns (no colour, no terminal quirks)."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, _environ={},
                      legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with golden/NAME.txt (write it when REDIS_LAB_UPDATE_GOLDEN is set)."""
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("REDIS_LAB_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden {path.name}; run with REDIS_LAB_UPDATE_GOLDEN=1 and review"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden:\n{text}"


class Lab:
    """An engine on a virtual clock, commands run as named clients, and the views' connection."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.conn = engine.client("__views__")

    def run(self, label: str, *args):
        return self.engine.client(label).execute([_b(a) for a in args])

    def advance(self, ms: int) -> None:
        self.engine.clock.advance(ms)

    def subscribers(self):
        from redis_lab.views.snapshots import subscribers_from_clients

        return subscribers_from_clients(self.engine.clients.values())


def _b(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


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

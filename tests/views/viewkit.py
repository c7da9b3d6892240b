"""Helpers for the views tests: rendering, golden files, a small lab around an engine.

Views render into ``Console(file=io.StringIO(), width=..., color_system=None, _environ={})`` and
are compared with ``tests/views/golden/NAME.txt``. To regenerate after a deliberate change::

    REDIS_LAB_UPDATE_GOLDEN=1 python3 -m pytest tests/views -q -p no:cacheprovider

then read every changed golden (git diff) before committing it: goldens are reviewed by eye.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

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


def step(views, lab: Lab, label: str, *args):
    """Run one command the way the shell will: before_command, execute, after_command.

    Returns ``(reply, renderables)``.
    """
    words = [_b(a) for a in args]
    views.before_command(label, words)
    reply = lab.engine.client(label).execute(words)
    return reply, views.after_command(label, words, reply)


def narration(outputs) -> str | None:
    """The text of the Narration among ``outputs`` (None if there is none)."""
    from redis_lab.views.narration import Narration

    found = [o.text for o in outputs if isinstance(o, Narration)]
    assert len(found) <= 1
    return found[0] if found else None

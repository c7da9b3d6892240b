"""Clocks. The engine reads time only through a clock so lessons can make time deterministic."""

from __future__ import annotations

import time
from typing import Callable


class WallClock:
    """Real time, in milliseconds since the epoch."""

    virtual = False

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def now_us(self) -> int:
        return time.time_ns() // 1_000

    def on_change(self, listener: Callable[[], None]) -> None:
        """Wall time moves by itself; the engine polls instead of being told."""
        self._listeners.append(listener)


class VirtualClock(WallClock):
    """Time that moves only when told to: IDs, idle times and BLOCK timeouts become reproducible."""

    virtual = True

    def __init__(self, start_ms: int = 1_700_000_000_000) -> None:
        super().__init__()
        self._ms = int(start_ms)

    def now_ms(self) -> int:
        return self._ms

    def now_us(self) -> int:
        return self._ms * 1000

    def advance(self, ms: int) -> None:
        """Move time forward by ``ms`` and let the engine expire BLOCK timeouts that have passed."""
        if ms < 0:
            raise ValueError("a virtual clock never goes backwards; use set() for that")
        self._ms += int(ms)
        for listener in list(self._listeners):
            listener()

    def set(self, ms: int) -> None:
        """Jump to an absolute time (it may go backwards, as a real clock can)."""
        self._ms = int(ms)
        for listener in list(self._listeners):
            listener()

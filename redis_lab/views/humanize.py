"""Small words for numbers: durations (``1m05s``), stream IDs as times, counts, bars.

Pure functions with no rich import, shared by the renderables and the narration.
"""

from __future__ import annotations

import time


def duration(ms: int | None) -> str:
    """Milliseconds in a short human form.

    ``0`` -> ``0ms``, ``850`` -> ``850ms``, ``5000`` -> ``5s``, ``5300`` -> ``5.3s``,
    ``65000`` -> ``1m05s``, ``3_725_000`` -> ``1h02m``, ``90_000_000`` -> ``1d01h``.
    Negative values (clock moved back) print as ``0ms``; None prints as ``-``.
    """
    if ms is None:
        return "-"
    ms = max(int(ms), 0)
    if ms < 1000:
        return f"{ms}ms"
    if ms < 10_000:
        tenths = ms // 100
        whole, frac = divmod(tenths, 10)
        return f"{whole}s" if frac == 0 else f"{whole}.{frac}s"
    seconds = ms // 1000
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def count(n: int) -> str:
    """``9850`` -> ``9,850``."""
    return f"{n:,}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``plural(1, "entry", "entries")`` -> ``1 entry``; ``plural(3, "entry", "entries")``."""
    return f"{count(n)} {word if n == 1 else (many or word + 's')}"


# ------------------------------------------------------------------------------------------------
# Stream IDs
# ------------------------------------------------------------------------------------------------

def parse_id(sid: str) -> tuple[int, int]:
    """``"1700000000000-3"`` -> ``(1700000000000, 3)``; a bare ``"5"`` is ``(5, 0)``."""
    ms, _, seq = sid.partition("-")
    try:
        return int(ms), int(seq or 0)
    except ValueError:
        return (0, 0)


def id_ms(sid: str) -> int:
    return parse_id(sid)[0]


def is_zero_id(sid: str | None) -> bool:
    return sid is None or parse_id(sid) == (0, 0)


def ms_time(ms: int, *, date: bool = True) -> str:
    """Unix ms as UTC text: ``2023-11-14 22:13:20.000`` (or ``22:13:20.000``)."""
    seconds, millis = divmod(int(ms), 1000)
    try:
        stamp = time.gmtime(seconds)
    except (OverflowError, OSError, ValueError):
        return "?"
    fmt = "%Y-%m-%d %H:%M:%S" if date else "%H:%M:%S"
    return time.strftime(fmt, stamp) + f".{millis:03d}"


def id_time(sid: str, *, date: bool = True) -> str:
    """The time a stream ID was made, from its ms part (the seq part is not a time)."""
    ms = id_ms(sid)
    if ms < 100_000_000_000:   # before 1973: an explicit small ID such as 1-0, not a time
        return "-"
    return ms_time(ms, date=date)


# ------------------------------------------------------------------------------------------------
# Bars
# ------------------------------------------------------------------------------------------------

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled in proportion ``value / maximum``.

    Eighth-cell precision; any value above zero shows at least a sliver.
    """
    if width <= 0 or maximum <= 0 or value <= 0:
        return ""
    fraction = min(value / maximum, 1.0)
    eighths = max(round(fraction * width * 8), 1)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")

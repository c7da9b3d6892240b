"""Redis's strict integer parser (string2ll), shared by the commands and the models."""

from __future__ import annotations

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)


def parse_ll(arg: bytes) -> int | None:
    """Redis's string2ll: the strict int64 parser."""
    n = len(arg)
    if n == 0 or n > 20:
        return None
    if n == 1:
        return arg[0] - 48 if 48 <= arg[0] <= 57 else None
    digits = arg[1:] if arg[0] == 45 else arg  # '-'
    if not digits or not digits.isdigit() or digits[0] == 48 or not digits.isascii():
        return None
    value = int(arg)
    if value > LLONG_MAX or value < LLONG_MIN:
        return None
    return value

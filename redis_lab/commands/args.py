"""Argument parsing shared by the handlers, with Redis's exact strictness.

Redis parses integers with ``string2ll``: an optional '-', no '+', no spaces, no leading zeros,
within int64. These helpers return None on failure so each caller can raise its own error text.
"""

from __future__ import annotations

from ..model.errors import NOT_INTEGER, CommandError

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


def int_arg(arg: bytes, error: str = NOT_INTEGER) -> int:
    """Parse an int64 argument or abort with ``error`` (default: Redis's integer error)."""
    value = parse_ll(arg)
    if value is None:
        raise CommandError(error)
    return value


def keyword(arg: bytes) -> bytes:
    """An option word, compared case-insensitively."""
    return arg.upper()

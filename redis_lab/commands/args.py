"""Argument parsing shared by the handlers, with Redis's exact strictness.

Redis parses integers with ``string2ll``: an optional '-', no '+', no spaces, no leading zeros,
within int64. These helpers return None on failure so each caller can raise its own error text.
"""

from __future__ import annotations

from ..model.errors import NOT_INTEGER, CommandError

from ..model.numbers import LLONG_MAX, LLONG_MIN, parse_ll  # noqa: F401  (re-exported)


def int_arg(arg: bytes, error: str = NOT_INTEGER) -> int:
    """Parse an int64 argument or abort with ``error`` (default: Redis's integer error)."""
    value = parse_ll(arg)
    if value is None:
        raise CommandError(error)
    return value


def keyword(arg: bytes) -> bytes:
    """An option word, compared case-insensitively."""
    return arg.upper()

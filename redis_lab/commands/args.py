"""Argument parsing shared by the handlers, with Redis's exact strictness and error texts.

Redis parses integers with ``string2ll``: an optional '-', no '+', no spaces, no leading zeros,
within int64 (``parse_ll``, which returns None so a caller can choose its own error text).
``int_arg`` parses one argument at a known place; ``Args`` is a cursor over the rest of a
command, as mini-redis's ``Parse`` is (``next_bytes``, ``next_int``, ``finish``): an option loop
asks for the next word instead of checking ``i + 1 < len(args)`` and indexing by hand, and
running out of words or having words left over is Redis's "ERR syntax error" in one place.

Where Redis reads an option's value only after the whole option list was checked (SET's EX
value), the handler takes the value with ``next_bytes`` and parses it later, so the error a
learner sees first is the one Redis reports first.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.errors import NOT_INTEGER, SYNTAX, CommandError, out_of_range
from ..model.numbers import LLONG_MAX, LLONG_MIN, parse_ll  # noqa: F401  (re-exported)


def int_arg(arg: bytes, error: str = NOT_INTEGER) -> int:
    """Parse an int64 argument or abort with ``error`` (default: Redis's integer error)."""
    value = parse_ll(arg)
    if value is None:
        raise CommandError(error)
    return value


def int_in_range(arg: bytes, minimum: int, maximum: int) -> int:
    """An integer Redis reads into a narrower C type (``getRangeLongFromObjectOrReply``): not
    an int64 is NOT_INTEGER, outside ``minimum..maximum`` is Redis's "value must between"."""
    value = int_arg(arg)
    if not minimum <= value <= maximum:
        raise CommandError(out_of_range(minimum, maximum))
    return value


def keyword(arg: bytes) -> bytes:
    """An option word, compared case-insensitively."""
    return arg.upper()


class Args:
    """A cursor over a command's arguments from ``start`` on (``args[0]`` is the command name).

    Args:
        args: the whole command, name first.
        start: the first argument the cursor hands out.
        missing: the error when a word is asked for and none is left (Redis: a syntax error).
    """

    __slots__ = ("args", "pos", "missing")

    def __init__(self, args: Sequence[bytes], start: int = 1, missing: str = SYNTAX) -> None:
        self.args = args
        self.pos = start
        self.missing = missing

    def __bool__(self) -> bool:
        """Words are left."""
        return self.pos < len(self.args)

    def left(self) -> int:
        """How many words are left."""
        return len(self.args) - self.pos

    def next_bytes(self) -> bytes:
        """The next word as given; the ``missing`` error when there is none."""
        if self.pos >= len(self.args):
            raise CommandError(self.missing)
        word = self.args[self.pos]
        self.pos += 1
        return word

    def next_keyword(self) -> bytes:
        """The next word upper-cased, for comparing with an option name."""
        return self.next_bytes().upper()

    def next_int(self, error: str = NOT_INTEGER) -> int:
        """The next word as an int64 (Redis's ``string2ll``), else ``error``."""
        return int_arg(self.next_bytes(), error)

    def finish(self, error: str = SYNTAX) -> None:
        """Raise ``error`` if any word is left over."""
        if self.pos < len(self.args):
            raise CommandError(error)

"""The one thing the views need from a backend: a connection that runs a command.

Views read state only through Redis's own introspection commands (XINFO, XPENDING, XRANGE,
PUBSUB, TIME), so anything with this method will do::

    class Connection(Protocol):
        def execute(self, args: list[bytes]) -> object: ...

and return reply values as ``redis_lab.model.reply`` defines them (bytes, int, list, None,
``Error``, ``Map``...). The engine's ``Client.execute`` does; a connection to a real Redis that
parses RESP with ``redis_lab.protocol.resp.parse`` does too. Use a connection of its own (e.g.
``engine.client("__views__")``) so that the learner's clients are never disturbed. Reading is
side-effect free: XINFO and XPENDING refresh no consumer.

This module also holds the small helpers that turn reply values into plain Python values, in
one place, so that snapshots do not care whether a reply came as RESP2 flat arrays or RESP3
maps, or whether a future client already decoded strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable


@runtime_checkable
class Connection(Protocol):
    """Runs one command and returns its reply value."""

    def execute(self, args: list[bytes]) -> object:  # pragma: no cover - a protocol
        ...


class FunctionConnection:
    """A Connection made from a callable ``args -> reply`` (handy for tests and adapters)."""

    def __init__(self, function: Callable[[list[bytes]], object]) -> None:
        self._function = function

    def execute(self, args: list[bytes]) -> object:
        return self._function(args)


class CountingConnection:
    """Wraps a Connection and counts the commands sent (tests use it to keep views cheap)."""

    def __init__(self, inner: Connection) -> None:
        self.inner = inner
        self.sent: list[list[bytes]] = []

    def execute(self, args: list[bytes]) -> object:
        self.sent.append(list(args))
        return self.inner.execute(args)


class ReplyError(Exception):
    """An error reply (``ERR no such key``, ``NOGROUP ...``, ``WRONGTYPE ...``)."""


class _Observer:
    """The engine's invisible observer as a Connection (see Engine.introspect)."""

    def __init__(self, engine, db: int = 0) -> None:
        self.engine = engine
        self.db = db

    def execute(self, args: list[bytes]):
        return self.engine.introspect(args, self.db)


def engine_connection(engine, db: int = 0) -> Connection:
    """A connection to an in-process engine that reads without being seen: it is not in
    CLIENT LIST and takes no client id (against a real server the views use a normal one)."""
    return _Observer(engine, db)


# ------------------------------------------------------------------------------------------------
# Calling and decoding
# ------------------------------------------------------------------------------------------------

def is_error(reply: object) -> bool:
    """True for an error reply value (or an exception a client library handed back)."""
    from ..model.reply import Error

    return isinstance(reply, (Error, Exception))


def call(conn: Connection, *args: bytes | str | int) -> object:
    """Run a command; raise ReplyError on an error reply."""
    reply = conn.execute([_arg(a) for a in args])
    if is_error(reply):
        raise ReplyError(str(reply))
    return reply


def _arg(value: bytes | str | int) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogateescape")


def text(value: object) -> str:
    """A reply value as display text (bytes decoded as UTF-8, undecodable bytes escaped)."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "backslashreplace")
    return str(value)


def opt_text(value: object) -> str | None:
    """Like text(), but None (nil) stays None."""
    return None if value is None or _is_null(value) else text(value)


def to_int(value: object, default: int | None = None) -> int | None:
    """An integer reply, or a bulk string holding one (XPENDING's per-consumer counts)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, (bytes, str)):
        try:
            return int(value)
        except ValueError:
            return default
    return default


def to_list(value: object) -> list:
    """An array reply as a list ([] for nil arrays)."""
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    return []


def to_map(value: object) -> dict[str, object]:
    """A map reply (RESP3 map or RESP2 flat ``[k, v, k, v]`` array) as ``{text(k): v}``."""
    if isinstance(value, dict):
        return {text(k): v for k, v in value.items()}
    items = to_list(value)
    return {text(items[i]): items[i + 1] for i in range(0, len(items) - 1, 2)}


def _is_null(value: object) -> bool:
    return type(value).__name__ == "_NullArray"


def is_nil(value: object) -> bool:
    """True for a nil bulk string or a nil array."""
    return value is None or _is_null(value)


def decode_all(values: Iterable[object]) -> list[str]:
    return [text(v) for v in values]

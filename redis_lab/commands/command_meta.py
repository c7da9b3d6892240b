"""Redis's own metadata for the commands the engine implements: COMMAND INFO and COMMAND DOCS.

The facts (arity, flags, ACL categories, key specs, tips, subcommands, summary, since, group,
complexity, arguments, history) are not written by hand: ``scripts/gen_command_meta`` asks a
running redis-server 7.0.15 for them (over RESP3, so that sets and maps keep their types) and
writes ``command_data.py``. This module turns those values back into the exact bytes the server
sends, in RESP2 or RESP3, and looks commands up the way Redis does (``client|list`` names a
subcommand).

Values in the data use plain Python types plus two markers: ``str`` bulk string, ``int``
integer, ``list`` array, ``dict`` map, ``Status`` simple string, ``Set`` RESP3 set (an array
in RESP2).

A container's entry (CLIENT, XINFO, ...) is Redis's, so it lists all of Redis's subcommands, also
those the engine does not implement; COMMAND INFO/DOCS answer a ``container|sub`` name only for
subcommands the engine implements (see docs/FIDELITY.md).
"""

from __future__ import annotations

from functools import cache

from ..model.reply import Raw, Status
from ..protocol.resp import encode

__all__ = ["Set", "Status", "info", "docs", "summary_of"]

#: The server the data was taken from (checked by the conformance test).
REDIS_VERSION = "7.0.15"


class Set(list):
    """A RESP3 set (``~``): Redis sends flags, ACL categories, tips and key specs as sets."""

    __slots__ = ()


def to_resp(value, resp3: bool) -> bytes:
    """The bytes redis-server writes for a metadata value on a RESP2 or RESP3 connection."""
    kind = type(value)
    if kind is dict:
        head = b"%%%d\r\n" % len(value) if resp3 else b"*%d\r\n" % (2 * len(value))
        return head + b"".join(encode(k.encode()) + to_resp(v, resp3) for k, v in value.items())
    if kind is Set or kind is list:
        head = b"~%d\r\n" if resp3 and kind is Set else b"*%d\r\n"
        return head % len(value) + b"".join(to_resp(item, resp3) for item in value)
    if kind is str:
        return encode(value.encode())
    return encode(value, resp3)


def _data():
    from . import command_data

    return command_data


def _split(name: bytes) -> tuple[str, str | None]:
    text = name.decode("utf-8", "surrogateescape").lower()
    base, _, sub = text.partition("|")
    return base, (sub if _ else None)


def _info_value(base: str, sub: str | None):
    entry = _data().INFO.get(base)
    if entry is None or sub is None:
        return entry
    for child in entry[9]:
        if child[0] == f"{base}|{sub}":
            return child
    return None


def _docs_value(base: str, sub: str | None):
    entry = _data().DOCS.get(base)
    if entry is None or sub is None:
        return entry
    return entry.get("subcommands", {}).get(f"{base}|{sub}")


@cache
def _info_bytes(base: str, sub: str | None, resp3: bool) -> Raw | None:
    value = _info_value(base, sub)
    return None if value is None else Raw(to_resp(value, resp3))


@cache
def _docs_bytes(base: str, sub: str | None, resp3: bool) -> Raw | None:
    value = _docs_value(base, sub)
    return None if value is None else Raw(to_resp(value, resp3))


def info(name: bytes, resp3: bool) -> Raw | None:
    """``name``'s COMMAND INFO element (pre-encoded), or None when Redis has no such command."""
    return _info_bytes(*_split(name), resp3)


def docs(name: bytes, resp3: bool) -> Raw | None:
    """``name``'s COMMAND DOCS value (pre-encoded), or None when Redis has no such command."""
    return _docs_bytes(*_split(name), resp3)


def fullname_of(name: bytes) -> str:
    """Redis's name for the command in replies: ``client|list`` for ``CLIENT|LIST``."""
    base, sub = _split(name)
    return base if sub is None else f"{base}|{sub}"


def flags(name: bytes) -> list[str]:
    """The command flags (``write``, ``fast``, ``pubsub``...) Redis reports in COMMAND INFO."""
    value = _info_value(*_split(name))
    return [] if value is None else [str(f) for f in value[2]]


def key_specs(name: bytes) -> list[dict]:
    """The key specs of COMMAND INFO (begin_search, find_keys, flags), as data."""
    value = _info_value(*_split(name))
    return [] if value is None else list(value[8])


def categories(name: bytes) -> list[str]:
    """The ACL categories (``stream``, ``slow``...) of a command or subcommand, without ``@``."""
    value = _info_value(*_split(name))
    return [] if value is None else [str(c).lstrip("@") for c in value[6]]


def doc_field(name: bytes, key: str) -> str:
    """One text field of COMMAND DOCS (``summary``, ``since``, ``complexity``, ``group``)."""
    value = _docs_value(*_split(name))
    found = None if value is None else value.get(key)
    return found if isinstance(found, str) else ""


def summary_of(name: bytes) -> str:
    """Redis's one-line summary of the command (``XADD``, ``XINFO|CONSUMERS``)."""
    return doc_field(name, "summary")

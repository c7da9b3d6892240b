"""Render reply values exactly as redis-cli 7.0 prints them at its prompt (the non --raw mode).

Learners compare what they see here with tutorials and with the real redis-cli, so this is a
port of ``cliFormatReplyTTY`` (redis-cli.c) and ``sdscatrepr`` (sds.c), down to the spacing:

* bulk strings are double-quoted, with ``\\n \\r \\t \\a \\b \\" \\\\`` escaped and every other
  byte outside 0x20..0x7e written ``\\xHH`` (the C locale's ``isprint``);
* status replies print bare (``OK``); errors as ``(error) ERR ...``; integers ``(integer) 3``;
  null bulk and null array both ``(nil)``; RESP3 doubles ``(double) 1.5``; booleans ``(true)``;
* arrays number their items ``1) ``, right-aligned to the width of the largest index; nested
  items are indented by the parent's prefix plus ``width + 2`` spaces, and a nested array's first
  item goes on its parent's line (``1) 1) "a"``);
* RESP3 maps number their pairs ``1# "key" => value``; when the value spans several lines, the
  line ends with ``=> `` (trailing space) and the value starts on the next line, indented;
* push frames print like arrays; empty aggregates print ``(empty array)``, ``(empty hash)``,
  ``(empty push)``.

What redis-cli prints *around* replies (``Reading messages... (press Ctrl-C to quit)`` after
SUBSCRIBE, prompts) is not part of a reply and is left to the shell.
"""

from __future__ import annotations

from ..model.reply import NULL_ARRAY, Error, Map, Push, Replies, Status, Verbatim
from .resp import encode, parse_all

_REPR_ESCAPES = {
    ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
    ord("\t"): "\\t", ord("\a"): "\\a", ord("\b"): "\\b",
}
_REPR_TABLE = [
    _REPR_ESCAPES.get(b, chr(b) if 0x20 <= b <= 0x7E else "\\x%02x" % b) for b in range(256)
]


def format_reply(value, resp3: bool = True) -> str:
    """Return redis-cli's text for ``value``, lines joined by ``\\n``, no trailing newline.

    ``resp3=True`` renders the value's own types (a Map as a map). ``resp3=False`` renders what a
    RESP2 connection receives for it: the value is encoded for RESP2 and parsed back, so a Map
    shows as a flat array, a boolean as an integer and a double as a bulk string.
    A ``Replies`` value (several frames for one command) prints each frame in turn.
    """
    if not resp3:
        frames = parse_all(encode(value, False))
        value = Replies(frames) if type(value) is Replies else frames[0]
    if type(value) is Replies:
        return "\n".join(format_reply(item) for item in value)
    return _format(value, "")[:-1]


def repr_bytes(data: bytes) -> str:
    """redis-cli's quoting of a bulk string (``sdscatrepr``)."""
    return '"' + "".join([_REPR_TABLE[b] for b in data]) + '"'


def format_double(value: float) -> str:
    """The text redis-server 7.0 sends for a double: ``%.17g``, with ``inf``/``-inf``/``nan``."""
    return "%.17g" % value


def _format(value, prefix: str) -> str:
    """One reply as redis-cli builds it: every line ends with ``\\n``."""
    kind = type(value)
    if kind is bytes:
        return repr_bytes(value) + "\n"
    if kind is int:
        return "(integer) %d\n" % value
    if kind is list or kind is Push or kind is Map:
        return _format_aggregate(value, prefix)
    if value is None or value is NULL_ARRAY:
        return "(nil)\n"
    if kind is Status:
        return value + "\n"
    if kind is Error:
        return "(error) " + value + "\n"
    if kind is bool:
        return "(true)\n" if value else "(false)\n"
    if kind is float:
        return "(double) " + format_double(value) + "\n"
    if kind is str:
        return repr_bytes(value.encode("utf-8", "surrogateescape")) + "\n"
    if kind is Replies:
        return "".join(_format(item, prefix) for item in value)
    if kind is Verbatim:
        return value.decode("utf-8", "replace") + "\n"  # redis-cli prints verbatim text raw
    raise TypeError(f"cannot format reply value of type {kind.__name__}")


def _format_aggregate(items: list, prefix: str) -> str:
    is_map = type(items) is Map
    if not items:
        if is_map:
            return "(empty hash)\n"
        return "(empty push)\n" if type(items) is Push else "(empty array)\n"
    count = len(items) // 2 if is_map else len(items)
    width = len(str(count))
    child_prefix = prefix + " " * (width + 2)
    sep = "#" if is_map else ")"
    out: list[str] = []
    step = 2 if is_map else 1
    for index in range(0, len(items), step):
        number = index // step + 1
        out.append("%s%*d%s " % (prefix if index else "", width, number, sep))
        out.append(_format(items[index], child_prefix))
        if is_map:
            out[-1] = out[-1][:-1] + " => "
            val = items[index + 1]
            if _is_multiline(val):
                out.append("\n" + child_prefix)
            out.append(_format(val, child_prefix))
    return "".join(out)


def _is_multiline(value) -> bool:
    """redis-cli's cliIsMultilineValueTTY: would this value take more than one line?"""
    kind = type(value)
    if kind is list or kind is Push:
        if not value:
            return False
        return len(value) > 1 or _is_multiline(value[0])
    if kind is Map:
        if not value:
            return False
        return len(value) > 2 or _is_multiline(value[1])
    return False

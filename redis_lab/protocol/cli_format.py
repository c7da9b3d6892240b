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

Two other displays, both chosen by the learner (``:raw``, ``--raw``, ``:utf8``):

* ``format_raw`` is redis-cli ``--raw`` (``cliFormatReplyRaw``): strings and statuses as they
  are, integers bare, nil as an empty line, errors without ``(error)``, aggregates one item per
  line (map pairs as ``key value``);
* ``utf8=True`` keeps redis-cli's quoting but shows a bulk string that is valid UTF-8 with its
  printable characters decoded (``"café"`` rather than ``"caf\\xc3\\xa9"``); control
  characters and invalid UTF-8 are still escaped exactly as redis-cli escapes them.

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


def format_reply(value, resp3: bool = True, *, raw: bool = False, utf8: bool = False) -> str:
    """Return redis-cli's text for ``value``, lines joined by ``\\n``, no trailing newline.

    ``resp3=True`` renders the value's own types (a Map as a map). ``resp3=False`` renders what a
    RESP2 connection receives for it: the value is encoded for RESP2 and parsed back, so a Map
    shows as a flat array, a boolean as an integer and a double as a bulk string.
    A ``Replies`` value (several frames for one command) prints each frame in turn.
    ``raw`` gives redis-cli --raw's text instead, ``utf8`` decodes UTF-8 strings (see above).
    """
    if not resp3:
        frames = parse_all(encode(value, False))
        value = Replies(frames) if type(value) is Replies else frames[0]
    if type(value) is Replies:
        return "\n".join(format_reply(item, raw=raw, utf8=utf8) for item in value)
    if raw:
        return format_raw(value)
    if utf8:
        return _format(value, "", repr_utf8)[:-1]
    return _format(value, "")[:-1]


def format_raw(value) -> str:
    """redis-cli --raw's text for one reply (``cliFormatReplyRaw``), without the final newline.

    Bytes that are not UTF-8 come back as surrogate escapes, so writing the text with
    ``errors="surrogateescape"`` gives redis-cli's bytes exactly.
    """
    kind = type(value)
    if kind is bytes:
        return value.decode("utf-8", "surrogateescape")
    if kind is int:
        return "%d" % value
    if kind is list or kind is Push:
        return "\n".join(format_raw(item) for item in value)
    if kind is Map:
        return "\n".join(format_raw(value[i]) + " " + format_raw(value[i + 1])
                         for i in range(0, len(value), 2))
    if value is None or value is NULL_ARRAY:
        return ""
    if kind is Error:
        return str(value) + "\n"
    if kind is Status or kind is str:
        return str(value)
    if kind is bool:
        return "(true)" if value else "(false)"
    if kind is float:
        return format_double(value)
    if kind is Replies:
        return "\n".join(format_raw(item) for item in value)
    if kind is Verbatim:
        return value.decode("utf-8", "replace")
    raise TypeError(f"cannot format reply value of type {kind.__name__}")


def repr_bytes(data: bytes) -> str:
    """redis-cli's quoting of a bulk string (``sdscatrepr``)."""
    return '"' + "".join([_REPR_TABLE[b] for b in data]) + '"'


def repr_utf8(data: bytes) -> str:
    """``repr_bytes`` with the printable non-ASCII characters of valid UTF-8 shown decoded."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return repr_bytes(data)
    if text.isascii():
        return repr_bytes(data)
    out = []
    for char in text:
        if char.isascii():
            out.append(_REPR_TABLE[ord(char)])
        elif char.isprintable():
            out.append(char)
        else:
            out.append("".join(_REPR_TABLE[b] for b in char.encode("utf-8")))
    return '"' + "".join(out) + '"'


def format_double(value: float) -> str:
    """The text redis-server 7.0 sends for a double: ``%.17g``, with ``inf``/``-inf``/``nan``."""
    return "%.17g" % value


def _format(value, prefix: str, quote=repr_bytes) -> str:
    """One reply as redis-cli builds it: every line ends with ``\\n``."""
    kind = type(value)
    if kind is bytes:
        return quote(value) + "\n"
    if kind is int:
        return "(integer) %d\n" % value
    if kind is list or kind is Push or kind is Map:
        return _format_aggregate(value, prefix, quote)
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
        return quote(value.encode("utf-8", "surrogateescape")) + "\n"
    if kind is Replies:
        return "".join(_format(item, prefix, quote) for item in value)
    if kind is Verbatim:
        return value.decode("utf-8", "replace") + "\n"  # redis-cli prints verbatim text raw
    raise TypeError(f"cannot format reply value of type {kind.__name__}")


def _format_aggregate(items: list, prefix: str, quote=repr_bytes) -> str:
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
        out.append(_format(items[index], child_prefix, quote))
        if is_map:
            out[-1] = out[-1][:-1] + " => "
            val = items[index + 1]
            if _is_multiline(val):
                out.append("\n" + child_prefix)
            out.append(_format(val, child_prefix, quote))
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

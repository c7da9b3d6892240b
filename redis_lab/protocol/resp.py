"""Encode reply values as RESP2/RESP3 bytes, and parse RESP bytes back into values.

The encoder is on every command's path, so it dispatches on exact types first.
"""

from __future__ import annotations

from ..model.reply import NULL_ARRAY, Error, Map, Push, Raw, Replies, Status, Verbatim


def encode(value, resp3: bool = False) -> bytes:
    """Return the bytes redis-server writes for ``value`` on a connection using RESP2 or RESP3."""
    kind = type(value)
    if kind is bytes:
        return b"$%d\r\n%s\r\n" % (len(value), value)
    if kind is int:
        return b":%d\r\n" % value
    if kind is Raw:
        return value
    out: list[bytes] = []
    _encode(value, resp3, out.append)
    return b"".join(out)


def _encode(value, resp3: bool, emit) -> None:
    kind = type(value)
    if kind is bytes:
        emit(b"$%d\r\n%s\r\n" % (len(value), value))
    elif kind is list:
        emit(b"*%d\r\n" % len(value))
        for item in value:
            # Bulk strings and stored entries dominate big replies: no call per item for them.
            item_kind = type(item)
            if item_kind is Raw:
                emit(item)
            elif item_kind is bytes:
                emit(b"$%d\r\n%s\r\n" % (len(item), item))
            elif item_kind is list:
                # Rows of bulk strings and integers (XPENDING, XREADGROUP's [key, entries]):
                # one level more without a call per row; XPENDING's [id, owner, idle, count]
                # rows, the most numerous, in one step each.
                if len(item) == 4:
                    a, b, c, d = item
                    if type(a) is bytes and type(b) is bytes and type(c) is int \
                            and type(d) is int:
                        emit(b"*4\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n:%d\r\n:%d\r\n"
                             % (len(a), a, len(b), b, c, d))
                        continue
                emit(b"*%d\r\n" % len(item))
                for sub in item:
                    sub_kind = type(sub)
                    if sub_kind is bytes:
                        emit(b"$%d\r\n%s\r\n" % (len(sub), sub))
                    elif sub_kind is int:
                        emit(b":%d\r\n" % sub)
                    elif sub_kind is Raw:
                        emit(sub)
                    else:
                        _encode(sub, resp3, emit)
            else:
                _encode(item, resp3, emit)
    elif kind is Raw:
        emit(value)
    elif kind is int:
        emit(b":%d\r\n" % value)
    elif value is None:
        emit(b"_\r\n" if resp3 else b"$-1\r\n")
    elif kind is Status:
        emit(b"+%s\r\n" % value.encode())
    elif kind is Error:
        emit(b"-%s\r\n" % value.encode("utf-8", "surrogateescape"))
    elif value is NULL_ARRAY:
        emit(b"_\r\n" if resp3 else b"*-1\r\n")
    elif kind is Map:
        if resp3:
            emit(b"%%%d\r\n" % (len(value) // 2))
        else:
            emit(b"*%d\r\n" % len(value))
        for item in value:
            _encode(item, resp3, emit)
    elif kind is Push:
        emit(b"%s%d\r\n" % (b">" if resp3 else b"*", len(value)))
        for item in value:
            _encode(item, resp3, emit)
    elif kind is Replies:
        for item in value:
            _encode(item, resp3, emit)
    elif kind is Verbatim:
        if resp3:
            emit(b"=%d\r\ntxt:%s\r\n" % (len(value) + 4, value))
        else:
            emit(b"$%d\r\n%s\r\n" % (len(value), value))
    elif kind is bool:
        emit((b"#t\r\n" if value else b"#f\r\n") if resp3 else b":%d\r\n" % value)
    elif kind is float:
        text = b"%.17g" % value  # what redis-server sends for a double
        emit(b",%s\r\n" % text if resp3 else b"$%d\r\n%s\r\n" % (len(text), text))
    elif kind is str:
        data = value.encode()
        emit(b"$%d\r\n%s\r\n" % (len(data), data))
    else:
        raise TypeError(f"cannot encode reply value of type {kind.__name__}")


class Incomplete(Exception):
    """More bytes are needed to finish the frame."""


def parse(data: bytes, pos: int = 0):
    """Parse one RESP2/RESP3 frame starting at ``pos``; return ``(value, next_pos)``.

    Raises Incomplete when ``data`` ends inside the frame. Values come back in the same types the
    encoder takes, so ``encode(parse(x)[0], resp3)`` round-trips.
    """
    end = data.find(b"\r\n", pos)
    if end < 0:
        raise Incomplete
    kind = data[pos : pos + 1]
    line = data[pos + 1 : end]
    nxt = end + 2
    if kind in (b"$", b"=", b"!"):
        n = int(line)
        if n < 0:
            return None, nxt
        if len(data) < nxt + n + 2:
            raise Incomplete
        body = data[nxt : nxt + n]
        if kind == b"!":
            return Error(body.decode("utf-8", "surrogateescape")), nxt + n + 2
        if kind == b"=":
            return Verbatim(body[4:]), nxt + n + 2
        return body, nxt + n + 2
    if kind == b":":
        return int(line), nxt
    if kind == b"+":
        return Status(line.decode("utf-8", "surrogateescape")), nxt
    if kind == b"-":
        return Error(line.decode("utf-8", "surrogateescape")), nxt
    if kind == b"_":
        return None, nxt
    if kind == b"#":
        return line == b"t", nxt
    if kind == b",":
        return float(line), nxt
    if kind == b"(":
        return int(line), nxt
    if kind in (b"*", b">", b"~", b"%", b"|"):
        n = int(line)
        if n < 0:
            return NULL_ARRAY, nxt
        count = n * 2 if kind in (b"%", b"|") else n
        items = []
        for _ in range(count):
            item, nxt = parse(data, nxt)
            items.append(item)
        if kind == b">":
            return Push(items), nxt
        if kind in (b"%", b"|"):
            return Map(items), nxt
        return items, nxt
    raise ValueError(f"not RESP: {data[pos:pos + 20]!r}")


def parse_all(data: bytes) -> list:
    """Parse every complete frame in ``data``."""
    frames, pos = [], 0
    while pos < len(data):
        value, pos = parse(data, pos)
        frames.append(value)
    return frames


def encode_command(args) -> bytes:
    """Encode a command as the RESP array of bulk strings a client sends."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


_CONTAINERS = (list, Map, Push, Replies)


def materialize(value):
    """Replace every Raw (pre-encoded) part of a reply by the value it encodes."""
    kind = type(value)
    if kind is Raw:
        return parse(value)[0]
    if kind in _CONTAINERS:
        for item in value:
            if type(item) is Raw or type(item) in _CONTAINERS:
                return kind([materialize(x) for x in value])
    return value

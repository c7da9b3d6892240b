"""Split a connection's input into commands exactly as redis-server 7.0 does.

Redis reads two request formats (networking.c, processInputBuffer): a multibulk
``*<n>\\r\\n$<len>\\r\\n<bytes>\\r\\n...`` when the next byte is ``*``, and otherwise an inline
line split like redis-cli splits typed lines (``sdssplitargs``: quotes and escapes), which is
what telnet users and Redis's own tests send. Malformed input gets Redis's exact
``-ERR Protocol error: ...`` text, after which the connection is closed.

Two parsers share the work. :class:`RequestParser` is Redis's rules line by line, in Python.
:class:`RequestReader` puts hiredis' C reader in front of it: hiredis parses well-formed
multibulk requests about twenty times faster, and it is stricter than Redis (no leading zeros,
CRLF exactly), so whatever it refuses or returns in a shape a request cannot have (an inline
line, an integer or a nested array, a nil bulk) is handed to the Python parser from the last
point both agree on, which then answers exactly as Redis does. hiredis alone would wait for the
data of a ``$600000000`` header that Redis refuses at once (proto-max-bulk-len), so a request
left incomplete is checked by the Python parser too (headers only: the data is skipped).
"""

from __future__ import annotations

import re

try:
    import hiredis
except ImportError:  # the optional C reader: the Python parser alone is exact, only slower
    hiredis = None

from ..model.numbers import parse_ll
from ..protocol.tokenize import TokenizeError, split_line

PROTO_INLINE_MAX_SIZE = 64 * 1024     # an inline line, or a *N / $N header, longer is refused
INT_MAX = (1 << 31) - 1
UNAUTH_MAX_ARGS = 10                  # before AUTH, Redis refuses bigger requests outright
UNAUTH_MAX_BULK = 16384
_BIG_COUNT = re.compile(rb"\*[0-9]{6}")  # an aggregate of 100000+ elements (or bytes like it)


class ProtocolError(Exception):
    """Malformed input: Redis writes ``-ERR <message>`` and closes the connection."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RequestParser:
    """Incremental parser for one connection: ``feed`` bytes, ``next_command`` until None.

    ``proto_max_bulk_len`` is CONFIG's proto-max-bulk-len; ``authenticated`` is asked before a
    large request is accepted (Redis's "unauthenticated multibulk/bulk length" checks).
    """

    __slots__ = ("buf", "pos", "proto_max_bulk_len", "pending_args", "pending_left")

    def __init__(self, proto_max_bulk_len: int = 512 * 1024 * 1024) -> None:
        self.buf = bytearray()
        self.pos = 0
        self.proto_max_bulk_len = proto_max_bulk_len
        self.pending_args: list[bytes] | None = None  # a multibulk read in part
        self.pending_left = 0

    def feed(self, data: bytes) -> None:
        if self.pos and (self.pos == len(self.buf) or self.pos > 65536):
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += data

    @property
    def buffered(self) -> int:
        """Unparsed bytes held (the query buffer Redis limits with client-query-buffer-limit)."""
        return len(self.buf) - self.pos

    def next_command(self, authenticated: bool = True) -> list[bytes] | None:
        """The next complete command's arguments, or None when more input is needed.

        Empty requests (``*0``, ``*-1``, blank inline lines) are skipped as Redis skips them.
        Raises ProtocolError with Redis's message.
        """
        buf = self.buf
        while True:
            pos = self.pos
            end = len(buf)
            if pos >= end:
                self._compact()
                return None
            if self.pending_args is None:
                if buf[pos] != 42:  # not '*': an inline command
                    args = self._inline(pos, end)
                    if args is None:
                        return None
                    if args:
                        return args
                    continue
                nl = buf.find(b"\r", pos, end)
                if nl < 0:
                    if end - pos > PROTO_INLINE_MAX_SIZE:
                        raise ProtocolError("Protocol error: too big mbulk count string")
                    return None
                if nl > end - 2:
                    return None
                count = parse_ll(bytes(buf[pos + 1:nl]))
                if count is None or count > INT_MAX:
                    raise ProtocolError("Protocol error: invalid multibulk length")
                if count > UNAUTH_MAX_ARGS and not authenticated:
                    raise ProtocolError("Protocol error: unauthenticated multibulk length")
                self.pos = pos = nl + 2
                if count <= 0:
                    continue
                self.pending_args = []
                self.pending_left = count
            args = self._bulks(pos, end, authenticated)
            if args is not None:
                return args
            return None

    def _bulks(self, pos: int, end: int, authenticated: bool) -> list[bytes] | None:
        buf = self.buf
        args = self.pending_args
        left = self.pending_left
        limit = self.proto_max_bulk_len
        find = buf.find
        while left:
            nl = find(b"\r", pos, end)
            if nl < 0:
                if end - pos > PROTO_INLINE_MAX_SIZE:
                    raise ProtocolError("Protocol error: too big bulk count string")
                break
            if nl > end - 2:
                break
            if buf[pos] != 36:  # '$'
                raise ProtocolError(f"Protocol error: expected '$', got '{chr(buf[pos])}'")
            size = parse_ll(bytes(buf[pos + 1:nl]))
            if size is None or size < 0 or size > limit:
                raise ProtocolError("Protocol error: invalid bulk length")
            if size > UNAUTH_MAX_BULK and not authenticated:
                raise ProtocolError("Protocol error: unauthenticated bulk length")
            start = nl + 2
            if end - start < size + 2:
                break  # the header is re-read when more data comes (Redis keeps bulklen)
            args.append(bytes(buf[start:start + size]))
            pos = start + size + 2
            left -= 1
        self.pos = pos
        self.pending_left = left
        if left:
            return None
        self.pending_args = None
        return args

    def _inline(self, pos: int, end: int) -> list[bytes] | None:
        buf = self.buf
        nl = buf.find(b"\n", pos, end)
        if nl < 0:
            if end - pos > PROTO_INLINE_MAX_SIZE:
                raise ProtocolError("Protocol error: too big inline request")
            return None
        line_end = nl - 1 if nl > pos and buf[nl - 1] == 13 else nl
        line = bytes(buf[pos:line_end])
        self.pos = nl + 1
        try:
            return split_line(line)
        except TokenizeError:
            raise ProtocolError("Protocol error: unbalanced quotes in request") from None

    def _compact(self) -> None:
        if self.pos:
            del self.buf[:self.pos]
            self.pos = 0


class RequestReader:
    """hiredis for well-formed multibulk requests, :class:`RequestParser` for everything else.

    ``retained`` holds the bytes fed to hiredis that it has not turned into commands yet, as
    far as we know: hiredis is strict, so a command it returns was written canonically and its
    length on the wire is known exactly. On a fall-back the Python parser starts from there
    and keeps the connection until its buffer is empty.
    """

    __slots__ = ("parser", "reader", "retained", "python")

    def __init__(self, proto_max_bulk_len: int = 512 * 1024 * 1024) -> None:
        self.parser = RequestParser(proto_max_bulk_len)
        self.reader = hiredis.Reader() if hiredis is not None else None
        self.retained = bytearray()
        self.python = self.reader is None

    @property
    def proto_max_bulk_len(self) -> int:
        return self.parser.proto_max_bulk_len

    @proto_max_bulk_len.setter
    def proto_max_bulk_len(self, value: int) -> None:
        self.parser.proto_max_bulk_len = value

    @property
    def buffered(self) -> int:
        return self.parser.buffered if self.python else len(self.retained)

    def feed(self, data: bytes) -> None:
        if self.python:
            self.parser.feed(data)
            return
        start = max(0, len(self.retained) - 16)
        self.retained += data
        if _BIG_COUNT.search(self.retained, start) is not None:
            # hiredis allocates a list of the declared size at once (and frees it slot by slot):
            # a *2000000000 header would cost it gigabytes and seconds. Python never sees the
            # header until it is whole, and grows its argument list as arguments arrive.
            self.parser = self._tail()
            self.retained.clear()
            self.python = True
            return
        self.reader.feed(data)

    def next_command(self, authenticated: bool = True) -> list[bytes] | None:
        if self.python:
            command = self.parser.next_command(authenticated)
            if command is None and not self.parser.buffered and self.reader is not None:
                self.python = False  # back to the fast path at a clean boundary
                self.reader = hiredis.Reader()
            return command
        if not authenticated:
            return self._fall_back(authenticated)  # the unauthenticated size limits
        try:
            result = self.reader.gets()
        except hiredis.ProtocolError:
            return self._fall_back(authenticated)
        if result is False:
            if len(self.retained) > PROTO_INLINE_MAX_SIZE:
                # A big request in transit: the Python parser holds it without re-reading it.
                return self._fall_back(authenticated)
            if self.retained:
                self._tail().next_command(authenticated)  # raises what Redis would raise now
            return None
        if type(result) is not list or not result:
            return self._fall_back(authenticated)
        size = 3 + len(b"%d" % len(result))  # *<n>\r\n
        for arg in result:
            if type(arg) is not bytes:
                return self._fall_back(authenticated)
            n = len(arg)
            size += n + 5 + len(b"%d" % n)   # $<n>\r\n<arg>\r\n
        del self.retained[:size]
        return result

    def _tail(self) -> RequestParser:
        parser = RequestParser(self.parser.proto_max_bulk_len)
        parser.feed(bytes(self.retained))
        return parser

    def _fall_back(self, authenticated: bool) -> list[bytes] | None:
        self.parser = self._tail()
        self.retained.clear()
        self.python = True
        return self.next_command(authenticated)

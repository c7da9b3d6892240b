"""The append-only file's format: commands as RESP arrays of bulk strings, read and written.

Redis writes every command as ``*<argc>\\r\\n`` then ``$<len>\\r\\n<bytes>\\r\\n`` per argument;
7.0 may also write annotation lines starting with ``#`` (skipped when reading). Reading reports
where a problem starts (file offset) and whether it is a *truncated* tail (the file just ends
early: Redis loads up to the last complete command when aof-load-truncated is yes) or *bad
format* (bytes that are not a command: Redis refuses to start).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

TRUNCATED = "truncated"
BAD_FORMAT = "bad format"


@dataclass
class AofProblem(Exception):
    """Where reading stopped: ``offset`` is the start of the first command that is not whole."""

    kind: str          # TRUNCATED or BAD_FORMAT
    offset: int        # byte offset of the command that could not be read
    detail: str        # what was wrong, and at which byte
    filename: str = ""

    def __str__(self) -> str:
        where = f"{self.filename} " if self.filename else ""
        return f"{self.kind} AOF {where}at offset {self.offset}: {self.detail}"


def _line(data: bytes, pos: int, start: int) -> tuple[bytes, int]:
    """The line at ``pos`` (without CRLF) and the position after it."""
    end = data.find(b"\n", pos)
    if end < 0:
        raise AofProblem(TRUNCATED, start, f"the file ends inside a line at byte {len(data)}")
    line = data[pos:end]
    if not line.endswith(b"\r"):
        raise AofProblem(BAD_FORMAT, start, f"a line without \\r\\n ends at byte {end}")
    return line[:-1], end + 1


def _count(line: bytes, mark: bytes, pos: int, start: int) -> int:
    if line[:1] != mark:
        raise AofProblem(BAD_FORMAT, start,
                         f"expected '{mark.decode()}' at byte {pos}, found {line[:1]!r}")
    digits = line[1:]
    if not digits.isdigit() or len(digits) > 18:
        raise AofProblem(BAD_FORMAT, start, f"not a length at byte {pos}: {line[:20]!r}")
    return int(digits)


def read_commands(data: bytes, offset: int = 0) -> Iterator[tuple[list[bytes], int, int]]:
    """Yield ``(args, start, end)`` for each whole command; raise AofProblem at the first bad one.

    Annotation lines (``#...``) between commands are skipped, as Redis 7.0 skips them.
    """
    pos = offset
    size = len(data)
    while pos < size:
        start = pos
        if data[pos:pos + 1] == b"#":
            _, pos = _line(data, pos, start)
            continue
        line, pos = _line(data, pos, start)
        argc = _count(line, b"*", start, start)
        if argc < 1:
            raise AofProblem(BAD_FORMAT, start, f"a command of {argc} arguments at byte {start}")
        args = []
        for _ in range(argc):
            if pos >= size:
                raise AofProblem(TRUNCATED, start, f"the file ends at byte {size} inside a command")
            at = pos
            line, pos = _line(data, pos, start)
            length = _count(line, b"$", at, start)
            if pos + length + 2 > size:
                raise AofProblem(TRUNCATED, start, f"the file ends at byte {size} inside an "
                                 f"argument of {length} bytes that starts at byte {pos}")
            if data[pos + length:pos + length + 2] != b"\r\n":
                raise AofProblem(BAD_FORMAT, start,
                                 f"expected \\r\\n after an argument at byte {pos + length}")
            args.append(data[pos:pos + length])
            pos += length + 2
        yield args, start, pos

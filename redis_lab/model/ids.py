"""Stream IDs as single 128-bit integers: ``ms << 64 | seq``.

One int compares, sorts and bisects like Redis's (ms, seq) pair and costs nothing to pass around.
Parsing reproduces redis-server 7.0's streamGenericParseIDOrReply, oddities included: halves are
read with string2ll and then strtoull, so " 10-1", "+11-1", "012-1" and "1--0" are all valid.
"""

from __future__ import annotations

from .errors import INVALID_STREAM_ID, CommandError
from .numbers import parse_ll

SEQ_MASK = (1 << 64) - 1
U64_MAX = SEQ_MASK
MAX_ID = (1 << 128) - 1
MIN_ID = 0

_C_SPACE = b" \t\n\v\f\r"


def c_word(arg: bytes) -> bytes:
    """An argument as Redis's C string comparisons see it: up to the first NUL byte.

    Option keywords are matched with strcasecmp and the special IDs ('*', '$', '>', '~', '=')
    by their first bytes, so "MAXLEN\\0x" is MAXLEN and "$\\0" is '$' to redis-server.
    """
    nul = arg.find(b"\0")
    return arg if nul < 0 else arg[:nul]


def make_id(ms: int, seq: int) -> int:
    return (ms << 64) | seq


def format_id(sid: int) -> bytes:
    return b"%d-%d" % (sid >> 64, sid & SEQ_MASK)


def id_text(sid: int) -> str:
    return f"{sid >> 64}-{sid & SEQ_MASK}"


def _string2ull(text: bytes) -> int | None:
    """Redis's string2ull: a strict int64 >= 0, else C strtoull(text, 10) with its quirks."""
    value = parse_ll(text)
    if value is not None:
        return value if value >= 0 else None
    rest = text.lstrip(_C_SPACE)
    negative = False
    if rest[:1] in (b"+", b"-"):
        negative = rest[:1] == b"-"
        rest = rest[1:]
    if not rest or not rest.isdigit():
        return None
    value = int(rest)
    if value > U64_MAX:
        return None
    return (-value) & U64_MAX if negative else value


class ParsedId:
    """Result of parsing an XADD ID: the id, and whether the sequence was given (not ``ms-*``)."""

    __slots__ = ("sid", "seq_given")

    def __init__(self, sid: int, seq_given: bool) -> None:
        self.sid = sid
        self.seq_given = seq_given


def parse_id(arg: bytes, *, strict: bool = True, missing_seq: int = 0,
             allow_seq_star: bool = False) -> int | ParsedId:
    """Parse a stream ID argument or raise the invalid-ID error.

    Non-strict parsing maps '-' to 0-0 and '+' to the maximum ID. With ``allow_seq_star`` (the
    XADD ID argument) a ParsedId is returned so ``ms-*`` can be told apart.
    """
    ms_text, dash, seq_text = arg.partition(b"-")
    if dash and ms_text.isdigit() and seq_text.isdigit() and len(ms_text) < 20 > len(seq_text):
        # The common case, <digits>-<digits> below 10**19 each: no quirk applies.
        sid = (int(ms_text) << 64) | int(seq_text)
        return ParsedId(sid, True) if allow_seq_star else sid
    if not dash and arg.isdigit() and len(arg) < 20:
        # A bare millisecond time (XRANGE key 1700000000000 +): the sequence is implied.
        sid = (int(arg) << 64) | missing_seq
        return ParsedId(sid, True) if allow_seq_star else sid
    if not strict and (arg == b"+" or arg == b"-"):
        sid = MAX_ID if arg == b"+" else MIN_ID
        return ParsedId(sid, True) if allow_seq_star else sid
    if len(arg) > 127:
        raise CommandError(INVALID_STREAM_ID)
    buf = arg[:arg.index(b"\0")] if b"\0" in arg else arg  # Redis reads a C string
    if buf == b"-" or buf == b"+":
        if strict:
            raise CommandError(INVALID_STREAM_ID)
        sid = MIN_ID if buf == b"-" else MAX_ID
        return ParsedId(sid, True) if allow_seq_star else sid
    ms_text, dash, seq_text = buf.partition(b"-")
    ms = _string2ull(ms_text)
    if ms is None:
        raise CommandError(INVALID_STREAM_ID)
    seq_given = True
    if dash:
        if allow_seq_star and seq_text == b"*":
            seq, seq_given = 0, False
        else:
            seq = _string2ull(seq_text)
            if seq is None:
                raise CommandError(INVALID_STREAM_ID)
    else:
        seq = missing_seq
    sid = (ms << 64) | seq
    return ParsedId(sid, seq_given) if allow_seq_star else sid


def parse_ids(args: list[bytes]) -> list[int]:
    """Strictly parse a run of IDs (XACK, XDEL), all of them before anything is done."""
    ids = []
    for arg in args:
        ms_text, dash, seq_text = arg.partition(b"-")
        if dash and ms_text.isdigit() and seq_text.isdigit() and len(ms_text) < 20 > len(seq_text):
            ids.append((int(ms_text) << 64) | int(seq_text))   # parse_id's fast path, inline
        else:
            ids.append(parse_id(arg, strict=True))
    return ids


def parse_id_halves(args: list[bytes]) -> tuple[list[int], list[int]]:
    """parse_ids, each ID given back as its two halves in two lists (ms, seq): what the PEL's
    columns compare against in one step (XACK)."""
    ms, seq = [], []
    for arg in args:
        ms_text, dash, seq_text = arg.partition(b"-")
        if dash and ms_text.isdigit() and seq_text.isdigit() and len(ms_text) < 20 > len(seq_text):
            ms.append(int(ms_text))
            seq.append(int(seq_text))
        else:
            sid = parse_id(arg, strict=True)
            ms.append(sid >> 64)
            seq.append(sid & SEQ_MASK)
    return ms, seq


def parse_interval_id(arg: bytes, missing_seq: int) -> tuple[int, bool]:
    """Parse a range bound: '(' makes it exclusive (the rest then parsed strictly)."""
    if len(arg) > 1 and arg[:1] == b"(":
        return parse_id(arg[1:], strict=True, missing_seq=missing_seq), True
    return parse_id(arg, strict=False, missing_seq=missing_seq), False


def incr_id(sid: int) -> int | None:
    """The next ID, or None past the maximum (Redis's streamIncrID failing)."""
    return sid + 1 if sid < MAX_ID else None


def decr_id(sid: int) -> int | None:
    return sid - 1 if sid > 0 else None

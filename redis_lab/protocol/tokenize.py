"""Split a command line into arguments exactly as redis-cli's prompt does.

redis-cli splits each typed line with hiredis' ``sdssplitargs`` (sds.c). Learners copy lines
between the real redis-cli and this shell, so the rules must be the same, quirks included:

* Blanks (``isspace``: space, \\t, \\n, \\v, \\f, \\r) separate arguments, but only space, \\t,
  \\n and \\r end an unquoted argument: ``a\\vb`` is the single argument ``a<VT>b``.
* A quote may start in the middle of an argument: ``ab"c d"`` is ``abc d``.
* Inside "double quotes": ``\\xHH`` (two hex digits, either case) is a byte; ``\\n \\r \\t \\b \\a``
  are control characters; any other ``\\c`` is ``c`` (so ``"\\x4g"`` is ``x4g``).
* Inside 'single quotes' only ``\\'`` is an escape; every other backslash is literal.
* A closing quote must be followed by a blank or the end of the line (``"a"b`` is an error), and
  an unclosed quote is an error. redis-cli then prints ``Invalid argument(s)``.
* The line is a C string: it ends at the first NUL byte.
* Outside quotes a backslash is an ordinary character.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INVALID_ARGUMENTS = "Invalid argument(s)"

_BLANKS = " \t\n\v\f\r"  # C isspace() in the C locale: skipped between arguments
_TOKEN_END = " \n\r\t"  # what ends an unquoted argument (\v and \f do not)
_HEX = "0123456789abcdefABCDEF"
_ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "b": b"\b", "a": b"\a"}


class TokenizeError(ValueError):
    """The line cannot be split; ``str(err)`` is what redis-cli prints: ``Invalid argument(s)``.

    ``position`` is the character offset where the problem was found (the offending character
    after a closing quote, or the end of the line for an unclosed quote).
    """

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(INVALID_ARGUMENTS)
        self.position = position
        self.reason = reason


@dataclass(frozen=True)
class Token:
    """One argument and where it sits in the line (character offsets, end exclusive)."""

    value: bytes
    start: int
    end: int
    quoted: bool = False


@dataclass(frozen=True)
class PartialLine:
    """A line split as far as possible, for completion and highlighting while the user types.

    ``tokens``     arguments that are finished (followed by a blank).
    ``pending``    the argument under the cursor at the end of the line, or None when the line
                   is empty or ends with a blank (the next argument has not started).
    ``open_quote`` ``'"'`` or ``"'"`` when the line ends inside a quote (``pending`` then holds
                   what has been typed so far), else None.
    ``error``      a TokenizeError that no further typing can fix (a closing quote followed by a
                   non-blank), else None; ``tokens`` and ``pending`` stop where it was found.
    """

    tokens: list[Token] = field(default_factory=list)
    pending: Token | None = None
    open_quote: str | None = None
    error: TokenizeError | None = None

    @property
    def args(self) -> list[bytes]:
        """Every argument, the pending one included (what Enter would send if the line is valid)."""
        values = [t.value for t in self.tokens]
        if self.pending is not None:
            values.append(self.pending.value)
        return values


def _as_text(line: str | bytes) -> str:
    # Work on text so offsets are character positions for the shell; bytes that are not UTF-8
    # survive as lone surrogates and are encoded back to the same bytes.
    if isinstance(line, bytes):
        line = line.decode("utf-8", "surrogateescape")
    nul = line.find("\0")
    return line if nul < 0 else line[:nul]


def _encode(ch: str) -> bytes:
    return ch.encode("utf-8", "surrogateescape")


def _scan(line: str) -> PartialLine:
    """The sdssplitargs state machine, stopping at the end of the line instead of failing."""
    tokens: list[Token] = []
    n = len(line)
    i = 0
    while True:
        while i < n and line[i] in _BLANKS:
            i += 1
        if i >= n:
            return PartialLine(tokens)
        start = i
        out = bytearray()
        quote: str | None = None
        quoted = False
        while True:
            if i >= n:
                token = Token(bytes(out), start, i, quoted)
                if quote is not None:
                    return PartialLine(tokens, token, quote)
                return PartialLine(tokens, token)
            ch = line[i]
            if quote == '"':
                if ch == "\\" and i + 3 < n and line[i + 1] == "x" \
                        and line[i + 2] in _HEX and line[i + 3] in _HEX:
                    out.append(int(line[i + 2 : i + 4], 16))
                    i += 4
                elif ch == "\\" and i + 1 < n:
                    nxt = line[i + 1]
                    out += _ESCAPES.get(nxt) or _encode(nxt)
                    i += 2
                elif ch == '"':
                    i += 1
                    if i < n and line[i] not in _BLANKS:
                        error = TokenizeError(i, "closing quote must be followed by a space")
                        return PartialLine(tokens, Token(bytes(out), start, i, True), None, error)
                    break
                else:
                    out += _encode(ch)
                    i += 1
            elif quote == "'":
                if ch == "\\" and i + 1 < n and line[i + 1] == "'":
                    out.append(ord("'"))
                    i += 2
                elif ch == "'":
                    i += 1
                    if i < n and line[i] not in _BLANKS:
                        error = TokenizeError(i, "closing quote must be followed by a space")
                        return PartialLine(tokens, Token(bytes(out), start, i, True), None, error)
                    break
                else:
                    out += _encode(ch)
                    i += 1
            elif ch in _TOKEN_END:
                break
            elif ch == '"' or ch == "'":
                quote = ch
                quoted = True
                i += 1
            else:
                out += _encode(ch)
                i += 1
        token = Token(bytes(out), start, i, quoted)
        if i >= n:
            # The line ends right after this argument: it is still "under the cursor".
            return PartialLine(tokens, token)
        tokens.append(token)


def split_line_partial(line: str | bytes) -> PartialLine:
    """Split a line that may still be being typed; never raises (see PartialLine)."""
    return _scan(_as_text(line))


def split_line_tokens(line: str | bytes) -> list[Token]:
    """Split like split_line, keeping each argument's position; raises TokenizeError."""
    text = _as_text(line)
    partial = _scan(text)
    if partial.error is not None:
        raise partial.error
    if partial.open_quote is not None:
        raise TokenizeError(len(text), "unterminated quotes")
    tokens = list(partial.tokens)
    if partial.pending is not None:
        tokens.append(partial.pending)
    return tokens


def split_line(line: str | bytes) -> list[bytes]:
    """Split a command line into arguments the way redis-cli does; raises TokenizeError.

    An empty or blank line gives ``[]`` (redis-cli then sends nothing).
    """
    return [t.value for t in split_line_tokens(line)]


def _needs_quotes(text: str) -> bool:
    if not text:
        return True
    for ch in text:
        if ch in "\"'\\" or not ch.isprintable() or ch.isspace() or "\udc80" <= ch <= "\udcff":
            return True
    return False


_QUOTE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                  "\a": "\\a", "\b": "\\b"}


def quote_arg(arg: bytes) -> str:
    """Render an argument so that split_line gives it back unchanged.

    Plain words stay bare (``mystream``); anything else is double-quoted with the escapes
    redis-cli understands, non-printable bytes as ``\\xHH``. Printable non-ASCII text (valid
    UTF-8) stays readable rather than turning into escapes. Backslashes are quoted even though
    a bare ``\\`` would split correctly, so that what the shell shows reads unambiguously.
    """
    text = arg.decode("utf-8", "surrogateescape")
    if not _needs_quotes(text):
        return text
    parts = ['"']
    for ch in text:
        escaped = _QUOTE_ESCAPES.get(ch)
        if escaped is not None:
            parts.append(escaped)
        elif "\udc80" <= ch <= "\udcff":  # an undecodable byte
            parts.append("\\x%02x" % (ord(ch) - 0xDC00))
        elif ch.isprintable() and (ch == " " or not ch.isspace()):
            parts.append(ch)
        else:
            parts.append("".join("\\x%02x" % b for b in _encode(ch)))
    parts.append('"')
    return "".join(parts)


def join_args(args: list[bytes]) -> str:
    """Render a whole command line, the inverse of split_line."""
    return " ".join(quote_arg(a) for a in args)

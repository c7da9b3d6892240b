"""Glob-style matching exactly as Redis 7.0.15's ``stringmatchlen`` (src/util.c) does it.

PSUBSCRIBE, PUBSUB CHANNELS/NUMPAT, KEYS and SCAN MATCH all use it. Python's ``fnmatch`` differs
in many small ways, and learners are encouraged to poke at the corners, so this is a faithful
port rather than a translation to regular expressions:

* ``*`` matches any run of bytes, but the match loop only runs while both pattern and string
  have bytes left, so the empty string matches only the empty pattern: ``*`` does not match
  ``""``. (KEYS and SCAN special-case the exact pattern ``*``; that is their business.)
* ``?`` is one byte, not one character.
* ``[...]``: ``^`` first negates (``!`` is literal); ``\\x`` is a literal x; ``a-z`` is a range,
  swapped when reversed, compared as *signed* chars (bytes >= 0x80 sort below 0); a range needs
  three pattern bytes left, so in ``[a-]`` the ``]`` is the range end and the class runs on to
  the end of the pattern; ``[]`` never matches; ``[^]`` matches any byte; an unterminated class
  ends at the end of the pattern.
* ``\\x`` outside a class is a literal x; a trailing lone ``\\`` is a literal backslash.

7.0.9+ stops backtracking outer ``*`` once an inner ``*`` has failed at every position
(``skipLongerMatches``, the CVE-2022-36021 fix). That cannot change a result, because every other
pattern element consumes exactly one byte, and it makes matching O(len(pattern) * len(string)):
only the most recent ``*`` is ever retried, which is what the loop below does without recursion.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

_STAR, _QMARK, _LBRACKET, _RBRACKET = ord("*"), ord("?"), ord("["), ord("]")
_BACKSLASH, _CARET, _DASH = ord("\\"), ord("^"), ord("-")
_SPECIAL = b"*?[\\"


def glob_match(pattern: bytes, string: bytes) -> bool:
    """Return True when ``string`` matches the Redis glob ``pattern`` (case-sensitive)."""
    return _compile(pattern)(string)


@lru_cache(maxsize=4096)
def _compile(pattern: bytes) -> Callable[[bytes], bool]:
    """Pick a matcher for ``pattern``; patterns repeat (every PUBLISH walks all of them)."""
    if not _has_special(pattern):
        return pattern.__eq__
    body = pattern.strip(b"*")
    if body and not _has_special(body):
        leading = pattern.startswith(b"*")
        trailing = pattern.endswith(b"*")
        if leading and trailing:
            return lambda s: body in s  # "*abc*": some suffix starts with abc
        if trailing:
            return lambda s: s.startswith(body)  # "abc*": "*" may match nothing at the end
        if leading:
            return lambda s: s.endswith(body)  # "*abc": the star tries every non-empty suffix
    if not body and pattern:  # only stars: any non-empty string
        return bool
    return lambda s: _match(pattern, s)


def _has_special(data: bytes) -> bool:
    return any(c in data for c in _SPECIAL)


def _signed(byte: int) -> int:
    """C ``char`` is signed on the platforms Redis is built for; ranges compare that way."""
    return byte - 256 if byte >= 128 else byte


def _match(p: bytes, s: bytes) -> bool:
    plen, slen = len(p), len(s)
    pi = si = 0
    star_pi = -1  # the most recent '*' (the only one ever retried)
    star_si = 0  # where the text after it is currently being tried
    while True:
        ok: bool | None = None
        while pi < plen and si < slen:
            c = p[pi]
            if c == _STAR:
                while pi + 1 < plen and p[pi + 1] == _STAR:
                    pi += 1
                if pi == plen - 1:
                    return True
                star_pi, star_si = pi, si
                pi += 1
                continue
            if c == _QMARK:
                si += 1
            elif c == _LBRACKET:
                pi, matched = _match_class(p, pi + 1, s[si])
                if not matched:
                    ok = False
                    break
                si += 1
            else:
                if c == _BACKSLASH and plen - pi >= 2:
                    pi += 1
                if p[pi] != s[si]:
                    ok = False
                    break
                si += 1
            pi += 1
            if si == slen:
                while pi < plen and p[pi] == _STAR:
                    pi += 1
                break
        if ok is None:
            ok = pi == plen and si == slen
        if ok:
            return True
        if star_pi < 0:
            return False
        star_si += 1
        if star_si >= slen:
            return False
        pi, si = star_pi + 1, star_si


def _match_class(p: bytes, pi: int, ch: int) -> tuple[int, bool]:
    """Match byte ``ch`` against the class starting just after ``[`` at ``pi``.

    Returns the index of the class's last byte (its ``]``, or the pattern's last byte when the
    class is unterminated) and whether it matched. Reads past the end see C's NUL terminator.
    """
    plen = len(p)
    negate = pi < plen and p[pi] == _CARET
    if negate:
        pi += 1
    matched = False
    while True:
        left = plen - pi
        cur = p[pi] if left > 0 else 0
        if cur == _BACKSLASH and left >= 2:
            pi += 1
            if p[pi] == ch:
                matched = True
        elif cur == _RBRACKET:
            break
        elif left == 0:
            pi -= 1
            break
        elif left >= 3 and p[pi + 1] == _DASH:
            start, end = _signed(p[pi]), _signed(p[pi + 2])
            if start > end:
                start, end = end, start
            pi += 2
            if start <= _signed(ch) <= end:
                matched = True
        elif cur == ch:
            matched = True
        pi += 1
    return pi, matched != negate

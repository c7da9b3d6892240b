"""Byte sizes of Redis listpack elements, so stream nodes split where Redis splits them.

Redis opens a new stream node when the tail node's listpack would reach stream-node-max-bytes;
to remove exactly what Redis removes with ``~`` trimming we must know those sizes.
"""

from __future__ import annotations

from .numbers import parse_ll


def _int_size(v: int) -> int:
    if 0 <= v <= 127:
        return 1
    if -4096 <= v <= 4095:
        return 2
    if -32768 <= v <= 32767:
        return 3
    if -8388608 <= v <= 8388607:
        return 4
    if -2147483648 <= v <= 2147483647:
        return 5
    return 9


def _backlen(n: int) -> int:
    if n <= 127:
        return 1
    if n < 16383:
        return 2
    if n < 2097151:
        return 3
    if n < 268435455:
        return 4
    return 5


def int_element(v: int) -> int:
    """Bytes of an integer element (encoding plus back-length)."""
    n = _int_size(v)
    return n + 1  # every integer encoding is at most 9 bytes: backlen 1


def str_element(s: bytes) -> int:
    """Bytes of a string element; strings that look like canonical int64 are stored as integers."""
    n = len(s)
    if n <= 20 and n and (48 <= s[0] <= 57 or s[0] == 45):
        value = parse_ll(s)
        if value is not None:
            return int_element(value)
    if n < 64:
        enc = 1 + n
    elif n < 4096:
        enc = 2 + n
    else:
        enc = 5 + n
    return enc + _backlen(enc)


LISTPACK_OVERHEAD = 7  # 6-byte header + 1-byte terminator


def master_entry_size(live: int, deleted: int, fields) -> int:
    """count, deleted, num-fields, each master field, and the 0 terminator."""
    return (int_element(live) + int_element(deleted) + int_element(len(fields))
            + sum(str_element(f) for f in fields) + 1 + 1)

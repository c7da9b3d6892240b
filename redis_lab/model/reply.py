"""Reply values: what a command returns before it is encoded for the wire or for the screen.

Plain Python values are used where they are unambiguous, because replies are made on every
command and must be cheap:

    bytes       bulk string            int        integer
    None        null bulk ($-1 / _)    list       array
    float       double (RESP3 only)

and small marker classes for the rest (status, error, null array, map, push, several replies).
"""

from __future__ import annotations


class Status(str):
    """A simple-string reply such as ``+OK``."""

    __slots__ = ()


class Error(str):
    """An error reply; the text is what follows ``-`` on the wire (``ERR ...``, ``WRONGTYPE ...``)."""

    __slots__ = ()


class Verbatim(bytes):
    """A RESP3 verbatim text string (``=``, format ``txt``); RESP2 sends it as a bulk string.

    CLIENT LIST and CLIENT INFO reply with these; redis-cli prints them raw.
    """

    __slots__ = ()


class Raw(bytes):
    """A reply already encoded as RESP, written to the wire as is.

    Stream entries are stored in their RESP form (they never change once added), so XRANGE,
    XREAD and XREADGROUP replies are assembled from stored bytes instead of being re-encoded
    value by value. ``Client.execute`` turns them back into values (``materialize``) for the
    shell and the views; only ``Client.call`` uses the bytes directly. An entry's encoding is
    the same in RESP2 and RESP3 (arrays of bulk strings).
    """

    __slots__ = ()


class _NullArray:
    """The null array (``*-1`` in RESP2, ``_`` in RESP3): e.g. XREAD that found nothing."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL_ARRAY"


NULL_ARRAY = _NullArray()


class Map(list):
    """A RESP3 map given as a flat ``[key, value, key, value, ...]`` list (RESP2: a flat array)."""

    __slots__ = ()


class Push(list):
    """An out-of-band frame (pub/sub message, subscribe confirmation): ``>`` in RESP3, ``*`` in RESP2."""

    __slots__ = ()


class Replies(list):
    """Several top-level replies to one command (SUBSCRIBE a b c answers with three frames)."""

    __slots__ = ()


OK = Status("OK")
PONG = Status("PONG")
QUEUED = Status("QUEUED")

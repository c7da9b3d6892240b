"""A sorted set of stream IDs in chunks, so a PEL of any size costs O(log n) per change.

Redis keeps each PEL in a radix tree. A plain sorted Python list would make XACK in the middle
of a 50,000-entry PEL move the whole tail; chunks of at most CHUNK IDs bound that work. Each
chunk keeps the two halves of its IDs in unsigned 64-bit arrays, so a bisect reads contiguous
machine words instead of following a pointer to an integer object at every probe: that keeps
the cost flat as the PEL grows.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

CHUNK = 512
_SEQ = (1 << 64) - 1


def _position(ms: array, seq: array, sid: int) -> int:
    """Where ``sid`` is, or would go, in a chunk (bisect_left over (ms, seq) pairs)."""
    m, s = sid >> 64, sid & _SEQ
    lo = bisect_left(ms, m)
    hi = bisect_right(ms, m, lo)
    return bisect_left(seq, s, lo, hi) if hi > lo else lo


class SortedIDs:
    __slots__ = ("_ms", "_seq", "_maxes", "_len")

    def __init__(self) -> None:
        self._ms: list[array] = []
        self._seq: list[array] = []
        self._maxes: list[int] = []    # the largest ID of each chunk
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def _split(self, i: int) -> None:
        ms, seq = self._ms[i], self._seq[i]
        if len(ms) <= CHUNK:
            return
        half = len(ms) // 2
        self._ms[i:i + 1] = [ms[:half], ms[half:]]
        self._seq[i:i + 1] = [seq[:half], seq[half:]]
        self._maxes[i:i + 1] = [(ms[half - 1] << 64) | seq[half - 1], self._maxes[i]]

    def add(self, sid: int) -> None:
        """Insert ``sid`` (the caller ensures it is not present)."""
        maxes = self._maxes
        if not maxes or sid > maxes[-1]:
            # The usual case: XREADGROUP hands out IDs in increasing order.
            if not maxes:
                self._ms.append(array("Q"))
                self._seq.append(array("Q"))
                maxes.append(sid)
            self._ms[-1].append(sid >> 64)
            self._seq[-1].append(sid & _SEQ)
            maxes[-1] = sid
            self._split(len(maxes) - 1)
        else:
            i = bisect_left(maxes, sid)
            ms, seq = self._ms[i], self._seq[i]
            j = _position(ms, seq, sid)
            ms.insert(j, sid >> 64)
            seq.insert(j, sid & _SEQ)
            self._split(i)
        self._len += 1

    def add_many(self, ids: list[int]) -> None:
        """Insert IDs given in ascending order (none present yet): one step when they all come
        after the current maximum, as XREADGROUP's do."""
        if not ids:
            return
        maxes = self._maxes
        if maxes and ids[0] <= maxes[-1]:
            for sid in ids:
                self.add(sid)
            return
        if not maxes:
            self._ms.append(array("Q"))
            self._seq.append(array("Q"))
            maxes.append(ids[-1])
        self._ms[-1].extend([sid >> 64 for sid in ids])
        self._seq[-1].extend([sid & _SEQ for sid in ids])
        maxes[-1] = ids[-1]
        while len(self._ms[-1]) > CHUNK:
            self._split(len(maxes) - 1)
        self._len += len(ids)

    def discard(self, sid: int) -> bool:
        maxes = self._maxes
        i = bisect_left(maxes, sid)
        if i == len(maxes):
            return False
        ms, seq = self._ms[i], self._seq[i]
        m, s = sid >> 64, sid & _SEQ
        lo = bisect_left(ms, m)
        hi = bisect_right(ms, m, lo)
        j = bisect_left(seq, s, lo, hi)     # _position, inlined on XACK's path
        if j == hi or seq[j] != s:
            return False
        del ms[j]
        del seq[j]
        self._len -= 1
        if not ms:
            del self._ms[i]
            del self._seq[i]
            del maxes[i]
        elif j == len(ms):
            maxes[i] = (ms[-1] << 64) | seq[-1]
        return True

    def discard_run(self, ids: list[int]) -> None:
        """Remove present IDs given in ascending order; a run that sits side by side in one
        chunk (XACK of what one XREADGROUP delivered) goes in one slice deletion."""
        if not ids:
            return
        i = bisect_left(self._maxes, ids[0])
        if i < len(self._maxes):
            ms, seq = self._ms[i], self._seq[i]
            j = _position(ms, seq, ids[0])
            k = 0
            while k < len(ids) and j + k < len(ms) and \
                    (ms[j + k] << 64) | seq[j + k] == ids[k]:
                k += 1
            if k:
                del ms[j:j + k]
                del seq[j:j + k]
                self._len -= k
                if not ms:
                    del self._ms[i]
                    del self._seq[i]
                    del self._maxes[i]
                elif j == len(ms):
                    self._maxes[i] = (ms[-1] << 64) | seq[-1]
            ids = ids[k:]
        for sid in ids:
            self.discard(sid)

    def first(self) -> int | None:
        return (self._ms[0][0] << 64) | self._seq[0][0] if self._maxes else None

    def last(self) -> int | None:
        return self._maxes[-1] if self._maxes else None

    def irange(self, start: int = 0, end: int = (1 << 128) - 1):
        """Yield IDs with start <= id <= end in ascending order.

        It reads a few IDs at a time and finds its place again after each batch, so the caller
        may add or discard IDs between two of them (XAUTOCLAIM does) and a short read (XPENDING
        - + 10) does not copy a whole chunk.
        """
        cursor = start
        while cursor <= end:
            maxes = self._maxes
            i = bisect_left(maxes, cursor)
            if i == len(maxes):
                return
            ms, seq = self._ms[i], self._seq[i]
            j = _position(ms, seq, cursor)
            sid = cursor
            for m, s in zip(ms[j:j + 16], seq[j:j + 16]):
                sid = (m << 64) | s
                if sid > end:
                    return
                yield sid
            cursor = sid + 1

    def __iter__(self):
        return self.irange()


class LazySortedIDs:
    """A consumer's pending IDs: a set in insertion order, sorted only when first asked to be.

    Adding and removing (every XREADGROUP and XACK) are plain dict operations; a range query
    (a history read, XPENDING with a consumer filter, XINFO STREAM FULL) builds the sorted index
    once, and from then on it is kept up to date. Same interface as SortedIDs.
    """

    __slots__ = ("_ids", "_index")

    def __init__(self) -> None:
        self._ids: dict[int, None] = {}
        self._index: SortedIDs | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __contains__(self, sid: int) -> bool:
        return sid in self._ids

    def add(self, sid: int) -> None:
        self._ids[sid] = None
        if self._index is not None:
            self._index.add(sid)

    def add_many(self, ids: list[int]) -> None:
        self._ids.update(dict.fromkeys(ids))
        if self._index is not None:
            self._index.add_many(ids)

    def discard(self, sid: int) -> bool:
        if sid not in self._ids:
            return False
        del self._ids[sid]
        if self._index is not None:
            self._index.discard(sid)
        return True

    def _sorted(self) -> SortedIDs:
        if self._index is None:
            self._index = SortedIDs()
            self._index.add_many(sorted(self._ids))
        return self._index

    def first(self) -> int | None:
        return self._sorted().first()

    def last(self) -> int | None:
        return self._sorted().last()

    def irange(self, start: int = 0, end: int = (1 << 128) - 1):
        return self._sorted().irange(start, end)

    def __iter__(self):
        return self.irange()

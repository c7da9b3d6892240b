"""A sorted set of stream IDs in chunks, so a PEL of any size costs O(log n) per change.

Redis keeps each PEL in a radix tree. A plain sorted Python list would make XACK in the middle
of a 50,000-entry PEL move the whole tail; chunks of at most CHUNK IDs bound that work.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

CHUNK = 512


class SortedIDs:
    __slots__ = ("_chunks", "_maxes", "_len")

    def __init__(self) -> None:
        self._chunks: list[list[int]] = []
        self._maxes: list[int] = []
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def add(self, sid: int) -> None:
        """Insert ``sid`` (the caller ensures it is not present)."""
        chunks, maxes = self._chunks, self._maxes
        if maxes and sid > maxes[-1]:
            # The usual case: XREADGROUP hands out IDs in increasing order.
            chunk = chunks[-1]
            chunk.append(sid)
            maxes[-1] = sid
            if len(chunk) > CHUNK:
                half = len(chunk) // 2
                chunks[-1:] = [chunk[:half], chunk[half:]]
                maxes[-1:] = [chunk[half - 1], sid]
            self._len += 1
            return
        if not chunks:
            chunks.append([sid])
            maxes.append(sid)
        else:
            i = bisect_left(maxes, sid)
            if i == len(chunks):
                i -= 1
                chunks[i].append(sid)
                maxes[i] = sid
            else:
                insort(chunks[i], sid)
            if len(chunks[i]) > CHUNK:
                chunk = chunks[i]
                half = len(chunk) // 2
                chunks[i:i + 1] = [chunk[:half], chunk[half:]]
                maxes[i:i + 1] = [chunk[half - 1], chunk[-1]]
        self._len += 1

    def add_many(self, ids: list[int]) -> None:
        """Insert IDs given in ascending order (none present yet): one step when they all come
        after the current maximum, as XREADGROUP's do."""
        maxes = self._maxes
        if not ids:
            return
        if maxes and ids[0] <= maxes[-1]:
            for sid in ids:
                self.add(sid)
            return
        chunks = self._chunks
        if not chunks:
            chunks.append([])
            maxes.append(ids[-1])
        chunk = chunks[-1]
        chunk.extend(ids)
        maxes[-1] = ids[-1]
        while len(chunk) > CHUNK:
            head, chunk = chunk[:CHUNK // 2], chunk[CHUNK // 2:]
            chunks[-1:] = [head, chunk]
            maxes[-1:] = [head[-1], chunk[-1]]
        self._len += len(ids)

    def discard(self, sid: int) -> bool:
        maxes = self._maxes
        i = bisect_left(maxes, sid)
        if i == len(maxes):
            return False
        chunk = self._chunks[i]
        j = 0 if chunk[0] == sid else bisect_left(chunk, sid)
        if j == len(chunk) or chunk[j] != sid:
            return False
        del chunk[j]
        self._len -= 1
        if not chunk:
            del self._chunks[i]
            del maxes[i]
        elif j == len(chunk):
            maxes[i] = chunk[-1]
        return True

    def first(self) -> int | None:
        return self._chunks[0][0] if self._chunks else None

    def last(self) -> int | None:
        return self._maxes[-1] if self._maxes else None

    def irange(self, start: int = 0, end: int = (1 << 128) - 1):
        """Yield IDs with start <= id <= end in ascending order (safe against later changes)."""
        maxes = self._maxes
        i = bisect_left(maxes, start)
        if i == len(maxes):
            return
        j = bisect_left(self._chunks[i], start)
        while i < len(self._chunks):
            chunk = list(self._chunks[i][j:])
            for sid in chunk:
                if sid > end:
                    return
                yield sid
            i = bisect_right(self._maxes, chunk[-1]) if chunk else i + 1
            j = 0

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

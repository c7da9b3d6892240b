"""A consumer group's pending entries list (PEL): sorted IDs in chunks, with their data in columns.

Redis keeps each PEL in a radix tree. Here the IDs are kept sorted in chunks of at most CHUNK, so
XACK in the middle of a 50,000-entry PEL moves at most a chunk, never the whole tail. Each chunk
stores the two halves of its IDs and each entry's delivery time, delivery count and owner in
machine-word arrays side by side ("columns"): no Python object, dict slot or int key exists per
pending entry. A random XACK therefore touches one chunk's arrays instead of a dict slot, a key
object, an entry object and its consumer's set, all cold in the CPU cache once the PEL is large;
XREADGROUP appends to the arrays in one step; XPENDING - + 10 reads ten slots of each column.

Owners are consumer numbers (see model.groups), so dropping a consumer never leaves a reference.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

# Small chunks: removing from the middle moves at most CHUNK slots of each of the five columns,
# and in a large PEL those slots are cold in the CPU cache (512 cost XACK ~0.3 us more at 50k).
CHUNK = 64
_SEQ = (1 << 64) - 1
_COLUMNS = ("Q", "Q", "q", "q", "I")   # ms, seq, delivery time, delivery count, owner
_ONES = array("q", [1] * CHUNK)        # delivery counts of a fresh delivery


def _position(ms: array, seq: array, sid: int) -> int:
    """Where ``sid`` is, or would go, in a chunk (bisect_left over (ms, seq) pairs)."""
    m, s = sid >> 64, sid & _SEQ
    lo = bisect_left(ms, m)
    hi = bisect_right(ms, m, lo)
    return bisect_left(seq, s, lo, hi) if hi > lo else lo


def _same(column: array, values: array | list[int]) -> bool:
    """A column slice holds exactly these values (an array, or a list from parsed IDs)."""
    return column == values if type(values) is array else column.tolist() == values


def _int64(value: int) -> int:
    """A counter as Redis's 64-bit field holds it (printed signed): wrapped, never an error."""
    return ((value + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def _new_chunk() -> list[array]:
    return [array(code) for code in _COLUMNS]


class PendingList:
    """Pending IDs in ascending order, each with (delivery time, delivery count, owner)."""

    __slots__ = ("_chunks", "_top_ms", "_top_seq", "_len")

    def __init__(self) -> None:
        self._chunks: list[list[array]] = []   # [ms, seq, time, count, owner] per chunk
        self._top_ms = array("Q")              # the largest ID of each chunk, in two halves:
        self._top_seq = array("Q")             # finding the chunk bisects machine words too
        self._len = 0

    def _chunk_at(self, sid: int) -> int:
        """The first chunk whose largest ID is >= sid (len(chunks) if none)."""
        return _position(self._top_ms, self._top_seq, sid)

    def _set_top(self, i: int) -> None:
        chunk = self._chunks[i]
        self._top_ms[i] = chunk[0][-1]
        self._top_seq[i] = chunk[1][-1]

    def _top(self, i: int) -> int:
        return (self._top_ms[i] << 64) | self._top_seq[i]

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __contains__(self, sid: int) -> bool:
        return self._find(sid) is not None

    # -- finding ---------------------------------------------------------------------------------
    def _find(self, sid: int) -> tuple[list[array], int] | None:
        """(chunk, position) of ``sid``, or None when it is not pending."""
        i = self._chunk_at(sid)
        if i == len(self._chunks):
            return None
        chunk = self._chunks[i]
        ms, seq = chunk[0], chunk[1]
        m, s = sid >> 64, sid & _SEQ
        lo = bisect_left(ms, m)
        hi = bisect_right(ms, m, lo)
        j = bisect_left(seq, s, lo, hi)
        if j == hi or seq[j] != s:
            return None
        return chunk, j

    def get(self, sid: int) -> tuple[int, int, int] | None:
        """(delivery time, delivery count, owner) of a pending ID, or None."""
        found = self._find(sid)
        if found is None:
            return None
        chunk, j = found
        return chunk[2][j], chunk[3][j], chunk[4][j]

    def set(self, sid: int, time: int, count: int, owner: int) -> None:
        """Overwrite a pending ID's delivery time, delivery count and owner."""
        chunk, j = self._find(sid)
        chunk[2][j] = _int64(time)
        chunk[3][j] = _int64(count)
        chunk[4][j] = owner

    def first(self) -> int | None:
        if not self._chunks:
            return None
        chunk = self._chunks[0]
        return (chunk[0][0] << 64) | chunk[1][0]

    def last(self) -> int | None:
        return self._top(-1) if self._chunks else None

    # -- adding ------------------------------------------------------------------------------------
    def _split(self, i: int) -> None:
        """Cut an oversized chunk into pieces about half full."""
        chunk = self._chunks[i]
        size = len(chunk[0])
        if size <= CHUNK:
            return
        pieces = size // (CHUNK // 2)
        step = -(-size // pieces)
        new = [[column[a:a + step] for column in chunk] for a in range(0, size, step)]
        self._chunks[i:i + 1] = new
        self._top_ms[i:i + 1] = array("Q", [p[0][-1] for p in new])
        self._top_seq[i:i + 1] = array("Q", [p[1][-1] for p in new])

    def add(self, sid: int, time: int, count: int, owner: int) -> None:
        """Insert an ID that is not pending yet."""
        if not self._chunks or sid > self._top(-1):
            if not self._chunks:
                self._new_last_chunk()
            i = len(self._chunks) - 1
            j = len(self._chunks[i][0])
        else:
            i = self._chunk_at(sid)
            j = _position(self._chunks[i][0], self._chunks[i][1], sid)
        values = (sid >> 64, sid & _SEQ, _int64(time), _int64(count), owner)
        for column, value in zip(self._chunks[i], values):
            column.insert(j, value)
        self._set_top(i)
        self._len += 1
        self._split(i)

    def extend(self, ms_list: array, seq_list: array, time: int, owner: int) -> None:
        """Insert ascending IDs, given as their two halves (``array('Q')``s, copied whole), all
        after the current maximum, delivered once at ``time`` to ``owner`` (what XREADGROUP '>'
        does): one step per column.
        """
        n = len(ms_list)
        if not n:
            return
        if not self._chunks:
            self._new_last_chunk()
        ms, seq, times, counts, owners = self._chunks[-1]
        ms.extend(ms_list)
        seq.extend(seq_list)
        times.extend(array("q", (_int64(time),)) * n)
        counts.extend(_ONES[:n] if n <= CHUNK else array("q", (1,)) * n)
        owners.extend(array("I", (owner,)) * n)
        self._top_ms[-1] = ms_list[-1]
        self._top_seq[-1] = seq_list[-1]
        self._len += n
        if len(ms) > CHUNK:
            self._split(len(self._chunks) - 1)

    def _new_last_chunk(self) -> None:
        self._chunks.append(_new_chunk())
        self._top_ms.append(0)
        self._top_seq.append(0)

    # -- removing ----------------------------------------------------------------------------------
    def _drop(self, i: int, j: int, k: int) -> None:
        """Remove positions j..k-1 of chunk i."""
        chunk = self._chunks[i]
        for column in chunk:
            del column[j:k]
        self._len -= k - j
        ms = chunk[0]
        if not ms:
            self._drop_chunk(i)
        elif j == len(ms):
            self._set_top(i)

    def _drop_chunk(self, i: int) -> None:
        del self._chunks[i]
        del self._top_ms[i]
        del self._top_seq[i]

    def remove(self, sid: int) -> int:
        """Remove a pending ID; return its owner, or -1 if it was not pending."""
        i = self._chunk_at(sid)
        if i == len(self._chunks):
            return -1
        chunk = self._chunks[i]
        j = _position(chunk[0], chunk[1], sid)
        if j == len(chunk[0]) or (chunk[0][j] << 64) | chunk[1][j] != sid:
            return -1
        owner = chunk[4][j]
        self._drop(i, j, j + 1)
        return owner

    def remove_run(self, ms_list: list[int], seq_list: list[int]) -> array | None:
        """If the IDs (given as their two halves) are, in this order, side by side in one chunk
        (XACK of what one XREADGROUP delivered), remove them in one slice deletion per column
        and return their owners; else change nothing and return None."""
        if not ms_list:
            return None
        first = (ms_list[0] << 64) | seq_list[0]
        i = self._chunk_at(first)
        if i == len(self._chunks):
            return None
        chunk = self._chunks[i]
        ms, seq = chunk[0], chunk[1]
        j = _position(ms, seq, first)
        k = j + len(ms_list)
        if k > len(ms) or not _same(ms[j:k], ms_list) or not _same(seq[j:k], seq_list):
            return None
        owners = chunk[4][j:k]
        self._drop(i, j, k)
        return owners

    def remove_sorted(self, ids: list[int]) -> list[int]:
        """Remove the pending ones of ascending, distinct IDs; return the owners of those removed.

        IDs that sit side by side in one chunk (XACK of what one XREADGROUP delivered) go in one
        slice deletion per column."""
        owners: list[int] = []
        at = 0
        while at < len(ids):
            first = ids[at]
            i = self._chunk_at(first)
            if i == len(self._chunks):
                break
            chunk = self._chunks[i]
            ms, seq = chunk[0], chunk[1]
            j = _position(ms, seq, first)
            k = j
            size = len(ms)
            while at < len(ids) and k < size and (ms[k] << 64) | seq[k] == ids[at]:
                k += 1
                at += 1
            if k > j:
                owners.extend(chunk[4][j:k])
                self._drop(i, j, k)
            else:
                at += 1    # not pending
        return owners

    def remove_owner(self, owner: int) -> int:
        """Remove every entry of one owner (XGROUP DELCONSUMER); return how many there were."""
        removed = 0
        for i in range(len(self._chunks) - 1, -1, -1):
            chunk = self._chunks[i]
            keep = [j for j, o in enumerate(chunk[4]) if o != owner]
            if len(keep) == len(chunk[4]):
                continue
            removed += len(chunk[4]) - len(keep)
            if not keep:
                self._drop_chunk(i)
                continue
            chunk[:] = [array(column.typecode, [column[j] for j in keep]) for column in chunk]
            self._set_top(i)
        self._len -= removed
        return removed

    # -- reading -----------------------------------------------------------------------------------
    def window(self, start: int, end: int, limit: int) -> list[array]:
        """The first ``limit`` entries with start <= id <= end, as five columns (ms, seq,
        delivery time, delivery count, owner) cut from the chunks: XPENDING - + 10 is one slice
        of each column of one chunk."""
        chunks = self._chunks
        i = self._chunk_at(start) if start else 0
        if i == len(chunks):
            return [array(code) for code in _COLUMNS]
        chunk = chunks[i]
        j = _position(chunk[0], chunk[1], start) if start else 0
        k = j + limit
        if k <= len(chunk[0]) and (chunk[0][k - 1] << 64) | chunk[1][k - 1] <= end:
            return [column[j:k] for column in chunk]
        out = [array(code) for code in _COLUMNS]
        while i < len(chunks) and len(out[0]) < limit:
            chunk = chunks[i]
            k = j + limit - len(out[0])
            beyond = self._top(i) > end
            if beyond:
                k = min(k, _position(chunk[0], chunk[1], end + 1))
            for whole, column in zip(out, chunk):
                whole.extend(column[j:k])
            if beyond:
                break
            i += 1
            j = 0
        return out

    def entries(self, start: int = 0, end: int = (1 << 128) - 1):
        """Yield (id, delivery time, delivery count, owner) with start <= id <= end, ascending.

        It reads a few entries at a time and finds its place again after each batch, so the
        caller may change the PEL between two of them (XAUTOCLAIM does).
        """
        cursor = start
        while cursor <= end:
            ms, seq, times, counts, owners = self.window(cursor, end, 16)
            for m, s, t, c, o in zip(ms, seq, times, counts, owners):
                yield (m << 64) | s, t, c, o
            if len(ms) < 16:
                return
            cursor = ((ms[-1] << 64) | seq[-1]) + 1

    def __iter__(self):
        for chunk in self._chunks:
            for m, s in zip(chunk[0], chunk[1]):
                yield (m << 64) | s

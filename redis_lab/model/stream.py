"""A stream stored as Redis stores it: a sequence of nodes of at most N entries and B bytes.

Modelling the nodes (instead of one flat list) is what lets ``MAXLEN ~`` remove exactly what
Redis removes: approximate trimming drops whole nodes only, and entries deleted with XDEL keep
occupying their node until the whole node goes. Nodes also keep memory small: an entry is two
unsigned 64-bit integers in arrays plus one packed bytes object of its values (field names are
shared with the node's first entry when they match, as in Redis's "master entry").

Seeking by ID is a bisect over node keys and then within the node, so it does not depend on
the stream's length.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

from .ids import SEQ_MASK, make_id
from .listpack import LISTPACK_OVERHEAD, int_element, master_entry_size, str_element

FLAG_DELETED = 1
FLAG_SAMEFIELDS = 2
_INT64 = 1 << 63


def _as_int64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= _INT64 else value


def pack(items) -> bytes:
    """Pack byte strings into one: a 1-byte length (or 0xFF + 4 bytes) before each."""
    parts = []
    for item in items:
        n = len(item)
        parts.append(bytes((n,)) if n < 255 else b"\xff" + n.to_bytes(4, "big"))
        parts.append(item)
    return b"".join(parts)


def unpack(blob: bytes) -> list[bytes]:
    items = []
    pos, end = 0, len(blob)
    while pos < end:
        n = blob[pos]
        pos += 1
        if n == 255:
            n = int.from_bytes(blob[pos:pos + 4], "big")
            pos += 4
        items.append(blob[pos:pos + n])
        pos += n
    return items


class Node:
    """One listpack: entries sharing a master ID (the first entry's ID) and master fields."""

    __slots__ = ("master_id", "fields", "ms", "seq", "payloads", "flags", "live", "deleted",
                 "entries_bytes")

    def __init__(self, master_id: int, fields: tuple[bytes, ...]) -> None:
        self.master_id = master_id
        self.fields = fields
        self.ms = array("Q")
        self.seq = array("Q")
        self.payloads: list[bytes] = []
        self.flags = bytearray()
        self.live = 0
        self.deleted = 0
        self.entries_bytes = 0

    def __len__(self) -> int:
        return len(self.payloads)

    def __getitem__(self, i: int) -> int:
        return (self.ms[i] << 64) | self.seq[i]

    @property
    def byte_size(self) -> int:
        """The listpack's size in bytes as Redis computes lpBytes."""
        return (LISTPACK_OVERHEAD + master_entry_size(self.live, self.deleted, self.fields)
                + self.entries_bytes)

    def append(self, sid: int, pairs: list[bytes]) -> None:
        fields = pairs[0::2]
        values = pairs[1::2]
        same = tuple(fields) == self.fields
        ms, seq = sid >> 64, sid & SEQ_MASK
        size = (int_element(FLAG_SAMEFIELDS if same else 0)
                + int_element(_as_int64(ms - (self.master_id >> 64)))
                + int_element(_as_int64(seq - (self.master_id & SEQ_MASK))))
        size += sum(str_element(v) for v in values)
        n = len(values)
        if same:
            size += int_element(n + 3)
            self.payloads.append(pack(values))
        else:
            size += int_element(n) + sum(str_element(f) for f in fields) + int_element(2 * n + 4)
            self.payloads.append(pack(pairs))
        self.entries_bytes += size
        self.ms.append(ms)
        self.seq.append(seq)
        self.flags.append(FLAG_SAMEFIELDS if same else 0)
        self.live += 1

    def pairs_at(self, i: int) -> list[bytes]:
        """The entry's field/value list as XADD received it."""
        items = unpack(self.payloads[i])
        if self.flags[i] & FLAG_SAMEFIELDS:
            out = []
            for field, value in zip(self.fields, items):
                out.append(field)
                out.append(value)
            return out
        return items

    def is_live(self, i: int) -> bool:
        return not self.flags[i] & FLAG_DELETED

    def mark_deleted(self, i: int) -> None:
        self.flags[i] |= FLAG_DELETED
        self.live -= 1
        self.deleted += 1


class Stream:
    """A Redis stream: nodes of entries plus the counters XINFO reports, and consumer groups."""

    TYPE_NAME = "stream"

    __slots__ = ("nodes", "keys", "length", "last_id", "entries_added", "max_deleted", "groups")

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.keys: list[int] = []          # master ID of each node, for bisecting
        self.length = 0
        self.last_id = 0                   # last-generated-id
        self.entries_added = 0
        self.max_deleted = 0               # max-deleted-entry-id
        self.groups: dict = {}

    # -- writing ------------------------------------------------------------------------------
    def append(self, sid: int, pairs: list[bytes], max_entries: int, max_bytes: int) -> None:
        """Add an entry whose ID the caller has validated, opening a node where Redis would."""
        tail = self.nodes[-1] if self.nodes else None
        if tail is not None:
            if max_bytes <= 0 or max_bytes > 1 << 30:
                max_bytes = 1 << 30
            payload = sum(len(p) for p in pairs)
            if tail.byte_size + payload >= max_bytes:
                tail = None
            elif max_entries and tail.live + tail.deleted >= max_entries:
                tail = None
        if tail is None:
            tail = Node(sid, tuple(pairs[0::2]))
            self.nodes.append(tail)
            self.keys.append(sid)
        tail.append(sid, pairs)
        self.length += 1
        self.entries_added += 1
        self.last_id = sid

    def delete(self, sid: int) -> bool:
        """XDEL one ID; True if a live entry was removed. The node goes when its last live does."""
        found = self._locate(sid)
        if found is None:
            return False
        index, pos = found
        node = self.nodes[index]
        if node.live == 1:
            del self.nodes[index]
            del self.keys[index]
        else:
            node.mark_deleted(pos)
        self.length -= 1
        return True

    def trim(self, *, maxlen: int | None = None, minid: int | None = None,
             approx: bool = False, limit: int = 0) -> int:
        """Redis's streamTrim: drop whole nodes from the head; exact trims flag inside one node."""
        deleted = 0
        while self.nodes:
            if maxlen is not None and self.length <= maxlen:
                break
            node = self.nodes[0]
            entries = node.live
            if limit and deleted + entries > limit:
                break
            if maxlen is not None:
                removable = self.length - entries >= maxlen
            else:
                removable = node[len(node) - 1] < minid
            if removable:
                del self.nodes[0]
                del self.keys[0]
                self.length -= entries
                deleted += entries
                continue
            if approx:
                break
            for i in range(len(node)):
                if maxlen is not None:
                    if self.length <= maxlen:
                        break
                elif node[i] >= minid:
                    break
                if node.is_live(i):
                    node.mark_deleted(i)
                    self.length -= 1
                    deleted += 1
            break
        return deleted

    # -- reading ------------------------------------------------------------------------------
    def _locate(self, sid: int) -> tuple[int, int] | None:
        """(node index, position) of a live entry with this ID, or None."""
        index = bisect_right(self.keys, sid) - 1
        if index < 0:
            return None
        node = self.nodes[index]
        pos = bisect_left(node, sid)
        if pos < len(node) and node[pos] == sid and node.is_live(pos):
            return index, pos
        return None

    def get(self, sid: int) -> list[bytes] | None:
        found = self._locate(sid)
        if found is None:
            return None
        index, pos = found
        return self.nodes[index].pairs_at(pos)

    def __contains__(self, sid: int) -> bool:
        return self._locate(sid) is not None

    def range(self, start: int, end: int, count: int = 0, rev: bool = False):
        """Yield (id, pairs) of live entries with start <= id <= end, oldest first (or newest
        first with ``rev``), at most ``count`` of them (0 = all)."""
        if start > end or not self.nodes:
            return
        produced = 0
        nodes = self.nodes
        if not rev:
            index = max(bisect_right(self.keys, start) - 1, 0)
            pos = bisect_left(nodes[index], start)
            while index < len(nodes):
                node = nodes[index]
                flags = node.flags
                for i in range(pos, len(node)):
                    sid = node[i]
                    if sid > end:
                        return
                    if not flags[i] & FLAG_DELETED:
                        yield sid, node.pairs_at(i)
                        produced += 1
                        if produced == count:
                            return
                index += 1
                pos = 0
        else:
            index = bisect_right(self.keys, end) - 1
            if index < 0:
                return
            pos = bisect_right(nodes[index], end) - 1
            while index >= 0:
                node = nodes[index]
                flags = node.flags
                for i in range(pos, -1, -1):
                    sid = node[i]
                    if sid < start:
                        return
                    if not flags[i] & FLAG_DELETED:
                        yield sid, node.pairs_at(i)
                        produced += 1
                        if produced == count:
                            return
                index -= 1
                if index >= 0:
                    pos = len(nodes[index]) - 1

    def first_entry(self):
        return next(self.range(0, (1 << 128) - 1, 1), None)

    def last_entry(self):
        return next(self.range(0, (1 << 128) - 1, 1, rev=True), None)

    @property
    def first_id(self) -> int:
        """recorded-first-entry-id: the first live entry, 0-0 when empty."""
        entry = self.first_entry()
        return entry[0] if entry else 0

    def last_live_id(self) -> int:
        entry = self.last_entry()
        return entry[0] if entry else 0

    # -- what XINFO STREAM reports about the radix tree -------------------------------------------
    @property
    def radix_tree_keys(self) -> int:
        return len(self.nodes)

    @property
    def radix_tree_nodes(self) -> int:
        """Nodes of the compressed radix tree holding the node keys (16-byte big-endian IDs)."""
        if not self.keys:
            return 1
        keys = [k.to_bytes(16, "big") for k in self.keys]
        return _rax_nodes(keys, 0, len(keys), 0)


def _rax_nodes(keys: list[bytes], lo: int, hi: int, depth: int) -> int:
    if hi - lo == 1:
        return 1 if depth == 16 else 2
    first, last = keys[lo], keys[hi - 1]
    d = depth
    while first[d] == last[d]:
        d += 1
    count = 2 if d > depth else 1
    i = lo
    while i < hi:
        byte = keys[i][d]
        j = i + 1
        while j < hi and keys[j][d] == byte:
            j += 1
        count += _rax_nodes(keys, i, j, d + 1)
        i = j
    return count


__all__ = ["Stream", "Node", "make_id"]

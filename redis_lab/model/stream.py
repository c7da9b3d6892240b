"""A stream stored as Redis stores it: a sequence of nodes of at most N entries and B bytes.

Modelling the nodes (instead of one flat list) is what lets ``MAXLEN ~`` remove exactly what
Redis removes: approximate trimming drops whole nodes only, and entries deleted with XDEL keep
occupying their node until the whole node goes. Nodes also keep memory small: an entry is two
unsigned 64-bit integers in arrays plus one packed bytes object of its values (field names are
shared with the node's first entry when they match, as in Redis's "master entry").

Seeking by ID is a bisect over node keys and then within the node, so it does not depend on
the stream's length.

Entries inside a node are normally in ID order, but not always: XSETID may move the last ID back
below entries that XDEL flagged in the tail node (7.0 only checks the last *live* entry), and
new entries are then appended after those higher, deleted IDs; on an empty stream whose only
node survived an exact MINID trim, XSETID may even move below the node's own key. Redis reads
nodes as listpacks, front to back (or back to front), so it never notices. A node therefore
remembers whether its IDs are still sorted: sorted nodes are bisected, others are scanned the
way Redis's stream iterator scans them (deleted entries skipped, the range end checked on live
entries only). Live entries stay in ID order in every case.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

from .ids import SEQ_MASK, format_id, make_id
from .listpack import LISTPACK_OVERHEAD, int_element, str_element
from .reply import Raw

FLAG_DELETED = 1
MASTER_MAX = LISTPACK_OVERHEAD + 3 * 10 + 2   # header and terminator, 3 integers, the 0 field
FLAG_SAMEFIELDS = 2
_INT64 = 1 << 63


def _as_int64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= _INT64 else value


def encode_pairs(pairs: list[bytes]) -> bytes:
    """An entry's field/value list as the RESP array every reply carries it in."""
    return b"*%d\r\n" % len(pairs) + b"".join([b"$%d\r\n%s\r\n" % (len(p), p) for p in pairs])


class Node:
    """One listpack: entries sharing a master ID (the first entry's ID) and master fields.

    An entry is its ID (two unsigned 64-bit integers in arrays), a flag byte, and its field/value
    list stored once, already encoded as RESP, in the node's byte buffer: replies copy those
    bytes instead of encoding values one by one, and no Python object is kept per entry.
    ``entries_bytes`` tracks the size Redis's listpack would have, which decides node splits.
    """

    __slots__ = ("master_id", "master_ms", "master_seq", "fields", "fields_bytes", "ms", "seq",
                 "data", "offsets", "flags", "live", "deleted", "entries_bytes", "max_id",
                 "sorted")

    def __init__(self, master_id: int, fields: tuple[bytes, ...]) -> None:
        self.master_id = master_id
        self.master_ms = master_id >> 64
        self.master_seq = master_id & SEQ_MASK
        self.fields = fields
        self.fields_bytes = sum(str_element(f) for f in fields)
        self.ms = array("Q")
        self.seq = array("Q")
        self.data = bytearray()
        self.offsets = array("I", [0])   # entry i is data[offsets[i]:offsets[i + 1]]
        self.flags = bytearray()
        self.live = 0
        self.deleted = 0
        self.entries_bytes = 0
        self.max_id = master_id
        self.sorted = True               # IDs in ascending order (see the module docstring)

    def __len__(self) -> int:
        return len(self.flags)

    def __getitem__(self, i: int) -> int:
        return (self.ms[i] << 64) | self.seq[i]

    @property
    def byte_size(self) -> int:
        """The listpack's size in bytes as Redis computes lpBytes."""
        # The master entry: live count, deleted count, number of fields, the fields, a 0.
        return (LISTPACK_OVERHEAD + int_element(self.live) + int_element(self.deleted)
                + int_element(len(self.fields)) + self.fields_bytes + 2 + self.entries_bytes)

    def append(self, sid: int, pairs: list[bytes]) -> None:
        n = len(pairs) >> 1
        same = tuple(pairs[0::2]) == self.fields
        ms, seq = sid >> 64, sid & SEQ_MASK
        # What the entry adds to the listpack: flags (2 bytes), the ID as two deltas from the
        # master ID, the values (and, unless the fields are the master's, the fields and their
        # count), and the lp-count element.
        size = 2
        delta = ms - self.master_ms
        size += 2 if 0 <= delta <= 127 else int_element(_as_int64(delta))
        delta = seq - self.master_seq
        size += 2 if 0 <= delta <= 127 else int_element(_as_int64(delta))
        for k in range(1, len(pairs), 2):
            value = pairs[k]
            length = len(value)
            if length < 62 and (not length or not 45 <= value[0] <= 57):
                size += length + 2      # a short string that cannot be an integer
            else:
                size += str_element(value)
        if same:
            size += 2 if n < 125 else int_element(n + 3)
        else:
            size += int_element(n) + int_element(2 * n + 4)
            for k in range(0, len(pairs), 2):
                size += str_element(pairs[k])
        self.entries_bytes += size
        if sid < self.max_id:
            self.sorted = False
        else:
            self.max_id = sid
        self.data += encode_pairs(pairs)
        self.offsets.append(len(self.data))
        self.ms.append(ms)
        self.seq.append(seq)
        self.flags.append(FLAG_SAMEFIELDS if same else 0)
        self.live += 1

    def raw_at(self, i: int) -> Raw:
        """The entry as a reply carries it, ``[id, [field, value, ...]]``, already in RESP."""
        offsets = self.offsets
        sid = b"%d-%d" % (self.ms[i], self.seq[i])
        return Raw(b"*2\r\n$%d\r\n%s\r\n%s"
                   % (len(sid), sid, self.data[offsets[i]:offsets[i + 1]]))

    def bisect_left(self, sid: int) -> int:
        """The first position whose ID is >= sid (the node must be sorted)."""
        ms, seq = sid >> 64, sid & SEQ_MASK
        lo = bisect_left(self.ms, ms)
        hi = bisect_right(self.ms, ms, lo)
        return bisect_left(self.seq, seq, lo, hi) if hi > lo else lo

    def bisect_right(self, sid: int) -> int:
        """The first position whose ID is > sid (the node must be sorted)."""
        ms, seq = sid >> 64, sid & SEQ_MASK
        lo = bisect_left(self.ms, ms)
        hi = bisect_right(self.ms, ms, lo)
        return bisect_right(self.seq, seq, lo, hi) if hi > lo else lo

    def is_live(self, i: int) -> bool:
        return not self.flags[i] & FLAG_DELETED

    def mark_deleted(self, i: int) -> None:
        self.flags[i] |= FLAG_DELETED
        self.live -= 1
        self.deleted += 1


class Stream:
    """A Redis stream: nodes of entries plus the counters XINFO reports, and consumer groups."""

    TYPE_NAME = "stream"

    __slots__ = ("nodes", "keys", "key_ms", "key_seq", "length", "last_id", "entries_added",
                 "max_deleted", "groups", "unsorted")

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.keys: list[int] = []          # master ID of each node
        self.key_ms = array("Q")           # the same, split in two machine words: bisecting
        self.key_seq = array("Q")          # these stays fast however many nodes there are
        self.length = 0
        self.last_id = 0                   # last-generated-id
        self.entries_added = 0
        self.max_deleted = 0               # max-deleted-entry-id
        self.groups: dict = {}
        self.unsorted = 0                  # nodes whose IDs are out of order

    # -- writing ------------------------------------------------------------------------------
    def append(self, sid: int, pairs: list[bytes], max_entries: int, max_bytes: int,
               payload: int) -> None:
        """Add an entry whose ID the caller has validated, opening a node where Redis would.

        ``payload`` is the sum of the field and value lengths (Redis's node-size rule uses it).
        """
        tail = self.nodes[-1] if self.nodes else None
        if tail is not None:
            if max_bytes <= 0 or max_bytes > 1 << 30:
                max_bytes = 1 << 30
            # The master entry's counters take at most MASTER_MAX bytes: the exact lpBytes is
            # only computed when the node is that close to the limit.
            near = tail.entries_bytes + tail.fields_bytes + MASTER_MAX + payload >= max_bytes
            if near and tail.byte_size + payload >= max_bytes:
                tail = None
            elif max_entries and tail.live + tail.deleted >= max_entries:
                tail = None
        if tail is None:
            tail = Node(sid, tuple(pairs[0::2]))
            self.nodes.append(tail)
            self.keys.append(sid)
            self.key_ms.append(sid >> 64)
            self.key_seq.append(sid & SEQ_MASK)
        was_sorted = tail.sorted
        tail.append(sid, pairs)
        if was_sorted and not tail.sorted:
            self.unsorted += 1
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
            self._drop_node(index)
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
                self._drop_node(0)
                self.length -= entries
                deleted += entries
                continue
            if approx:
                break
            if maxlen is not None:
                # Flag the oldest live entries; the deleted ones before them are skipped with
                # two byte searches (live flags are 0 or FLAG_SAMEFIELDS), not one by one.
                flags = node.flags
                i = 0
                while self.length > maxlen:
                    plain, same = flags.find(0, i), flags.find(FLAG_SAMEFIELDS, i)
                    i = plain if same < 0 or 0 <= plain < same else same
                    node.mark_deleted(i)
                    self.length -= 1
                    deleted += 1
                break
            for i in range(len(node)):
                if node[i] >= minid:
                    break
                if node.is_live(i):
                    node.mark_deleted(i)
                    self.length -= 1
                    deleted += 1
            break
        return deleted

    def _drop_node(self, index: int) -> None:
        if not self.nodes[index].sorted:
            self.unsorted -= 1
        del self.nodes[index]
        del self.keys[index]
        del self.key_ms[index]
        del self.key_seq[index]

    # -- reading ------------------------------------------------------------------------------
    def _seek(self, sid: int) -> int:
        """The node a forward iterator starts in: raxSeek '<=' sid, else the first node."""
        return max(self._last_node_at_or_before(sid), 0)

    def _last_node_at_or_before(self, sid: int) -> int:
        """Index of the last node whose key is <= sid (-1 if none): bisect_right(keys) - 1."""
        ms, seq = sid >> 64, sid & SEQ_MASK
        key_ms = self.key_ms
        index = bisect_right(key_ms, ms) - 1
        key_seq = self.key_seq
        while index >= 0 and key_ms[index] == ms and key_seq[index] > seq:
            index -= 1
        return index

    def _locate(self, sid: int) -> tuple[int, int] | None:
        """(node index, position) of a live entry with this ID, or None.

        As Redis finds it: the first live entry at or after ``sid`` from the seek point on.
        """
        nodes = self.nodes
        index = self._seek(sid)
        while index < len(nodes):
            node = nodes[index]
            flags = node.flags
            for i in range(node.bisect_left(sid) if node.sorted else 0, len(node)):
                if flags[i] & FLAG_DELETED:
                    continue
                found = node[i]
                if found >= sid:
                    return (index, i) if found == sid else None
            index += 1
        return None

    def get(self, sid: int) -> Raw | None:
        """The live entry with this ID, as a reply carries it (Raw), or None."""
        found = self._locate(sid)
        if found is None:
            return None
        index, pos = found
        return self.nodes[index].raw_at(pos)

    def __contains__(self, sid: int) -> bool:
        return self._locate(sid) is not None

    def range(self, start: int, end: int, count: int = 0, rev: bool = False):
        """Yield (id, entry) of live entries with start <= id <= end, oldest first (or newest
        first with ``rev``), at most ``count`` of them (0 = all); the entry as Raw RESP."""
        if start > end or not self.nodes:
            return
        produced = 0
        nodes = self.nodes
        if not rev:
            index = self._seek(start)
            while index < len(nodes):
                node = nodes[index]
                flags, ms, seq = node.flags, node.ms, node.seq
                for i in range(node.bisect_left(start) if node.sorted else 0, len(flags)):
                    if flags[i] & FLAG_DELETED:
                        continue
                    sid = (ms[i] << 64) | seq[i]
                    if sid < start:
                        continue
                    if sid > end:
                        return
                    yield sid, node.raw_at(i)
                    produced += 1
                    if produced == count:
                        return
                index += 1
        else:
            index = self._last_node_at_or_before(end)
            if index < 0:
                # Redis then starts from the last node; only an out-of-order node can hold a
                # live entry below its own key.
                if not self.unsorted:
                    return
                index = len(nodes) - 1
            while index >= 0:
                node = nodes[index]
                flags, ms, seq = node.flags, node.ms, node.seq
                top = node.bisect_right(end) - 1 if node.sorted else len(flags) - 1
                for i in range(top, -1, -1):
                    if flags[i] & FLAG_DELETED:
                        continue
                    sid = (ms[i] << 64) | seq[i]
                    if sid > end:
                        continue
                    if sid < start:
                        return
                    yield sid, node.raw_at(i)
                    produced += 1
                    if produced == count:
                        return
                index -= 1

    def entries(self, start: int, end: int, count: int = 0,
                delivered: tuple[list, list, list] | None = None) -> Raw:
        """The live entries with start <= id <= end, oldest first, at most ``count`` (0 = all),
        as one RESP array: range() without the generator or a value per entry, for the hot
        XRANGE / XREAD / XREADGROUP path. With ``delivered`` (three lists), the two halves of
        their IDs and the IDs' text (as the reply spells them) are appended to it."""
        parts: list[bytes] = []
        if self.unsorted:
            for sid, entry in self.range(start, end, count):
                parts.append(entry)
                if delivered is not None:
                    delivered[0].append(sid >> 64)
                    delivered[1].append(sid & SEQ_MASK)
                    delivered[2].append(format_id(sid))
            return Raw(b"*%d\r\n%s" % (len(parts), b"".join(parts)))
        if start <= end and self.nodes:
            self._collect(start, end, count or -1, delivered, parts)
        return Raw(b"*%d\r\n%s" % (len(parts), b"".join(parts)))

    def _collect(self, start: int, end: int, left: int, delivered, parts: list) -> None:
        """entries() over sorted nodes. A node without deleted entries is read as one run of
        positions (slices of its arrays); ``left`` is how many entries may still come (-1: all).
        """
        nodes = self.nodes
        index = self._seek(start)
        end_ms, end_seq = end >> 64, end & SEQ_MASK
        lo = nodes[index].bisect_left(start)
        while index < len(nodes):
            node = nodes[index]
            flags, ms, seq, data, offsets = node.flags, node.ms, node.seq, node.data, node.offsets
            if not node.deleted:
                size = len(flags)
                hi = node.bisect_right(end) if node.max_id > end else size
                if 0 <= left < hi - lo:
                    hi = lo + left
                if hi > lo:
                    run_ms, run_seq, bounds = ms[lo:hi], seq[lo:hi], offsets[lo:hi + 1]
                    texts = [b"%d-%d" % pair for pair in zip(run_ms, run_seq)]
                    for text, a, b in zip(texts, bounds, bounds[1:]):
                        parts.append(b"*2\r\n$%d\r\n%s\r\n%s" % (len(text), text, data[a:b]))
                    if delivered is not None:
                        delivered[0].extend(run_ms)
                        delivered[1].extend(run_seq)
                        delivered[2].extend(texts)
                    left -= hi - lo
                if hi < size or not left:
                    return
            else:
                for i in range(lo, len(flags)):
                    if flags[i] & FLAG_DELETED:
                        continue
                    m = ms[i]
                    if m > end_ms or (m == end_ms and seq[i] > end_seq):
                        return
                    text = b"%d-%d" % (m, seq[i])
                    parts.append(b"*2\r\n$%d\r\n%s\r\n%s"
                                 % (len(text), text, data[offsets[i]:offsets[i + 1]]))
                    if delivered is not None:
                        delivered[0].append(m)
                        delivered[1].append(seq[i])
                        delivered[2].append(text)
                    left -= 1
                    if not left:
                        return
            lo = 0
            index += 1

    def first_entry(self):
        return next(self.range(0, (1 << 128) - 1, 1), None)

    def last_entry(self):
        return next(self.range(0, (1 << 128) - 1, 1, rev=True), None)

    @property
    def first_id(self) -> int:
        """recorded-first-entry-id: the first live entry, 0-0 when empty."""
        if self.unsorted:
            entry = self.first_entry()
            return entry[0] if entry else 0
        for node in self.nodes:   # nodes are dropped when empty: this stops at the first
            flags = node.flags
            for i in range(len(flags)):
                if not flags[i] & FLAG_DELETED:
                    return (node.ms[i] << 64) | node.seq[i]
        return 0

    def last_live_id(self) -> int:
        """The ID of the newest live entry (0-0 when empty)."""
        if self.unsorted:
            entry = self.last_entry()
            return entry[0] if entry else 0
        if self.nodes:
            tail = self.nodes[-1]   # the usual case, asked by every XREADGROUP '>': it is live
            if not tail.flags[-1] & FLAG_DELETED:
                return (tail.ms[-1] << 64) | tail.seq[-1]
        for node in reversed(self.nodes):
            flags = node.flags
            for i in range(len(flags) - 1, -1, -1):
                if not flags[i] & FLAG_DELETED:
                    return (node.ms[i] << 64) | node.seq[i]
        return 0

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

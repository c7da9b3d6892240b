"""Consumer groups: last-delivered-id, entries-read, consumers, and the pending entries list.

The group's PEL (model.sortedids.PendingList) holds each pending ID with its delivery time,
delivery count and owner in machine-word columns, sorted, so XPENDING ranges, XAUTOCLAIM scans
and XACK start with a bisect and do not depend on the PEL's size. Owners are consumer numbers;
each consumer keeps only how many entries it owns. A consumer's own entries (history reads,
XPENDING with a consumer, XINFO STREAM FULL, XGROUP DELCONSUMER) are found by reading the group's
PEL and keeping that owner's rows: those are rare, the hot XREADGROUP/XACK cycle then updates one
structure instead of two.
"""

from __future__ import annotations

from array import array

from .ids import parse_id_halves
from .sortedids import PendingList

UNKNOWN = -1  # entries-read not known (XINFO shows nil)


class Consumer:
    __slots__ = ("name", "bulk", "number", "seen_time", "pel_count")

    def __init__(self, name: bytes, number: int, now: int) -> None:
        self.name = name
        self.bulk = b"$%d\r\n%s\r\n" % (len(name), name)   # the name as replies carry it
        self.number = number       # its owner value in the group's PEL
        self.seen_time = now
        self.pel_count = 0         # pending entries it owns


class Group:
    __slots__ = ("name", "last_id", "entries_read", "pel", "consumers", "by_number",
                 "_next_number", "_recent")

    def __init__(self, name: bytes, last_id: int, entries_read: int = UNKNOWN) -> None:
        self.name = name
        self.last_id = last_id
        self.entries_read = entries_read
        self.pel = PendingList()
        self.consumers: dict[bytes, Consumer] = {}
        self.by_number: dict[int, Consumer] = {}
        self._next_number = 0
        self._recent: tuple[list[bytes], array, array] | None = None   # see acknowledge

    def consumer(self, name: bytes, now: int) -> tuple[Consumer, bool]:
        """The named consumer, created if needed; also says whether it was created."""
        found = self.consumers.get(name)
        if found is not None:
            return found, False
        found = Consumer(name, self._next_number, now)
        self._next_number += 1
        self.consumers[name] = self.by_number[found.number] = found
        return found, True

    def add_pending(self, sid: int, consumer: Consumer, now: int, count: int = 1) -> None:
        self.pel.add(sid, now, count, consumer.number)
        consumer.pel_count += 1

    def add_delivered(self, ms: array, seq: array, texts: list[bytes],
                      consumer: Consumer, now: int) -> None:
        """XREADGROUP '>' handed these ascending IDs (given as their two halves, and as the
        text the reply spelled them in) to ``consumer``: they are pending, delivered once."""
        self._recent = (texts, ms, seq)
        pel = self.pel
        last = pel.last()
        if last is None or (ms[0] << 64) | seq[0] > last:
            pel.extend(ms, seq, now, consumer.number)
            consumer.pel_count += len(ms)
            return
        for sid in [(m << 64) | s for m, s in zip(ms, seq)]:   # after XGROUP SETID back: some
            if pel.get(sid) is None:                             # may be pending already
                self.add_pending(sid, consumer, now)
            else:
                self.claim(sid, consumer, now, 1)

    def claim(self, sid: int, consumer: Consumer, time: int, count: int) -> None:
        """Make a pending ID ``consumer``'s, with this delivery time and delivery count."""
        _, _, owner = self.pel.get(sid)
        if owner != consumer.number:
            self.by_number[owner].pel_count -= 1
            consumer.pel_count += 1
        self.pel.set(sid, time, count, consumer.number)

    def remove_pending(self, sid: int) -> bool:
        owner = self.pel.remove(sid)
        if owner < 0:
            return False
        self.by_number[owner].pel_count -= 1
        return True

    def acknowledge(self, args: list[bytes]) -> int:
        """XACK: remove the IDs that are pending; return how many were.

        A reader usually acknowledges exactly what it was just given, in the same order: when
        the arguments are the IDs of the group's latest delivery as its reply spelled them, the
        IDs are known without parsing them (the texts were made for the reply anyway)."""
        recent = self._recent
        if recent is not None and args == recent[0]:
            ms, seq = recent[1], recent[2]
        else:
            ms, seq = parse_id_halves(args)
        owners = self.pel.remove_run(ms, seq)
        if owners is None:
            ids = sorted({(m << 64) | s for m, s in zip(ms, seq)})
            owners = self.pel.remove_sorted(ids)
        if not owners:
            return 0
        by_number = self.by_number
        if owners.count(owners[0]) == len(owners):   # one reader's delivery
            by_number[owners[0]].pel_count -= len(owners)
        else:
            for owner in owners:
                by_number[owner].pel_count -= 1
        return len(owners)

    def owned(self, consumer: Consumer, start: int = 0, end: int = (1 << 128) - 1):
        """Yield (id, delivery time, delivery count) of the consumer's pending entries."""
        if not consumer.pel_count:
            return
        number = consumer.number
        for sid, time, count, owner in self.pel.entries(start, end):
            if owner == number:
                yield sid, time, count

    def delete_consumer(self, name: bytes) -> int:
        consumer = self.consumers.pop(name, None)
        if consumer is None:
            return 0
        del self.by_number[consumer.number]
        if consumer.pel_count:
            self.pel.remove_owner(consumer.number)
        return consumer.pel_count


# -- entries-read and lag, Redis 7.0.15's algorithm (t_stream.c) ----------------------------------

def has_tombstone_from(stream, start: int) -> bool:
    """streamRangeHasTombstones(s, start, +inf) as 7.0 computes it."""
    md = stream.max_deleted
    if stream.length == 0 or md == 0:
        return False
    if stream.first_id > md:
        return False
    return start <= md


def estimate_entries_read(stream, sid: int) -> int:
    """streamEstimateDistanceFromFirstEverEntry: UNKNOWN when it cannot be derived."""
    added = stream.entries_added
    if added == 0:
        return 0
    if stream.length == 0 and sid <= stream.last_id:
        return added
    if sid == stream.last_id:
        return added
    if sid > stream.last_id:
        return UNKNOWN
    md, first = stream.max_deleted, stream.first_id
    if md == 0 or md < first:
        if sid < first:
            return added - stream.length
        if sid == first:
            return added - stream.length + 1
    return UNKNOWN


def group_lag(stream, group: Group) -> int | None:
    """XINFO's lag: None (nil) when Redis cannot compute it."""
    added = stream.entries_added
    if added == 0:
        return 0
    if group.entries_read != UNKNOWN and not has_tombstone_from(stream, group.last_id):
        return added - group.entries_read
    estimate = estimate_entries_read(stream, group.last_id)
    return None if estimate == UNKNOWN else added - estimate


def advance_group(stream, group: Group, sid: int) -> None:
    """Move the group past an entry delivered by XREADGROUP '>' (entries-read as 7.0 keeps it)."""
    if sid > group.last_id:
        if group.entries_read != UNKNOWN and not has_tombstone_from(stream, sid):
            group.entries_read += 1
        elif stream.entries_added:
            group.entries_read = estimate_entries_read(stream, sid)
        group.last_id = sid

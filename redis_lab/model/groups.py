"""Consumer groups: last-delivered-id, entries-read, consumers, and the pending entries list.

The group PEL maps each pending ID to a PendingEntry (owner, delivery time, delivery count);
the group and each consumer also keep their pending IDs sorted, so XPENDING ranges, XAUTOCLAIM
scans and history reads start with a bisect, and XACK does not depend on the PEL's size.
"""

from __future__ import annotations

from .sortedids import LazySortedIDs, SortedIDs

UNKNOWN = -1  # entries-read not known (XINFO shows nil)


class PendingEntry:
    __slots__ = ("consumer", "delivery_time", "delivery_count")

    def __init__(self, consumer: "Consumer", delivery_time: int, delivery_count: int = 1) -> None:
        self.consumer = consumer
        self.delivery_time = delivery_time
        self.delivery_count = delivery_count


class Consumer:
    __slots__ = ("name", "seen_time", "pending")

    def __init__(self, name: bytes, now: int) -> None:
        self.name = name
        self.seen_time = now
        self.pending = LazySortedIDs()


class Group:
    __slots__ = ("name", "last_id", "entries_read", "pel", "pending", "consumers")

    def __init__(self, name: bytes, last_id: int, entries_read: int = UNKNOWN) -> None:
        self.name = name
        self.last_id = last_id
        self.entries_read = entries_read
        self.pel: dict[int, PendingEntry] = {}
        self.pending = SortedIDs()
        self.consumers: dict[bytes, Consumer] = {}

    def consumer(self, name: bytes, now: int) -> tuple[Consumer, bool]:
        """The named consumer, created if needed; also says whether it was created."""
        found = self.consumers.get(name)
        if found is not None:
            return found, False
        found = self.consumers[name] = Consumer(name, now)
        return found, True

    def add_pending(self, sid: int, consumer: Consumer, now: int, count: int = 1) -> PendingEntry:
        entry = PendingEntry(consumer, now, count)
        self.pel[sid] = entry
        self.pending.add(sid)
        consumer.pending.add(sid)
        return entry

    def move_pending(self, sid: int, entry: PendingEntry, consumer: Consumer) -> None:
        if entry.consumer is not consumer:
            entry.consumer.pending.discard(sid)
            consumer.pending.add(sid)
            entry.consumer = consumer

    def remove_pending(self, sid: int) -> bool:
        entry = self.pel.pop(sid, None)
        if entry is None:
            return False
        self.pending.discard(sid)
        entry.consumer.pending.discard(sid)
        return True

    def remove_many(self, ids: list[int]) -> int:
        """XACK: remove the IDs that are pending; return how many were."""
        pel = self.pel
        removed = []
        for sid in ids:
            entry = pel.pop(sid, None)
            if entry is not None:
                entry.consumer.pending.discard(sid)
                removed.append(sid)
        removed.sort()
        self.pending.discard_run(removed)
        return len(removed)

    def delete_consumer(self, name: bytes) -> int:
        consumer = self.consumers.pop(name, None)
        if consumer is None:
            return 0
        count = len(consumer.pending)
        for sid in list(consumer.pending):
            del self.pel[sid]
            self.pending.discard(sid)
        return count


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

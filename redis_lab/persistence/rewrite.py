"""BGREWRITEAOF's content: the fewest commands that rebuild the engine's state (aof.c).

As Redis's rewriteAppendOnlyFileRio: per database a SELECT, then per key
* a string: ``SET key value`` (with ``PXAT ms`` when it expires; Redis writes a separate
  PEXPIREAT, which the lab does not implement);
* a stream: ``XADD key id field value ...`` for every entry (an empty stream: ``XADD key
  MAXLEN 0 0-1 x y``), ``XSETID key last ENTRIESADDED n MAXDELETEDID id``, then per group
  ``XGROUP CREATE key group last ENTRIESREAD n``, per consumer its PEL as ``XCLAIM key group
  consumer 0 id TIME t RETRYCOUNT n JUSTID FORCE``, or ``XGROUP CREATECONSUMER`` for a consumer
  with nothing pending.

One thing more than Redis: a pending entry whose stream entry was deleted (XDEL, trimming) is
kept. Redis's XCLAIM drops a PEL entry for an entry that does not exist, so its rewrite loses
it (XPENDING changes across the rewrite). The lab adds such an ID as a placeholder entry
(``x y``, in ID order with the others), claims it, removes it again (XTRIM MINID = the first
live ID for those before it, as trimming lost them; XDEL for the others) and ends with a second
XSETID that restores the stream's counters.
"""

from __future__ import annotations

from typing import Iterator

from ..model.ids import format_id, parse_id
from ..model.stream import Stream
from ..protocol.resp import encode_command


def _num(value: int) -> bytes:
    return b"%d" % value


def rewrite_commands(engine, read) -> Iterator[list[bytes]]:
    """Every command of the rewritten file, in order; ``read(args, db)`` answers XINFO."""
    now = engine.clock.now_ms()
    for db in engine.dbs:
        if not db.data:
            continue
        yield [b"SELECT", _num(db.index)]
        for key, value in list(db.data.items()):
            when = db.expires.get(key)
            if when is not None and when <= now:
                continue
            if type(value) is bytes:
                yield ([b"SET", key, value] if when is None
                       else [b"SET", key, value, b"PXAT", _num(when)])
            elif type(value) is Stream:
                yield from _stream(read, db.index, key)


def _as_dict(flat: list) -> dict:
    return {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}


def _stream(read, db: int, key: bytes) -> Iterator[list[bytes]]:
    """A stream's commands, from XINFO STREAM FULL (the Redis contract, not the model)."""
    info = _as_dict(read([b"XINFO", b"STREAM", key, b"FULL", b"COUNT", b"0"], db))
    groups = [_as_dict(group) for group in info[b"groups"]]
    live = [(parse_id(sid), fields) for sid, fields in info[b"entries"]]
    live_ids = {sid for sid, _ in live}
    lost = sorted({parse_id(row[0]) for group in groups for row in group[b"pending"]}
                  - live_ids)
    entries = sorted(live + [(sid, [b"x", b"y"]) for sid in lost], key=lambda e: e[0])
    if entries:
        for sid, fields in entries:
            yield [b"XADD", key, format_id(sid), *fields]
    else:
        yield [b"XADD", key, b"MAXLEN", b"0", b"0-1", b"x", b"y"]
    setid = [b"XSETID", key, info[b"last-generated-id"], b"ENTRIESADDED",
             _num(info[b"entries-added"]), b"MAXDELETEDID", info[b"max-deleted-entry-id"]]
    yield setid
    for group in sorted(groups, key=lambda g: g[b"name"]):
        name = group[b"name"]
        entries_read = group[b"entries-read"]
        yield [b"XGROUP", b"CREATE", key, name, group[b"last-delivered-id"], b"ENTRIESREAD",
               _num(-1 if entries_read is None else entries_read)]
        for consumer in sorted((_as_dict(c) for c in group[b"consumers"]),
                               key=lambda c: c[b"name"]):
            if not consumer[b"pending"]:
                yield [b"XGROUP", b"CREATECONSUMER", key, name, consumer[b"name"]]
            for sid, time, count in consumer[b"pending"]:
                yield [b"XCLAIM", key, name, consumer[b"name"], b"0", sid, b"TIME", _num(time),
                       b"RETRYCOUNT", _num(count), b"JUSTID", b"FORCE"]
    if lost:
        # Below the first live entry they go by trimming, which leaves max-deleted-entry-id
        # alone (entries lost that way were trimmed); the others were deleted with XDEL.
        first = live[0][0] if live else None
        if first is None:
            yield [b"XTRIM", key, b"MAXLEN", b"=", b"0"]
        elif lost[0] < first:
            yield [b"XTRIM", key, b"MINID", b"=", format_id(first)]
        deleted = [sid for sid in lost if first is not None and sid > first]
        if deleted:
            yield [b"XDEL", key, *(format_id(sid) for sid in deleted)]
        yield setid


def rewrite_bytes(engine, read) -> bytes:
    """The whole rewritten file."""
    return b"".join(encode_command(args) for args in rewrite_commands(engine, read))

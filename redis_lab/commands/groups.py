"""Consumer-group commands: XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.

These are what make a stream a work queue: each entry goes to one consumer, stays pending
until acknowledged, and can be claimed by another consumer when its owner stops responding.
"""

from __future__ import annotations

from ..model import errors
from ..model.errors import CommandError
from ..model.groups import UNKNOWN, Group
from ..model.ids import (
    MAX_ID,
    U64_MAX,
    c_word,
    decr_id,
    format_id,
    incr_id,
    parse_id,
    parse_interval_id,
)
from ..model.reply import NULL_ARRAY, OK, Raw
from ..model.stream import Stream
from .args import parse_ll
from .connection import help_reply
from .streams import get_stream
from .table import command, describe_container


def _xgroup_prologue(client, args, sub: bytes):
    """xgroupCommand's shared checks: options, type, key existence, group existence."""
    mkstream = False
    entries_read = UNKNOWN
    if sub in (b"create", b"setid"):
        i = 5
        while i < len(args):
            word = c_word(args[i]).lower()
            if sub == b"create" and word == b"mkstream":
                mkstream = True
                i += 1
            elif word == b"entriesread" and i + 1 < len(args):
                value = parse_ll(args[i + 1])
                if value is None:
                    raise CommandError(errors.NOT_INTEGER)
                if value < 0 and value != UNKNOWN:
                    raise CommandError(errors.ENTRIESREAD_INVALID)
                entries_read = value
                i += 2
            else:
                raise CommandError(errors.subcommand_syntax(args))
    stream = get_stream(client, args[2])
    group = None
    if not mkstream:
        if stream is None:
            raise CommandError(errors.XGROUP_KEY_REQUIRED)
        group = stream.groups.get(args[3])
        if group is None and sub in (b"setid", b"createconsumer", b"delconsumer"):
            raise CommandError(errors.nogroup_for_key(args[3], args[2]))
    return stream, group, mkstream, entries_read


@command("XGROUP CREATE", arity=-5, flags="write denyoom", group="stream",
         syntax="key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]",
         summary="Create a consumer group reading the stream after the given ID: '$' = only "
                 "entries added from now on, '0' = the whole history. MKSTREAM creates an empty "
                 "stream if the key is missing.",
         complexity="O(1)", since="5.0.0", example="XGROUP CREATE mystream group1 $ MKSTREAM",
         related="XREADGROUP XGROUP XINFO")
def xgroup_create(client, args):
    if len(args) > 8:
        raise CommandError(errors.subcommand_syntax(args))
    stream, _, _, entries_read = _xgroup_prologue(client, args, b"create")
    if c_word(args[4]) == b"$":
        sid = stream.last_id if stream is not None else 0
    else:
        sid = parse_id(args[4], strict=True)
    if stream is None:
        stream = Stream()
        client.db.set(args[2], stream)
        client.engine.notify("n", b"new", args[2], client.db.index)
    if args[3] in stream.groups:
        raise CommandError(errors.BUSYGROUP)
    stream.groups[args[3]] = Group(args[3], sid, entries_read)
    client.engine.notify("t", b"xgroup-create", args[2], client.db.index)
    return OK


@command("XGROUP SETID", arity=-5, flags="write", group="stream",
         syntax="key group <id | $> [ENTRIESREAD entries-read]",
         summary="Move a group's last-delivered-id (e.g. back to 0 to re-deliver everything); "
                 "the pending list is not touched.",
         complexity="O(1)", since="5.0.0", example="XGROUP SETID mystream group1 0",
         related="XGROUP CREATE")
def xgroup_setid(client, args):
    if len(args) not in (5, 7):
        _xgroup_prologue(client, args, b"setid")
        raise CommandError(errors.subcommand_syntax(args))
    stream, group, _, entries_read = _xgroup_prologue(client, args, b"setid")
    if c_word(args[4]) == b"$":
        sid = stream.last_id
    else:
        sid = parse_id(args[4], strict=False)
    group.last_id = sid
    group.entries_read = entries_read
    client.engine.notify("t", b"xgroup-setid", args[2], client.db.index)
    return OK


@command("XGROUP DESTROY", arity=4, flags="write", group="stream", syntax="key group",
         summary="Delete a consumer group, with its consumers and pending list. Consumers "
                 "blocked on it get an error.",
         complexity="O(N) pending entries", since="5.0.0", example="XGROUP DESTROY mystream g1",
         related="XGROUP CREATE")
def xgroup_destroy(client, args):
    stream, group, _, _ = _xgroup_prologue(client, args, b"destroy")
    if group is None:
        return 0
    del stream.groups[args[3]]
    client.engine.signal_ready(client.db.index, args[2])
    client.engine.notify("t", b"xgroup-destroy", args[2], client.db.index)
    return 1


@command("XGROUP CREATECONSUMER", arity=5, flags="write denyoom", group="stream",
         syntax="key group consumer",
         summary="Create a consumer in a group explicitly (XREADGROUP also creates consumers).",
         complexity="O(1)", since="6.2.0", example="XGROUP CREATECONSUMER mystream g1 c1",
         related="XGROUP DELCONSUMER XINFO")
def xgroup_createconsumer(client, args):
    _, group, _, _ = _xgroup_prologue(client, args, b"createconsumer")
    _, created = group.consumer(args[4], client.engine.clock.now_ms())
    if created:
        client.engine.notify("t", b"xgroup-createconsumer", args[2], client.db.index)
    return 1 if created else 0


@command("XGROUP DELCONSUMER", arity=5, flags="write", group="stream",
         syntax="key group consumer",
         summary="Remove a consumer; its pending entries are dropped from the group's PEL too "
                 "(they will not be redelivered!). Replies how many were pending.",
         complexity="O(N) its pending entries", since="5.0.0",
         example="XGROUP DELCONSUMER mystream g1 c1", related="XCLAIM XAUTOCLAIM")
def xgroup_delconsumer(client, args):
    _, group, _, _ = _xgroup_prologue(client, args, b"delconsumer")
    if args[4] not in group.consumers:
        return 0
    pending = group.delete_consumer(args[4])
    client.engine.notify("t", b"xgroup-delconsumer", args[2], client.db.index)
    return pending


@command("XGROUP HELP", arity=2, flags="loading stale", group="stream", syntax="",
         summary="Show the XGROUP subcommands.", since="5.0.0", example="XGROUP HELP")
def xgroup_help(client, args):
    return help_reply(args, "xgroup")


describe_container("XGROUP", summary="Manage consumer groups: CREATE, SETID, DESTROY, "
                                     "CREATECONSUMER, DELCONSUMER.", since="5.0.0")


def _group_or_none(client, key: bytes, name: bytes):
    stream = get_stream(client, key)
    if stream is None:
        return None, None
    return stream, stream.groups.get(name)


@command("XACK", arity=-4, flags="write fast", group="stream", syntax="key group id [id ...]",
         summary="Acknowledge entries: they leave the group's pending list (PEL). Replies how "
                 "many were pending.",
         complexity="O(1) per ID", since="5.0.0", example="XACK mystream group1 1700000000000-0",
         related="XREADGROUP XPENDING")
def xack(client, args):
    stream, group = _group_or_none(client, args[1], args[2])
    if group is None:
        return 0
    return group.acknowledge(args[3:])


def _pending_rows(columns, owners: dict, now: int) -> Raw:
    """XPENDING's [id, owner, idle, count] rows written straight from the PEL's columns as the
    RESP the reply is (the same in RESP2 and RESP3): no list per row, no second pass to encode
    them (``Client.execute`` turns the bytes back into values for the shell and the views)."""
    rows = []
    for m, s, time, delivered, owner in zip(*columns):
        text = b"%d-%d" % (m, s)
        rows.append(b"*4\r\n$%d\r\n%s\r\n%s:%d\r\n:%d\r\n"
                    % (len(text), text, owners[owner].bulk, now - time if now > time else 0,
                       delivered))
    return Raw(b"*%d\r\n%s" % (len(rows), b"".join(rows)))


@command("XPENDING", arity=-3, flags="readonly", group="stream",
         syntax="key group [[IDLE min-idle-time] start end count [consumer]]",
         summary="What is delivered but not yet acknowledged. Without a range: a summary (count, "
                 "lowest and highest ID, per consumer). With start end count: one line per "
                 "entry with owner, idle ms and delivery count.",
         complexity="O(1) summary; O(log N + M) range", since="5.0.0",
         example="XPENDING mystream group1 - + 10", related="XCLAIM XAUTOCLAIM XACK")
def xpending(client, args):
    argc = len(args)
    if argc != 3 and not 6 <= argc <= 9:
        raise CommandError(errors.SYNTAX)
    consumer_name = None
    min_idle = 0
    count = 0
    start = end = 0
    if argc == 6 and args[3] == b"-" and args[4] == b"+":
        # The whole PEL from its first entry, the form views and readers use most.
        count = parse_ll(args[5])
        if count is None:
            raise CommandError(errors.NOT_INTEGER)
        count = max(count, 0)
        end = MAX_ID
    elif argc >= 6:
        at = 3
        if c_word(args[3]).lower() == b"idle":
            min_idle = parse_ll(args[4])
            if min_idle is None:
                raise CommandError(errors.NOT_INTEGER)
            if argc < 8:
                raise CommandError(errors.SYNTAX)
            at = 5
        count = parse_ll(args[at + 2])
        if count is None:
            raise CommandError(errors.NOT_INTEGER)
        count = max(count, 0)
        start, exclusive = parse_interval_id(args[at], 0)
        if exclusive:
            start = incr_id(start)
            if start is None:
                raise CommandError(errors.INVALID_START_ID)
        end, exclusive = parse_interval_id(args[at + 1], U64_MAX)
        if exclusive:
            end = decr_id(end)
            if end is None:
                raise CommandError(errors.INVALID_END_ID)
        if at + 3 < argc:
            consumer_name = args[at + 3]
    stream, group = _group_or_none(client, args[1], args[2])
    if group is None:
        raise CommandError(errors.nogroup(args[1], args[2]))
    pel = group.pel
    if argc == 3:
        total = len(pel)
        if not total:
            return [0, None, None, NULL_ARRAY]
        owners = [[name, b"%d" % c.pel_count]
                  for name, c in sorted(group.consumers.items()) if c.pel_count]
        return [total, format_id(pel.first()), format_id(pel.last()), owners]
    reply = []
    if not count:
        return reply
    now = client.engine.clock.now_ms()
    owners = group.by_number
    if consumer_name is None and not min_idle:
        return _pending_rows(pel.window(start, end, count), owners, now)
    if consumer_name is not None:
        consumer = group.consumers.get(consumer_name)
        if consumer is None:
            return reply
        rows = ((sid, time, delivered, consumer.number)
                for sid, time, delivered in group.owned(consumer, start, end))
    else:
        rows = pel.entries(start, end)
    for sid, time, delivered, owner in rows:
        idle = now - time
        if min_idle and idle < min_idle:
            continue
        reply.append([b"%d-%d" % (sid >> 64, sid & U64_MAX), owners[owner].name,
                      idle if idle > 0 else 0, delivered])
        if len(reply) == count:
            break
    return reply


def _claim_entry(stream, group, sid, consumer, delivery_time, delivery_count,
                 justid) -> list | bytes:
    group.claim(sid, consumer, delivery_time, delivery_count)
    if justid:
        return format_id(sid)
    found = stream.get(sid)
    return found if found is not None else NULL_ARRAY


@command("XCLAIM", arity=-6, flags="write fast", group="stream",
         syntax="key group consumer min-idle-time id [id ...] [IDLE ms] "
                "[TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] "
                "[LASTID lastid]",
         summary="Take over pending entries idle for at least min-idle-time ms (e.g. from a "
                 "crashed consumer): they become pending for the new consumer and their "
                 "delivery count grows.",
         complexity="O(log N) per ID", since="5.0.0",
         example="XCLAIM payments g1 worker-2 60000 1700000000000-0",
         related="XAUTOCLAIM XPENDING")
def xclaim(client, args):
    stream, group = _group_or_none(client, args[1], args[2])
    if group is None:
        raise CommandError(errors.nogroup(args[1], args[2]))
    min_idle = parse_ll(args[4])
    if min_idle is None:
        raise CommandError(errors.XCLAIM_MIN_IDLE)
    min_idle = max(min_idle, 0)
    ids = []
    j = 5
    while j < len(args):
        try:
            ids.append(parse_id(args[j], strict=True))
        except CommandError:
            break
        j += 1
    now = client.engine.clock.now_ms()
    force = justid = False
    retrycount = -1
    delivery_time = -1
    last_id = 0
    while j < len(args):
        more = len(args) - 1 - j
        word = c_word(args[j]).lower()
        if word == b"force":
            force = True
        elif word == b"justid":
            justid = True
        elif word == b"idle" and more:
            j += 1
            value = parse_ll(args[j])
            if value is None:
                raise CommandError(errors.XCLAIM_IDLE)
            delivery_time = now - value
        elif word == b"time" and more:
            j += 1
            value = parse_ll(args[j])
            if value is None:
                raise CommandError(errors.XCLAIM_TIME)
            delivery_time = value
        elif word == b"retrycount" and more:
            j += 1
            value = parse_ll(args[j])
            if value is None:
                raise CommandError(errors.XCLAIM_RETRYCOUNT)
            retrycount = value
        elif word == b"lastid" and more:
            j += 1
            last_id = parse_id(args[j], strict=True)
        else:
            raise CommandError(errors.xclaim_option(args[j]))
        j += 1
    if last_id > group.last_id:
        group.last_id = last_id
    if delivery_time == -1 or delivery_time < 0 or delivery_time > now:
        delivery_time = now

    def new_count(delivered: int) -> int:
        if retrycount >= 0:
            return retrycount
        return delivered if justid else delivered + 1

    consumer = None
    reply = []
    for sid in ids:
        entry = group.pel.get(sid)    # (delivery time, delivery count, owner) or None
        if sid not in stream:
            if entry is not None:
                group.remove_pending(sid)
            continue
        fresh = False
        if force and entry is None:
            fresh = True
        elif entry is None:
            continue
        if not fresh and min_idle and now - entry[0] < min_idle:
            continue
        if consumer is None:
            consumer, created = group.consumer(args[3], now)
            consumer.seen_time = now
            if created:
                client.engine.notify("t", b"xgroup-createconsumer", args[1], client.db.index)
        if fresh:
            group.add_pending(sid, consumer, now)
            entry = (now, 1, consumer.number)
        reply.append(_claim_entry(stream, group, sid, consumer, delivery_time,
                                  new_count(entry[1]), justid))
    return reply


#: Redis allocates COUNT * 16 bytes up front for the deleted-IDs list and reports failure as an
#: error. Where that fails depends on the allocator and the address space; on 64-bit Linux with
#: jemalloc (the Debian 7.0.15 build this engine is checked against) the largest COUNT that
#: allocates is 3 * 2**40 (48 TiB). Smaller COUNTs succeed: the pages are never touched.
_AUTOCLAIM_ALLOC_MAX = 3 << 40


@command("XAUTOCLAIM", arity=-6, flags="write fast", group="stream",
         syntax="key group consumer min-idle-time start [COUNT count] [JUSTID]",
         summary="Scan the group's pending list from start and claim up to COUNT entries idle "
                 "for at least min-idle-time ms. Replies [next-cursor, claimed entries, IDs that "
                 "were deleted from the stream].",
         complexity="O(1) per scanned entry", since="6.2.0",
         example="XAUTOCLAIM mystream group1 consumer2 60000 0-0",
         related="XCLAIM XPENDING")
def xautoclaim(client, args):
    min_idle = parse_ll(args[4])
    if min_idle is None:
        raise CommandError(errors.XAUTOCLAIM_MIN_IDLE)
    min_idle = max(min_idle, 0)
    start, exclusive = parse_interval_id(args[5], 0)
    if exclusive:
        start = incr_id(start)
        if start is None:
            raise CommandError(errors.INVALID_START_ID)
    count = 100
    justid = False
    j = 6
    while j < len(args):
        more = len(args) - 1 - j
        word = c_word(args[j]).lower()
        if word == b"count" and more:
            value = parse_ll(args[j + 1])
            if value is None or not 1 <= value <= ((1 << 63) - 1) // 16:
                raise CommandError(errors.COUNT_NOT_POSITIVE)
            count = value
            j += 1
        elif word == b"justid":
            justid = True
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    stream, group = _group_or_none(client, args[1], args[2])
    if group is None:
        raise CommandError(errors.nogroup(args[1], args[2]))
    if count > _AUTOCLAIM_ALLOC_MAX:
        raise CommandError(errors.XAUTOCLAIM_COUNT_TOO_HIGH)
    now = client.engine.clock.now_ms()
    attempts = count * 10
    claimed, deleted = [], []
    consumer = None
    cursor = 0
    for sid, time, delivered, _ in group.pel.entries(start):
        if not attempts or not count:
            cursor = sid
            break
        attempts -= 1
        if sid not in stream:
            group.remove_pending(sid)
            deleted.append(format_id(sid))
            count -= 1
            continue
        if min_idle and now - time < min_idle:
            continue
        if consumer is None:
            consumer, created = group.consumer(args[3], now)
            consumer.seen_time = now
            if created:
                client.engine.notify("t", b"xgroup-createconsumer", args[1], client.db.index)
        claimed.append(_claim_entry(stream, group, sid, consumer, now,
                                    delivered if justid else delivered + 1, justid))
        count -= 1
    return [format_id(cursor), claimed, deleted]

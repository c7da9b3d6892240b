"""Stream commands: XADD, XTRIM, XDEL, XLEN, XSETID, XRANGE, XREVRANGE, XREAD, XREADGROUP.

Argument parsing follows redis-server 7.0's t_stream.c step by step, because the order in which
Redis checks things decides which error a learner sees.
"""

from __future__ import annotations

from array import array

from ..model import errors
from ..model.errors import CommandError
from ..model.groups import UNKNOWN, advance_group
from ..model.ids import (
    MAX_ID,
    U64_MAX,
    c_word,
    decr_id,
    format_id,
    incr_id,
    parse_id,
    parse_ids,
    parse_interval_id,
)
from ..model.reply import NULL_ARRAY, OK, Error, Map, Raw
from ..model.stream import Stream
from .args import LLONG_MAX, parse_ll
from .table import command

XREAD_BLOCKED_DEFAULT_COUNT = 1000


def get_stream(client, key: bytes) -> Stream | None:
    """The stream at key, None if missing, WRONGTYPE if the key holds something else."""
    return client.db.get_typed(key, Stream)


def range_reply(stream: Stream, start: int, end: int, count: int = 0, rev: bool = False) -> list:
    """Entries as XRANGE returns them (each already RESP-encoded, see model.reply.Raw)."""
    if not rev:
        return stream.entries(start, end, count)
    return [entry for _, entry in stream.range(start, end, count, rev)]


# -- XADD / XTRIM -------------------------------------------------------------------------------

class TrimArgs:
    __slots__ = ("maxlen", "minid", "approx", "limit", "nomkstream", "id", "seq_given", "id_pos")

    def __init__(self) -> None:
        self.maxlen = None
        self.minid = None
        self.approx = False
        self.limit = 0
        self.nomkstream = False
        self.id = None
        self.seq_given = True
        self.id_pos = 0

    @property
    def strategy(self) -> bool:
        return self.maxlen is not None or self.minid is not None


def parse_add_or_trim(client, args: list[bytes], xadd: bool) -> TrimArgs:
    """streamParseAddOrTrimArgsOrReply: options in any order, until '*' or the ID (XADD)."""
    parsed = TrimArgs()
    limit_given = False
    i = 2
    argc = len(args)
    while i < argc:
        more = argc - 1 - i
        opt = args[i]
        word = c_word(opt).lower()
        if xadd and c_word(opt) == b"*":
            break
        if word in (b"maxlen", b"minid") and more:
            if parsed.strategy:
                raise CommandError(errors.MAXLEN_AND_MINID)
            parsed.approx = False
            nxt = c_word(args[i + 1])
            if more >= 2 and nxt == b"~":
                parsed.approx = True
                i += 1
            elif more >= 2 and nxt == b"=":
                i += 1
            if word == b"maxlen":
                value = parse_ll(args[i + 1])
                if value is None:
                    raise CommandError(errors.NOT_INTEGER)
                if value < 0:
                    raise CommandError(errors.MAXLEN_NEGATIVE)
                parsed.maxlen = value
            else:
                parsed.minid = parse_id(args[i + 1], strict=True)
            i += 2
            continue
        if word == b"limit" and more:
            value = parse_ll(args[i + 1])
            if value is None:
                raise CommandError(errors.NOT_INTEGER)
            if value < 0:
                raise CommandError(errors.LIMIT_NEGATIVE)
            parsed.limit = value
            limit_given = True
            i += 2
            continue
        if xadd and word == b"nomkstream":
            parsed.nomkstream = True
            i += 1
            continue
        if xadd:
            got = parse_id(opt, strict=True, allow_seq_star=True)
            parsed.id, parsed.seq_given = got.sid, got.seq_given
            break
        raise CommandError(errors.SYNTAX)
    parsed.id_pos = i
    if parsed.limit and not parsed.strategy:
        raise CommandError(errors.LIMIT_WITHOUT_STRATEGY)
    if not xadd and not parsed.strategy:
        raise CommandError(errors.XTRIM_WITHOUT_STRATEGY)
    if limit_given:
        if not parsed.approx:
            raise CommandError(errors.LIMIT_WITHOUT_TILDE)
    elif parsed.approx:
        limit = 100 * client.engine.config["stream-node-max-entries"]
        if limit <= 0 or limit > 1_000_000:
            limit = 10000 if limit <= 0 else 1_000_000
        parsed.limit = limit
    else:
        parsed.limit = 0
    return parsed


def trim(stream: Stream, parsed: TrimArgs) -> int:
    return stream.trim(maxlen=parsed.maxlen, minid=parsed.minid, approx=parsed.approx,
                       limit=parsed.limit)


_PLAIN_XADD = TrimArgs()  # "XADD key * ...": no options to parse (never modified)
_PLAIN_XADD.id_pos = 2


@command("XADD", arity=-5, flags="write denyoom fast", group="stream",
         syntax="key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> "
                "field value [field value ...]",
         summary="Append one entry (all its field/value pairs, atomically) to a stream, creating "
                 "the stream if needed. '*' lets Redis pick the ID <ms>-<seq>; an explicit ID "
                 "must be greater than the last one. MAXLEN/MINID trim in the same step.",
         complexity="O(1) to add; O(N) for entries evicted by trimming", since="5.0.0",
         example='XADD logs * level warning msg "Disk 90% full"',
         related="XRANGE XREAD XTRIM XLEN")
def xadd(client, args):
    parsed = _PLAIN_XADD if args[2] == b"*" else parse_add_or_trim(client, args, xadd=True)
    field_pos = parsed.id_pos + 1
    nfields = len(args) - field_pos
    if nfields < 2 or nfields % 2:
        raise CommandError(errors.wrong_arity("xadd"))
    if parsed.id is not None and parsed.seq_given and parsed.id == 0:
        raise CommandError(errors.XADD_ID_ZERO)
    key = args[1]
    stream = get_stream(client, key)
    if stream is None:
        if parsed.nomkstream:
            return None
        stream = Stream()
        client.db.set(key, stream)
        client.engine.notify("n", b"new", key, client.db.index)
    if stream.last_id == MAX_ID:
        raise CommandError(errors.STREAM_EXHAUSTED)
    last = stream.last_id
    if parsed.id is None:
        now = client.engine.clock.now_ms()
        sid = now << 64 if now > last >> 64 else last + 1
    elif parsed.seq_given:
        sid = parsed.id
    elif parsed.id >> 64 == last >> 64:
        if last & U64_MAX == U64_MAX:
            raise CommandError(errors.ELEMENTS_TOO_LARGE)
        sid = last + 1
    else:
        sid = parsed.id
    if sid <= last:
        raise CommandError(errors.XADD_ID_TOO_SMALL)
    pairs = args[field_pos:]
    payload = 0
    for item in pairs:
        payload += len(item)
    if payload > 1 << 30:
        raise CommandError(errors.ELEMENTS_TOO_LARGE)
    config = client.engine.config
    stream.append(sid, pairs, config["stream-node-max-entries"], config["stream-node-max-bytes"],
                  payload)
    trimmed = trim(stream, parsed) if parsed.strategy else 0
    engine = client.engine
    engine.signal_ready(client.db.index, key)
    if engine.keyspace_events:
        engine.notify("t", b"xadd", key, client.db.index)
        if trimmed:
            engine.notify("t", b"xtrim", key, client.db.index)
    return format_id(sid)


@command("XTRIM", arity=-4, flags="write", group="stream",
         syntax="key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]",
         summary="Remove the oldest entries: keep at most MAXLEN entries, or drop IDs below MINID. "
                 "With '~' Redis only drops whole internal nodes (cheaper, may keep a few extra).",
         complexity="O(N) evicted entries", since="6.2.0", example="XTRIM logs MAXLEN ~ 1000",
         related="XADD XDEL XLEN")
def xtrim(client, args):
    parsed = parse_add_or_trim(client, args, xadd=False)
    stream = get_stream(client, args[1])
    if stream is None:
        return 0
    trimmed = trim(stream, parsed)
    if trimmed:
        client.engine.notify("t", b"xtrim", args[1], client.db.index)
    return trimmed


@command("XDEL", arity=-3, flags="write fast", group="stream", syntax="key id [id ...]",
         summary="Delete entries by ID. The stream keeps its last ID (new IDs still grow), and "
                 "consumer-group PELs keep pointing at the deleted IDs until acknowledged.",
         complexity="O(1) per entry", since="5.0.0", example="XDEL payments 1700000000000-0",
         related="XTRIM XACK")
def xdel(client, args):
    stream = get_stream(client, args[1])
    if stream is None:
        return 0
    ids = parse_ids(args[2:])
    deleted = 0
    for sid in ids:
        if stream.delete(sid):
            if sid > stream.max_deleted:
                stream.max_deleted = sid
            deleted += 1
    if deleted:
        client.engine.notify("t", b"xdel", args[1], client.db.index)
    return deleted


@command("XLEN", arity=2, flags="readonly fast", group="stream", syntax="key",
         summary="How many entries the stream holds (0 if the key does not exist).",
         complexity="O(1)", since="5.0.0", example="XLEN payments", related="XADD XINFO")
def xlen(client, args):
    stream = get_stream(client, args[1])
    return stream.length if stream is not None else 0


@command("XSETID", arity=-3, flags="write denyoom fast", group="stream",
         syntax="key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]",
         summary="Set a stream's last-generated-id (and its counters). Mostly for replication; "
                 "in lessons it shows what the counters mean.",
         complexity="O(1)", since="5.0.0", example="XSETID mystream 1700000000000-5",
         related="XADD XINFO")
def xsetid(client, args):
    last_id = parse_id(args[2], strict=True)
    entries_added = -1
    max_deleted = 0
    i = 3
    while i < len(args):
        word = c_word(args[i]).lower()
        more = len(args) - 1 - i
        if word == b"entriesadded" and more:
            value = parse_ll(args[i + 1])
            if value is None:
                raise CommandError(errors.NOT_INTEGER)
            if value < 0:
                raise CommandError(errors.ENTRIES_ADDED_NEGATIVE)
            entries_added = value
        elif word == b"maxdeletedid" and more:
            max_deleted = parse_id(args[i + 1], strict=True)
            if last_id < max_deleted:
                raise CommandError(errors.XSETID_BELOW_MAX_DELETED)
        else:
            raise CommandError(errors.SYNTAX)
        i += 2
    stream = client.db.get_typed(args[1], Stream)
    if stream is None:
        raise CommandError(errors.NO_SUCH_KEY)
    if stream.length:
        if last_id < stream.last_live_id():
            raise CommandError(errors.XSETID_TOO_SMALL)
        if entries_added != -1 and stream.length > entries_added:
            raise CommandError(errors.XSETID_ENTRIES_ADDED_TOO_SMALL)
    stream.last_id = last_id
    if entries_added != -1:
        stream.entries_added = entries_added
    if max_deleted:
        stream.max_deleted = max_deleted
    client.engine.notify("t", b"xsetid", args[1], client.db.index)
    return OK


# -- XRANGE / XREVRANGE ----------------------------------------------------------------------

def _xrange(client, args, rev: bool):
    start_arg, end_arg = (args[3], args[2]) if rev else (args[2], args[3])
    start, exclusive = parse_interval_id(start_arg, 0)
    if exclusive:
        start = incr_id(start)
        if start is None:
            raise CommandError(errors.INVALID_START_ID)
    end, exclusive = parse_interval_id(end_arg, U64_MAX)
    if exclusive:
        end = decr_id(end)
        if end is None:
            raise CommandError(errors.INVALID_END_ID)
    count = -1
    j = 4
    while j < len(args):
        if c_word(args[j]).lower() == b"count" and j + 1 < len(args):
            value = parse_ll(args[j + 1])
            if value is None:
                raise CommandError(errors.NOT_INTEGER)
            count = max(value, 0)
            j += 2
        else:
            raise CommandError(errors.SYNTAX)
    stream = get_stream(client, args[1])
    if stream is None:
        return []
    if count == 0:
        return NULL_ARRAY
    return range_reply(stream, start, end, max(count, 0), rev)


@command("XRANGE", arity=-4, flags="readonly", group="stream",
         syntax="key start end [COUNT count]",
         summary="Read entries with IDs between start and end (inclusive; '(' makes a bound "
                 "exclusive; '-' and '+' are the smallest and largest IDs). Streams keep "
                 "history: you can re-read it any time.",
         complexity="O(log N + M) returned entries", since="5.0.0",
         example="XRANGE payments - + COUNT 10", related="XREVRANGE XREAD")
def xrange(client, args):
    return _xrange(client, args, rev=False)


@command("XREVRANGE", arity=-4, flags="readonly", group="stream",
         syntax="key end start [COUNT count]",
         summary="Like XRANGE, newest first: note that the END comes first.",
         complexity="O(log N + M) returned entries", since="5.0.0",
         example="XREVRANGE payments + - COUNT 1", related="XRANGE")
def xrevrange(client, args):
    return _xrange(client, args, rev=True)


# -- XREAD / XREADGROUP ------------------------------------------------------------------------

NEW_ONLY = MAX_ID  # how '>' is held internally, as in Redis


def _parse_timeout(arg: bytes, now: int) -> int:
    value = parse_ll(arg)
    if value is None:
        raise CommandError(errors.TIMEOUT_NOT_INTEGER)
    if value < 0:
        raise CommandError(errors.TIMEOUT_NEGATIVE)
    if value > 0:
        if value > LLONG_MAX - now:
            # 7.0 adds mstime() without a range check: the deadline wraps and, kept unsigned in
            # the timeout table, is never reached. The client blocks forever.
            return 0
        value += now
    return value


def xread_generic(client, args, xreadgroup: bool):
    engine = client.engine
    now = engine.clock.now_ms()
    timeout = -1
    count = 0
    streams_at = 0
    streams_count = 0
    noack = False
    group_name = consumer_name = None
    argc = len(args)
    i = 1
    while i < argc:
        more = argc - i - 1
        word = c_word(args[i]).lower()
        if word == b"block" and more:
            i += 1
            timeout = _parse_timeout(args[i], now)
        elif word == b"count" and more:
            i += 1
            value = parse_ll(args[i])
            if value is None:
                raise CommandError(errors.NOT_INTEGER)
            count = max(value, 0)
        elif word == b"streams" and more:
            streams_at = i + 1
            streams_count = argc - streams_at
            if streams_count % 2:
                raise CommandError(errors.XREAD_UNBALANCED)
            streams_count //= 2
            break
        elif word == b"group" and more >= 2:
            if not xreadgroup:
                raise CommandError(errors.GROUP_IN_XREAD)
            group_name, consumer_name = args[i + 1], args[i + 2]
            i += 2
        elif word == b"noack":
            if not xreadgroup:
                raise CommandError(errors.NOACK_IN_XREAD)
            noack = True
        else:
            raise CommandError(errors.SYNTAX)
        i += 1
    if streams_at == 0:
        raise CommandError(errors.SYNTAX)
    if xreadgroup and group_name is None:
        raise CommandError(errors.XREADGROUP_WITHOUT_GROUP)

    keys = args[streams_at:streams_at + streams_count]
    ids: list[int] = []
    groups = []
    for key, id_arg in zip(keys, args[streams_at + streams_count:]):
        stream = get_stream(client, key)
        if group_name is not None:
            group = stream.groups.get(group_name) if stream is not None else None
            if group is None:
                raise CommandError(errors.nogroup_readgroup(key, group_name))
            groups.append(group)
        if c_word(id_arg) == b"$":
            if xreadgroup:
                raise CommandError(errors.DOLLAR_IN_XREADGROUP)
            ids.append(stream.last_id if stream is not None else 0)
            continue
        if c_word(id_arg) == b">":
            if not xreadgroup:
                raise CommandError(errors.GT_IN_XREAD)
            ids.append(NEW_ONLY)
            continue
        ids.append(parse_id(id_arg, strict=True))

    served = []
    for index, key in enumerate(keys):
        stream = get_stream(client, key)
        if stream is None:
            continue
        after = ids[index]
        history = False
        if groups:
            if after != NEW_ONLY:
                history = True
            elif stream.length and stream.last_live_id() > groups[index].last_id:
                after = groups[index].last_id
            else:
                continue
        elif not (stream.length and stream.last_live_id() > after):
            continue
        if groups:
            new = consumer_name not in groups[index].consumers
            entries = deliver(client, stream, groups[index], consumer_name, after, count,
                              history, noack)
            if new:
                client.engine.notify("t", b"xgroup-createconsumer", key, client.db.index)
        else:
            entries = range_reply(stream, after + 1, MAX_ID, count)
        served.append((key, entries))
    if served:
        return streams_reply(client, served)
    if timeout == -1:
        return NULL_ARRAY
    state = ReadWait(keys, ids, count or XREAD_BLOCKED_DEFAULT_COUNT, group_name,
                     consumer_name, noack)
    return client.block(keys, timeout, state.on_ready, since=now)


def streams_reply(client, served: list) -> object:
    """XREAD's reply: [[key, entries], ...] in RESP2, a map in RESP3.

    One stream whose entries are already RESP (the usual case) is answered as one Raw."""
    if len(served) == 1 and type(served[0][1]) is Raw:
        key, entries = served[0]
        return Raw(b"%s$%d\r\n%s\r\n%s"
                   % (b"%1\r\n" if client.resp == 3 else b"*1\r\n*2\r\n", len(key), key, entries))
    if client.resp == 3:
        flat = Map()
        for key, entries in served:
            flat.append(key)
            flat.append(entries)
        return flat
    return [[key, entries] for key, entries in served]


def deliver(client, stream: Stream, group, consumer_name: bytes, after: int, count: int,
            history: bool, noack: bool) -> list:
    """Serve an XREADGROUP: new entries ('>') or this consumer's pending history."""
    now = client.engine.clock.now_ms()
    consumer, _ = group.consumer(consumer_name, now)
    consumer.seen_time = now
    if history:
        reply = []
        for sid, _, delivered in group.owned(consumer, after + 1 if after < MAX_ID else MAX_ID):
            if count and len(reply) >= count:
                break
            found = stream.get(sid)
            if found is None:
                reply.append([format_id(sid), NULL_ARRAY])
            else:
                group.pel.set(sid, now, delivered + 1, consumer.number)
                reply.append(found)
        return reply
    got_ms, got_seq = array("Q"), array("Q")   # arrays: the PEL's columns copy them whole
    got_texts: list[bytes] = []
    reply = stream.entries(after + 1, MAX_ID, count, (got_ms, got_seq, got_texts))
    if not got_ms:
        return reply
    if (not stream.max_deleted and group.entries_read != UNKNOWN
            and (got_ms[0] << 64) | got_seq[0] > group.last_id):
        # No tombstone anywhere: each delivered entry simply counts one more read.
        group.entries_read += len(got_ms)
        group.last_id = (got_ms[-1] << 64) | got_seq[-1]
    else:
        for m, s in zip(got_ms, got_seq):
            advance_group(stream, group, (m << 64) | s)
    if not noack:
        group.add_delivered(got_ms, got_seq, got_texts, consumer, now)
    return reply


class ReadWait:
    """A parked XREAD/XREADGROUP: what it waits after, and how Redis 7.0 serves it."""

    __slots__ = ("after", "count", "group_name", "consumer_name", "noack")

    def __init__(self, keys, ids, count, group_name, consumer_name, noack) -> None:
        self.after = {}
        for key, sid in zip(keys, ids):
            self.after.setdefault(key, sid)  # a key named twice keeps its first ID, as in Redis
        self.count = count
        self.group_name = group_name
        self.consumer_name = consumer_name
        self.noack = noack

    def on_ready(self, client, key: bytes):
        value = client.db.get(key)
        if type(value) is not Stream:
            if self.group_name is not None:
                return Error(errors.UNBLOCKED_KEY_DELETED)
            return None
        stream = value
        group = None
        after = self.after[key]
        if self.group_name is not None:
            group = stream.groups.get(self.group_name)
            if group is None:
                return Error(errors.UNBLOCKED_GROUP_DESTROYED)
            after = group.last_id
        if not stream.last_id > after:
            return None
        if group is not None:
            new = self.consumer_name not in group.consumers
            entries = deliver(client, stream, group, self.consumer_name, after, self.count,
                              False, self.noack)
            if new:
                client.engine.notify("t", b"xgroup-createconsumer", key, client.db.index)
        else:
            entries = range_reply(stream, after + 1, MAX_ID, self.count)
        return streams_reply(client, [(key, entries)])


@command("XREAD", arity=-4, flags="readonly blocking", group="stream",
         syntax="[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]",
         summary="Read entries newer than the given ID from one or more streams, without a "
                 "group: every reader sees every entry. '$' means 'only what arrives from now "
                 "on'; BLOCK waits for it (0 = forever).",
         complexity="O(M) returned entries per stream", since="5.0.0",
         example="XREAD COUNT 5 BLOCK 1000 STREAMS mystream $",
         related="XRANGE XREADGROUP XADD")
def xread(client, args):
    return xread_generic(client, args, xreadgroup=False)


@command("XREADGROUP", arity=-7, flags="write blocking", group="stream",
         syntax="GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] "
                "STREAMS key [key ...] id [id ...]",
         summary="Read as a consumer of a group: '>' hands out entries no one in the group has "
                 "received yet (each entry to one consumer) and puts them in the pending list "
                 "(PEL) until XACK. Any other ID re-reads this consumer's own pending entries.",
         complexity="O(M) returned entries", since="5.0.0",
         example="XREADGROUP GROUP group1 c1 COUNT 5 BLOCK 3000 STREAMS mystream >",
         related="XGROUP XACK XPENDING XCLAIM")
def xreadgroup(client, args):
    if len(args) == 9 and args[8] == b">":
        reply = _xreadgroup_new(client, args)
        if reply is not None:
            return reply
    return xread_generic(client, args, xreadgroup=True)


def _xreadgroup_new(client, args):
    """The group cycle's own form, ``XREADGROUP GROUP g c COUNT n STREAMS key >``, without the
    general option loop; None (nothing done) for any other shape, which xread_generic then
    parses and answers, errors included, as redis-server does."""
    if (args[1].lower() != b"group" or args[4].lower() != b"count"
            or args[6].lower() != b"streams"):
        return None
    count = parse_ll(args[5])
    if count is None:
        return None
    key = args[7]
    stream = get_stream(client, key)
    group = stream.groups.get(args[2]) if stream is not None else None
    if group is None:
        raise CommandError(errors.nogroup_readgroup(key, args[2]))
    if not (stream.length and stream.last_live_id() > group.last_id):
        return NULL_ARRAY
    new = args[3] not in group.consumers
    entries = deliver(client, stream, group, args[3], group.last_id, max(count, 0), False, False)
    if new:
        client.engine.notify("t", b"xgroup-createconsumer", key, client.db.index)
    return streams_reply(client, [(key, entries)])

"""What an executed write command becomes in the AOF, as Redis 7.0 propagates it (t_stream.c).

Redis does not log what the client typed when that would not replay to the same state:
``XADD *`` is logged with the ID it generated, ``MAXLEN ~``/``MINID ~`` as ``=`` with the
length (first ID) it left, ``SET ... EX`` as ``PXAT``, and the group commands as the effect
they had: each delivered or claimed entry as ``XCLAIM key group consumer 0 id TIME t
RETRYCOUNT n FORCE JUSTID LASTID last`` (streamPropagateXCLAIM), a NOACK read as
``XGROUP SETID key group last ENTRIESREAD n`` (streamPropagateGroupID) and a consumer a NOACK
read created as ``XGROUP CREATECONSUMER`` (streamPropagateConsumerCreation).

The lab computes the same from the command, its reply and the state after it (``before``
records the little it needs from the state before), so no handler has to know about the AOF.
Where Redis 7.0's file loses state, the lab also writes what rebuilds it (docs/PERSISTENCE.md
lists each case): the group's entries-read after every ``>`` read, a re-read of pending
history (new delivery time and count), and any consumer a command created that no XCLAIM
recreates. Every added command is one redis-server 7.0 itself accepts when loading.
"""

from __future__ import annotations

from ..model.errors import CommandError
from ..model.groups import UNKNOWN
from ..model.ids import format_id, parse_id
from ..model.reply import Map, Raw, Replies
from ..model.stream import Stream
from ..protocol.resp import materialize

_TRIM_WORDS = (b"MAXLEN", b"MINID")
_BIG = b"%d" % (1 << 62)


def _num(value: int) -> bytes:
    return b"%d" % value


def _group(client, key: bytes, name: bytes):
    stream = client.db.data.get(key)
    if type(stream) is not Stream:
        return None
    return stream.groups.get(name)


def xclaim_for(key: bytes, group_name: bytes, group, sid: int, consumer: bytes, time: int,
               count: int) -> list[bytes]:
    """streamPropagateXCLAIM: an idempotent XCLAIM that recreates one PEL entry."""
    return [b"XCLAIM", key, group_name, consumer, b"0", format_id(sid), b"TIME", _num(time),
            b"RETRYCOUNT", _num(count), b"FORCE", b"JUSTID", b"LASTID", format_id(group.last_id)]


def pending_rows(client, key: bytes, group_name: bytes, ids) -> dict[int, tuple]:
    """``{id: (owner, delivery time, delivery count)}`` for those of ``ids`` that are pending.

    Read with XPENDING (``engine.aof.read``), so this module depends on the Redis contract
    only, not on how the model stores a PEL.
    """
    if not ids:
        return {}
    engine = client.engine
    now = engine.clock.now_ms()
    rows = engine.aof.read([b"XPENDING", key, group_name, format_id(min(ids)),
                            format_id(max(ids)), _BIG], client.db.index)
    wanted = set(ids)
    found = {}
    for sid_text, owner, idle, count in rows if type(rows) is list else ():
        sid = parse_id(sid_text)
        if sid in wanted:
            found[sid] = (owner, now - idle, count)
    return found


def _xclaims(client, key: bytes, group_name: bytes, group, ids: list[int]) -> list:
    """An XCLAIM per ID still pending, with its owner, delivery time and count now."""
    rows = pending_rows(client, key, group_name, ids)
    return [xclaim_for(key, group_name, group, sid, *rows[sid]) for sid in ids if sid in rows]


def setid_for(key: bytes, group_name: bytes, group) -> list[bytes]:
    """streamPropagateGroupID: the group's last ID and entries-read."""
    return [b"XGROUP", b"SETID", key, group_name, format_id(group.last_id), b"ENTRIESREAD",
            _num(group.entries_read if group.entries_read != UNKNOWN else -1)]


# -- reading replies ------------------------------------------------------------------------------

def _plain(reply):
    if type(reply) is Replies:   # a RESP3 push written before the reply: the reply is last
        reply = reply[-1]
    return materialize(reply) if type(reply) in (Raw, list, Map) else reply


def _ids_of(items) -> list[tuple[int, bool]]:
    """(id, has entry) for a list of entries ``[id, fields]`` or of bare IDs."""
    found = []
    for item in items or ():
        if type(item) is list:
            found.append((parse_id(item[0]), type(item[1]) is list))
        else:
            found.append((parse_id(item), True))
    return found


def _stream_pairs(reply) -> list[tuple[bytes, list]]:
    """XREADGROUP's reply as (key, entries): an array of pairs (RESP2) or a map (RESP3)."""
    if type(reply) is Map:
        return [(reply[i], reply[i + 1]) for i in range(0, len(reply), 2)]
    if type(reply) is list:
        return [(pair[0], pair[1]) for pair in reply]
    return []


# -- per command ----------------------------------------------------------------------------------

def trim_options(args: list[bytes], start: int = 2) -> tuple[list[tuple[int, int]], int]:
    """XADD / XTRIM options from ``start``: [(index of MAXLEN|MINID, index of its threshold)],
    and the index after the options (XADD's ID)."""
    trims = []
    i = start
    while i < len(args):
        word = args[i].upper()
        if word in _TRIM_WORDS:
            at = i + 2 if i + 1 < len(args) and args[i + 1] in (b"~", b"=") else i + 1
            trims.append((i, at))
            i = at + 1
        elif word == b"LIMIT":
            i += 2
        elif word == b"NOMKSTREAM":
            i += 1
        else:
            break
    return trims, i


def exact_trim(args: list[bytes], stream: Stream | None) -> list[bytes]:
    """``MAXLEN|MINID ~ n [LIMIT m]`` as ``= <length | first ID left>``, as Redis logs it.

    Redis keeps the LIMIT clause, which only a replica or the AOF loader may send with ``=``;
    the lab leaves it out: trimming exactly to what was left removes the same nodes.
    """
    trims, end = trim_options(args)
    if not trims or stream is None:
        return list(args)
    out = list(args[:trims[0][0]])
    i = trims[0][0]
    while i < end:
        word = args[i].upper()
        if word in _TRIM_WORDS:
            at = next(a for w, a in trims if w == i)
            if args[at - 1] == b"~":
                left = (_num(stream.length) if word == b"MAXLEN" else
                        format_id(stream.first_id if stream.length else (1 << 128) - 1))
                out += [args[i], b"=", left]
            else:
                out += args[i:at + 1]
            i = at + 1
        elif word == b"LIMIT":
            i += 2
        else:
            out.append(args[i])
            i += 1
    return out + list(args[end:])


def without_exact_limit(args: list[bytes]) -> list[bytes]:
    """For loading a file Redis wrote: drop LIMIT after an exact trim (only the AOF loader and
    replicas may send it; the lab's handler, like a client's, would refuse it)."""
    trims, end = trim_options(args)
    if not trims or any(args[a - 1] == b"~" for _, a in trims):
        return args
    out = list(args[:2])
    i = 2
    while i < end:
        if args[i].upper() == b"LIMIT":
            i += 2
        else:
            out.append(args[i])
            i += 1
    return out + list(args[end:])


def _xadd(client, args, reply, before):
    if reply is None:
        return []
    stream = client.db.data.get(args[1])
    args = exact_trim(args, stream if type(stream) is Stream else None)
    args[trim_options(args)[1]] = reply
    return [args]


def _xtrim(client, args, reply, before):
    if not reply:
        return []
    stream = client.db.data.get(args[1])
    return [exact_trim(args, stream if type(stream) is Stream else None)]


def _if_positive(client, args, reply, before):
    return [list(args)] if type(reply) is int and reply > 0 else []


def _always(client, args, reply, before):
    return [list(args)]


def _set(client, args, reply, before):
    db, key = client.db, args[1]
    if db.data.get(key) is not args[2]:
        return []                       # NX / XX: nothing was stored
    when = db.expires.get(key)
    if when is None:
        return [[b"SET", key, args[2]]]
    return [[b"SET", key, args[2], b"PXAT", _num(when)]]


def _delconsumer_before(client, args):
    group = _group(client, args[2], args[3])
    return group is not None and args[4] in group.consumers


def _delconsumer(client, args, reply, before):
    return [list(args)] if before else []


def _claim_before(client, args):
    """XCLAIM / XAUTOCLAIM: did the consumer exist, and the named IDs' PEL entries."""
    key, name, consumer = args[1], args[2], args[3]
    group = _group(client, key, name)
    if group is None:
        return None
    ids = []
    if args[0].upper() == b"XCLAIM":
        for arg in args[5:]:
            try:
                ids.append(parse_id(arg))
            except CommandError:
                break
    return consumer in group.consumers, group.last_id, pending_rows(client, key, name, ids)


def _claims(client, args, reply, before):
    if before is None:
        return []
    existed, last_id, pending = before
    key, name, consumer = args[1], args[2], args[3]
    group = _group(client, key, name)
    if group is None:
        return []
    if args[0].upper() == b"XAUTOCLAIM":
        claimed = [sid for sid, _ in _ids_of(reply[1])]
        gone = [(sid, (consumer, 0, 0)) for sid, _ in _ids_of(reply[2])]
    else:
        claimed = [sid for sid, _ in _ids_of(reply)]
        still = pending_rows(client, key, name, list(pending))
        gone = [(sid, old) for sid, old in pending.items() if sid not in still]
    out = []
    if consumer in group.consumers and not existed and not claimed:
        out.append([b"XGROUP", b"CREATECONSUMER", key, name, consumer])
    for sid, (owner, time, count) in gone:
        out.append(xclaim_for(key, name, group, sid, owner, time, count))
    out.extend(_xclaims(client, key, name, group, claimed))
    if not out and group.last_id != last_id:
        out.append(setid_for(key, name, group))
    return out


def _readgroup_options(args):
    """(group, consumer, noack, {key: id argument}) of an XREADGROUP."""
    group = consumer = None
    noack = False
    i = 1
    while i < len(args):
        word = args[i].upper()
        if word == b"GROUP":
            group, consumer = args[i + 1], args[i + 2]
            i += 3
        elif word in (b"COUNT", b"BLOCK"):
            i += 2
        elif word == b"NOACK":
            noack = True
            i += 1
        elif word == b"STREAMS":
            rest = args[i + 1:]
            half = len(rest) // 2
            ids: dict[bytes, bytes] = {}
            for key, sid in zip(rest[:half], rest[half:]):
                ids.setdefault(key, sid)
            return group, consumer, noack, ids
        else:
            i += 1
    return group, consumer, noack, {}


def readgroup_before(client, args):
    """Per key: did the consumer exist, and the group's (last ID, entries-read)."""
    group_name, consumer, _, ids = _readgroup_options(args)
    seen = {}
    for key in ids:
        group = _group(client, key, group_name)
        if group is not None:
            seen[key] = (consumer in group.consumers, group.last_id, group.entries_read)
    return seen


def readgroup(client, args, reply, before):
    group_name, consumer, noack, ids = _readgroup_options(args)
    out = []
    served = dict(_stream_pairs(reply))
    for key, id_arg in ids.items():
        group = _group(client, key, group_name)
        if group is None or key not in before:
            continue
        existed, last_id, entries_read = before[key]
        delivered = _ids_of(served.get(key))
        claims = []
        if id_arg != b">":
            # A re-read of pending history: new delivery time and count (Redis drops them).
            claims = _xclaims(client, key, group_name, group,
                              [sid for sid, alive in delivered if alive])
        elif not noack:
            claims = _xclaims(client, key, group_name, group, [sid for sid, _ in delivered])
        if consumer in group.consumers and not existed and (noack or not claims):
            out.append([b"XGROUP", b"CREATECONSUMER", key, group_name, consumer])
        out.extend(claims)
        if (group.last_id, group.entries_read) != (last_id, entries_read):
            out.append(setid_for(key, group_name, group))
    return out


# name -> (after, before): ``before(client, args)`` runs before the handler, its result is
# handed to ``after(client, args, reply, before)``, which returns the commands to log.
PROPAGATION = {
    "xadd": (_xadd, None),
    "xtrim": (_xtrim, None),
    "xdel": (_if_positive, None),
    "xack": (_if_positive, None),
    "del": (_if_positive, None),
    "xgroup|destroy": (_if_positive, None),
    "xgroup|createconsumer": (_if_positive, None),
    "xgroup|delconsumer": (_delconsumer, _delconsumer_before),
    "xclaim": (_claims, _claim_before),
    "xautoclaim": (_claims, _claim_before),
    "xreadgroup": (readgroup, readgroup_before),
    "set": (_set, None),
}


def before(client, name: str, args):
    """What ``after`` needs from the state before command ``name`` (Redis's lower-case full
    name, e.g. ``xgroup|create``) runs; None for most commands."""
    entry = PROPAGATION.get(name)
    if entry is None or entry[1] is None:
        return None
    return entry[1](client, args)


def after(client, name: str, args, reply, state) -> list[list[bytes]]:
    """The commands to append for command ``name`` that answered ``reply`` (not an error)."""
    entry = PROPAGATION.get(name)
    if entry is None:
        return [list(args)]            # XSETID, XGROUP CREATE/SETID, FLUSHDB ...: as typed
    return entry[0](client, args, _plain(reply), state)

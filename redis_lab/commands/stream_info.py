"""XINFO STREAM / GROUPS / CONSUMERS / HELP: the introspection the views are built from."""

from __future__ import annotations

from ..model import errors
from ..model.errors import CommandError
from ..model.groups import UNKNOWN, group_lag
from ..model.ids import MAX_ID, c_word, format_id
from ..model.reply import Map
from ..model.stream import Stream
from .args import int_arg
from .connection import help_reply
from .streams import range_reply
from .table import command, describe_container


def _stream_or_error(client, key: bytes) -> Stream:
    stream = client.db.get_typed(key, Stream)
    if stream is None:
        raise CommandError(errors.NO_SUCH_KEY)
    return stream


def _int64(value: int) -> int:
    """The counter as Redis's signed 64-bit integer shows it: set to 2^63-1 (XSETID
    ENTRIESADDED, ENTRIESREAD) and incremented, it wraps to -2^63. Counters are kept unbounded
    so that lag (a difference) comes out as Redis's wrapped subtraction does."""
    return ((value + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def _entries_read(group):
    return None if group.entries_read == UNKNOWN else _int64(group.entries_read)


@command("XINFO STREAM", arity=-3, flags="readonly", group="stream",
         syntax="key [FULL [COUNT count]]",
         summary="A stream's vital signs: length, first and last entry, last-generated-id, "
                 "entries-added, max-deleted-entry-id, groups. FULL adds entries, every group's "
                 "PEL and consumers.",
         complexity="O(1); FULL: O(N) up to COUNT", since="5.0.0",
         example="XINFO STREAM mystream", related="XINFO XLEN XRANGE")
def xinfo_stream(client, args):
    stream = _stream_or_error(client, args[2])
    options = args[3:]
    full = bool(options)
    count = 10
    if options:
        if c_word(options[0]).lower() != b"full":
            raise CommandError(errors.subcommand_syntax(args))
        if len(options) > 1:
            if len(options) != 3 or c_word(options[1]).lower() != b"count":
                raise CommandError(errors.subcommand_syntax(args))
            count = int_arg(options[2])
            if count < 0:
                count = 10
    reply = Map([
        b"length", stream.length,
        b"radix-tree-keys", stream.radix_tree_keys,
        b"radix-tree-nodes", stream.radix_tree_nodes,
        b"last-generated-id", format_id(stream.last_id),
        b"max-deleted-entry-id", format_id(stream.max_deleted),
        b"entries-added", _int64(stream.entries_added),
        b"recorded-first-entry-id", format_id(stream.first_id),
    ])
    if not full:
        first, last = stream.first_entry(), stream.last_entry()
        reply += [
            b"groups", len(stream.groups),
            b"first-entry", first[1] if first else None,
            b"last-entry", last[1] if last else None,
        ]
        return reply
    reply += [b"entries", range_reply(stream, 0, MAX_ID, count)]
    groups = []
    for name, group in sorted(stream.groups.items()):
        pending = []
        for sid, time, delivered, owner in group.pel.entries():
            if count and len(pending) >= count:
                break
            pending.append([format_id(sid), group.by_number[owner].name, time, delivered])
        consumers = []
        for cname, consumer in sorted(group.consumers.items()):
            own = []
            for sid, time, delivered in group.owned(consumer):
                if count and len(own) >= count:
                    break
                own.append([format_id(sid), time, delivered])
            consumers.append(Map([b"name", cname, b"seen-time", consumer.seen_time,
                                  b"pel-count", consumer.pel_count, b"pending", own]))
        groups.append(Map([
            b"name", name, b"last-delivered-id", format_id(group.last_id),
            b"entries-read", _entries_read(group), b"lag", group_lag(stream, group),
            b"pel-count", len(group.pel), b"pending", pending, b"consumers", consumers,
        ]))
    reply += [b"groups", groups]
    return reply


@command("XINFO GROUPS", arity=3, flags="readonly", group="stream", syntax="key",
         summary="Every consumer group of a stream: consumers, pending count, "
                 "last-delivered-id, entries-read and lag (how many entries it has not read "
                 "yet; nil when Redis cannot tell).",
         complexity="O(groups)", since="5.0.0", example="XINFO GROUPS mystream",
         related="XINFO CONSUMERS XPENDING")
def xinfo_groups(client, args):
    stream = _stream_or_error(client, args[2])
    return [
        Map([b"name", name, b"consumers", len(group.consumers), b"pending", len(group.pel),
             b"last-delivered-id", format_id(group.last_id),
             b"entries-read", _entries_read(group), b"lag", group_lag(stream, group)])
        for name, group in sorted(stream.groups.items())
    ]


@command("XINFO CONSUMERS", arity=4, flags="readonly", group="stream", syntax="key group",
         summary="The consumers of a group, each with how many entries it has pending and its "
                 "idle time in ms.",
         complexity="O(consumers)", since="5.0.0", example="XINFO CONSUMERS mystream group1",
         related="XINFO GROUPS XPENDING")
def xinfo_consumers(client, args):
    stream = _stream_or_error(client, args[2])
    group = stream.groups.get(args[3])
    if group is None:
        raise CommandError(errors.nogroup_for_key(args[3], args[2]))
    now = client.engine.clock.now_ms()
    return [
        Map([b"name", name, b"pending", consumer.pel_count,
             b"idle", max(now - consumer.seen_time, 0)])
        for name, consumer in sorted(group.consumers.items())
    ]


@command("XINFO HELP", arity=2, flags="loading stale", group="stream", syntax="",
         summary="Show the XINFO subcommands.", since="5.0.0", example="XINFO HELP")
def xinfo_help(client, args):
    return help_reply(args, "xinfo")


describe_container("XINFO", summary="Inspect streams, their groups and consumers.",
                   since="5.0.0")

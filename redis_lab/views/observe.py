"""Before and after a command: what to look at, looking, and what moved in the PEL.

``classify(label, args)`` reads a command line the way Redis parses it (enough of it: keys,
group, consumer, IDs, channels). ``observe(conn, shape, ...)`` takes a small Observation
through introspection -- XINFO STREAM/GROUPS of the keys it touches, the XPENDING summary and the
PEL rows of the IDs involved, the subscriber registry -- once before the command and once after.
``flows(shape, reply, before, after)`` then says, per ID, what happened in the PEL: delivered to
whom, acknowledged, claimed from whom, dropped because the entry was deleted.

The narration (explain.py) and the flow renderable (flow.py) are built on these. Only commands
that change the PEL or the fan-out are observed, and each observation costs O(IDs involved),
capped, so a learner's command never waits on a big PEL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .connection import Connection, ReplyError, call, is_nil, text, to_int, to_list
from .snapshots import (
    GroupInfo,
    PendingRow,
    StreamInfo,
    Subscriber,
    as_subscribers,
    gather_stream_info,
    parse_pending_summary,
    pending_rows,
)

#: Most IDs looked up one by one per command (XACK/XCLAIM with more IDs: the rest is summarised).
MAX_IDS = 64
#: Most PEL rows read for an XAUTOCLAIM scan or a history read.
MAX_SCAN = 500

STREAM_COMMANDS = frozenset({
    "XADD", "XDEL", "XTRIM", "XSETID", "XACK", "XCLAIM", "XAUTOCLAIM", "XREADGROUP",
    "XGROUP CREATE", "XGROUP SETID", "XGROUP DESTROY", "XGROUP CREATECONSUMER",
    "XGROUP DELCONSUMER",
})
FLOW_COMMANDS = frozenset({"XREADGROUP", "XACK", "XCLAIM", "XAUTOCLAIM"})
PUBSUB_COMMANDS = frozenset({
    "PUBLISH", "SPUBLISH", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE",
    "SSUBSCRIBE", "SUNSUBSCRIBE",
})


@dataclass
class Shape:
    """The parts of a command line the views care about."""

    name: str                       # "XACK", "XGROUP CREATE", "PUBLISH"
    label: str                      # the client that ran it
    args: list[bytes]
    keys: list[bytes] = field(default_factory=list)
    group: bytes | None = None
    consumer: bytes | None = None
    ids: list[bytes] = field(default_factory=list)       # XACK/XCLAIM IDs; XREADGROUP per key
    channels: list[bytes] = field(default_factory=list)
    message: bytes | None = None
    min_idle_ms: int | None = None
    start: bytes | None = None       # XAUTOCLAIM start
    count: int | None = None
    noack: bool = False
    block: bool = False

    @property
    def is_stream(self) -> bool:
        return self.name in STREAM_COMMANDS

    @property
    def is_flow(self) -> bool:
        return self.name in FLOW_COMMANDS

    @property
    def is_pubsub(self) -> bool:
        return self.name in PUBSUB_COMMANDS


def _upper(arg: bytes) -> str:
    return arg.decode("ascii", "replace").upper()


def classify(label: str, args: list[bytes]) -> Shape | None:
    """Parse the interesting commands; None for everything else (or malformed lines)."""
    if not args:
        return None
    head = _upper(args[0])
    n = len(args)
    try:
        if head == "XGROUP" and n >= 3:
            shape = Shape(f"XGROUP {_upper(args[1])}", label, args, keys=[args[2]])
            if n >= 4:
                shape.group = args[3]
            if n >= 5:
                shape.consumer = args[4]
                shape.ids = [args[4]]
            return shape if shape.name in STREAM_COMMANDS else None
        if head in ("XADD", "XDEL", "XTRIM", "XSETID") and n >= 2:
            return Shape(head, label, args, keys=[args[1]], ids=list(args[2:]))
        if head == "XACK" and n >= 4:
            return Shape(head, label, args, keys=[args[1]], group=args[2], ids=list(args[3:]))
        if head == "XCLAIM" and n >= 6:
            ids = []
            for arg in args[5:]:
                if _upper(arg) in ("IDLE", "TIME", "RETRYCOUNT", "FORCE", "JUSTID", "LASTID"):
                    break
                ids.append(arg)
            return Shape(head, label, args, keys=[args[1]], group=args[2], consumer=args[3],
                         min_idle_ms=to_int(args[4]), ids=ids)
        if head == "XAUTOCLAIM" and n >= 6:
            count = 100
            for i in range(6, n - 1):
                if _upper(args[i]) == "COUNT":
                    count = to_int(args[i + 1], 100) or 100
            return Shape(head, label, args, keys=[args[1]], group=args[2], consumer=args[3],
                         min_idle_ms=to_int(args[4]), start=args[5], count=count)
        if head == "XREADGROUP":
            return _classify_xreadgroup(label, args)
        if head in ("PUBLISH", "SPUBLISH") and n == 3:
            return Shape(head, label, args, channels=[args[1]], message=args[2])
        if head in PUBSUB_COMMANDS:
            return Shape(head, label, args, channels=list(args[1:]))
    except (IndexError, ValueError):
        return None
    return None


def _classify_xreadgroup(label: str, args: list[bytes]) -> Shape | None:
    shape = Shape("XREADGROUP", label, args)
    i = 1
    n = len(args)
    while i < n:
        word = _upper(args[i])
        if word == "GROUP" and i + 2 < n:
            shape.group, shape.consumer = args[i + 1], args[i + 2]
            i += 3
        elif word == "COUNT" and i + 1 < n:
            shape.count = to_int(args[i + 1])
            i += 2
        elif word == "BLOCK" and i + 1 < n:
            shape.block = True
            i += 2
        elif word == "NOACK":
            shape.noack = True
            i += 1
        elif word == "STREAMS":
            rest = args[i + 1:]
            if not rest or len(rest) % 2:
                return None
            half = len(rest) // 2
            shape.keys, shape.ids = list(rest[:half]), list(rest[half:])
            break
        else:
            return None
    if shape.group is None or not shape.keys:
        return None
    return shape


# ------------------------------------------------------------------------------------------------
# Observations
# ------------------------------------------------------------------------------------------------

@dataclass
class StreamState:
    """One stream key as seen at one moment (None info: no such stream)."""

    key: bytes
    info: StreamInfo | None
    groups: dict[str, GroupInfo] = field(default_factory=dict)
    pel_total: int | None = None                      # of the command's group
    owners: dict[str, int] = field(default_factory=dict)
    rows: dict[str, PendingRow] = field(default_factory=dict)

    def group(self, name: bytes | str | None) -> GroupInfo | None:
        if name is None:
            return None
        return self.groups.get(text(name))


@dataclass
class Observation:
    streams: dict[bytes, StreamState] = field(default_factory=dict)
    subscribers: list[Subscriber] = field(default_factory=list)
    numsub: dict[str, int] = field(default_factory=dict)


def _scan_rows(conn: Connection, shape: Shape, key: bytes, group: bytes, before: StreamState
               | None, index: int) -> list[PendingRow]:
    """The PEL rows a command may touch that can be listed before it runs."""
    name = shape.name
    try:
        if name == "XAUTOCLAIM" and shape.start is not None:
            limit = min((shape.count or 100) * 10, MAX_SCAN)
            return pending_rows(call(conn, "XPENDING", key, group, shape.start, "+", limit))
        if name == "XREADGROUP" and index < len(shape.ids):
            sid = shape.ids[index]
            limit = min(shape.count or MAX_SCAN, MAX_SCAN)
            if sid == b">":
                # Usually nothing: only after XGROUP SETID rewound the group are entries past
                # last-delivered-id already pending (they then move to the reader).
                info = before.group(group) if before is not None else None
                if info is None:
                    return []
                return pending_rows(call(conn, "XPENDING", key, group,
                                          "(" + info.last_delivered_id, "+", limit))
            return pending_rows(call(conn, "XPENDING", key, group, b"(" + sid, "+", limit,
                                      shape.consumer or b""))
    except ReplyError:
        return []
    return []


def _id_rows(conn: Connection, key: bytes, group: bytes, ids) -> dict[str, PendingRow]:
    rows = {}
    for sid in list(ids)[:MAX_IDS]:
        try:
            found = pending_rows(call(conn, "XPENDING", key, group, sid, sid, 1))
        except ReplyError:
            continue
        if found:
            rows[found[0].id] = found[0]
    return rows


def observe(conn: Connection, shape: Shape, subscribers=None, *,
            before: Observation | None = None, reply_ids: dict[bytes, list[str]] | None = None,
            rows: bool = True) -> Observation:
    """Look at what ``shape`` touches. After the command, pass ``before`` and the reply's IDs."""
    obs = Observation()
    if shape.is_pubsub:
        obs.subscribers = as_subscribers(subscribers or [])
        names = [c for c in shape.channels if shape.name in ("PUBLISH", "SUBSCRIBE",
                                                              "UNSUBSCRIBE")]
        if names:
            try:
                flat = to_list(call(conn, "PUBSUB", "NUMSUB", *names))
                obs.numsub = {text(flat[i]): to_int(flat[i + 1], 0) or 0
                              for i in range(0, len(flat) - 1, 2)}
            except ReplyError:
                pass
        return obs
    if not shape.is_stream:
        return obs
    for index, key in enumerate(shape.keys):
        info, groups, _ = gather_stream_info(conn, key)
        state = StreamState(key, info, {g.name: g for g in groups})
        obs.streams[key] = state
        group = shape.group
        if info is None or group is None or text(group) not in state.groups:
            continue
        try:
            total, _, _, owners = parse_pending_summary(call(conn, "XPENDING", key, group))
        except ReplyError:
            continue
        state.pel_total, state.owners = total, dict(owners)
        if not rows or not shape.is_flow:
            continue
        previous = before.streams.get(key) if before is not None else None
        for row in _scan_rows(conn, shape, key, group, previous if previous else state, index):
            state.rows[row.id] = row
        wanted: list = []
        if shape.name in ("XACK", "XCLAIM"):
            wanted += [text(i) for i in shape.ids]
        if previous is not None:
            wanted += list(previous.rows)
        if reply_ids:
            wanted += reply_ids.get(key, [])
        wanted = [sid for sid in dict.fromkeys(wanted) if sid not in state.rows]
        state.rows.update(_id_rows(conn, key, group, wanted))
    return obs


# ------------------------------------------------------------------------------------------------
# Replies -> IDs
# ------------------------------------------------------------------------------------------------

def xreadgroup_entries(reply) -> dict[bytes, list[tuple[str, bool]]]:
    """``{key: [(id, exists), ...]}`` from an XREADGROUP reply (RESP2 array or RESP3 map)."""
    out: dict[bytes, list[tuple[str, bool]]] = {}
    if isinstance(reply, dict):
        pairs = list(reply.items())
    else:
        items = to_list(reply)
        if type(reply).__name__ == "Map":
            pairs = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
        else:
            pairs = [(to_list(p)[0], to_list(p)[1]) for p in items if len(to_list(p)) == 2]
    for key, entries in pairs:
        key_bytes = key if isinstance(key, bytes) else text(key).encode()
        out[key_bytes] = [(text(to_list(e)[0]), not is_nil(to_list(e)[1]))
                          for e in to_list(entries) if len(to_list(e)) >= 2]
    return out


def reply_ids(shape: Shape, reply) -> dict[bytes, list[str]]:
    """IDs the reply names, per key (delivered, claimed or dropped)."""
    if not shape.keys:
        return {}
    key = shape.keys[0]
    if shape.name == "XREADGROUP":
        return {k: [sid for sid, _ in v] for k, v in xreadgroup_entries(reply).items()}
    if shape.name == "XCLAIM":
        return {key: claimed_ids(reply)}
    if shape.name == "XAUTOCLAIM":
        parts = to_list(reply)
        if len(parts) >= 2:
            deleted = [text(i) for i in to_list(parts[2])] if len(parts) > 2 else []
            return {key: claimed_ids(parts[1]) + deleted}
    return {}


def claimed_ids(reply) -> list[str]:
    """IDs from an XCLAIM-style reply: ``[id, ...]`` (JUSTID) or ``[[id, fields], ...]``."""
    out = []
    for item in to_list(reply):
        if isinstance(item, (bytes, str)):
            out.append(text(item))
        elif to_list(item):
            out.append(text(to_list(item)[0]))
    return out


# ------------------------------------------------------------------------------------------------
# The flow: per ID, what happened in the PEL
# ------------------------------------------------------------------------------------------------

@dataclass
class FlowRow:
    """One ID's fate.

    ``change`` is one of: ``delivered`` (new to the PEL), ``moved`` (already pending for another
    consumer, handed to the reader: after XGROUP SETID), ``noack`` (delivered, not added to the
    PEL), ``reread`` (history read: delivery count +1), ``reread-deleted`` (history read of an
    entry gone from the stream), ``acked``, ``not-pending``, ``claimed``, ``created`` (XCLAIM
    FORCE), ``kept`` (not idle enough), ``dropped`` (deleted from the stream: removed from the
    PEL).
    """

    id: str
    change: str
    before: PendingRow | None = None
    after: PendingRow | None = None


@dataclass
class Flow:
    """What one command did to one group's PEL."""

    command: str
    actor: str
    key: str
    group: str
    consumer: str | None
    rows: list[FlowRow] = field(default_factory=list)
    pel_before: int | None = None
    pel_after: int | None = None
    owners_before: dict[str, int] = field(default_factory=dict)
    owners_after: dict[str, int] = field(default_factory=dict)
    group_before: GroupInfo | None = None
    group_after: GroupInfo | None = None
    min_idle_ms: int | None = None
    cursor: str | None = None
    more: int = 0                      # IDs not looked at (over MAX_IDS)

    def changed(self) -> list[FlowRow]:
        return [r for r in self.rows if r.change not in ("not-pending", "kept")]


def flows(shape: Shape, reply, before: Observation, after: Observation) -> list[Flow]:
    """The PEL changes of an XREADGROUP, XACK, XCLAIM or XAUTOCLAIM, one Flow per key."""
    if not shape.is_flow or shape.group is None:
        return []
    out = []
    group = text(shape.group)
    delivered = xreadgroup_entries(reply) if shape.name == "XREADGROUP" else {}
    for index, key in enumerate(shape.keys):
        b = before.streams.get(key)
        a = after.streams.get(key)
        if b is None or a is None or a.group(group) is None:
            continue
        flow = Flow(shape.name, shape.label, text(key), group,
                    text(shape.consumer) if shape.consumer is not None else None,
                    pel_before=b.pel_total, pel_after=a.pel_total,
                    owners_before=dict(b.owners), owners_after=dict(a.owners),
                    group_before=b.group(group), group_after=a.group(group),
                    min_idle_ms=shape.min_idle_ms)
        if shape.name == "XREADGROUP":
            sid = shape.ids[index] if index < len(shape.ids) else b">"
            for entry_id, exists in delivered.get(key, []):
                was, now = b.rows.get(entry_id), a.rows.get(entry_id)
                if sid != b">":
                    change = "reread" if exists else "reread-deleted"
                elif shape.noack:
                    change = "noack"
                elif was is not None and was.consumer != flow.consumer:
                    change = "moved"
                else:
                    change = "delivered"
                flow.rows.append(FlowRow(entry_id, change, was, now))
        elif shape.name == "XACK":
            ids = [text(i) for i in dict.fromkeys(shape.ids)]
            flow.more = max(len(ids) - MAX_IDS, 0)
            for entry_id in ids[:MAX_IDS]:
                was, now = b.rows.get(entry_id), a.rows.get(entry_id)
                change = "not-pending" if was is None else ("acked" if now is None else "kept")
                flow.rows.append(FlowRow(entry_id, change, was, now))
        elif shape.name == "XCLAIM":
            claimed = set(claimed_ids(reply))
            ids = [text(i) for i in dict.fromkeys(shape.ids)]
            flow.more = max(len(ids) - MAX_IDS, 0)
            for entry_id in ids[:MAX_IDS]:
                was, now = b.rows.get(entry_id), a.rows.get(entry_id)
                if entry_id in claimed:
                    change = "claimed" if was is not None else "created"
                elif was is not None and now is None:
                    change = "dropped"
                elif was is not None:
                    change = "kept"
                else:
                    change = "not-pending"
                flow.rows.append(FlowRow(entry_id, change, was, now))
        elif shape.name == "XAUTOCLAIM":
            parts = to_list(reply)
            if len(parts) >= 2:
                flow.cursor = text(parts[0])
                for entry_id in claimed_ids(parts[1]):
                    flow.rows.append(FlowRow(entry_id, "claimed", b.rows.get(entry_id),
                                             a.rows.get(entry_id)))
                for item in to_list(parts[2]) if len(parts) > 2 else []:
                    entry_id = text(item)
                    flow.rows.append(FlowRow(entry_id, "dropped", b.rows.get(entry_id), None))
        out.append(flow)
    return out

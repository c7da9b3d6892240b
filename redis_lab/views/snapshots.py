"""Snapshots: what the views show, as plain dataclasses, gathered through introspection commands.

Every ``gather_*`` function takes a Connection (anything with ``execute(args) -> reply``) and
asks Redis the questions a person would ask redis-cli -- XINFO STREAM / GROUPS / CONSUMERS,
XPENDING (summary and ranges), XRANGE / XREVRANGE, PUBSUB CHANNELS / NUMSUB / NUMPAT, TIME --
so the same views work against the in-process engine and, later, against a real Redis server.
Nothing here imports rich or looks inside the engine.

The pub/sub registry (which client subscribed to what) is not something Redis tells one
connection about another, so ``gather_fanout`` takes it as an argument: a list of
``Subscriber`` (or of ``(label, channels, patterns)`` tuples) kept by the shell.

Cost is bounded for big states: the PEL snapshot reads the XPENDING summary, a head window and a
tail window (never the whole PEL), and consumer lists are read once per frame (XINFO CONSUMERS).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .connection import (
    Connection,
    ReplyError,
    call,
    is_nil,
    opt_text,
    text,
    to_int,
    to_list,
    to_map,
)
from .humanize import parse_id

DEFAULT_CLAIM_IDLE_MS = 60_000
DEFAULT_POISON_DELIVERIES = 3


# ------------------------------------------------------------------------------------------------
# Streams
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One stream entry: its ID and field/value pairs (None fields: the entry was deleted)."""

    id: str
    fields: tuple[tuple[str, str], ...] | None


@dataclass
class StreamInfo:
    """``XINFO STREAM key`` (the short form)."""

    length: int = 0
    radix_tree_keys: int = 0
    radix_tree_nodes: int = 0
    last_generated_id: str = "0-0"
    max_deleted_entry_id: str = "0-0"
    entries_added: int = 0
    recorded_first_entry_id: str = "0-0"
    groups: int = 0
    first_entry: Entry | None = None
    last_entry: Entry | None = None


@dataclass
class GroupInfo:
    """One row of ``XINFO GROUPS key``; ``entries_read`` and ``lag`` are None when Redis says nil."""

    name: str
    consumers: int
    pending: int
    last_delivered_id: str
    entries_read: int | None
    lag: int | None


@dataclass
class StreamSnapshot:
    """The stream view's data: vital signs, groups and the newest entries (oldest first)."""

    key: str
    info: StreamInfo | None
    groups: list[GroupInfo] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None          # "no such key", "WRONGTYPE ..." -- shown instead
    now_ms: int | None = None
    node: str | None = None           # on a cluster: "slot 1234 · host:port" holding the key

    @property
    def hidden_before(self) -> int:
        """Entries older than those shown."""
        if self.info is None:
            return 0
        return max(self.info.length - len(self.entries), 0)


def _entry(value) -> Entry | None:
    items = to_list(value)
    if not items:
        return None
    sid = text(items[0])
    raw = items[1] if len(items) > 1 else None
    if is_nil(raw):
        return Entry(sid, None)
    flat = to_list(raw)
    if isinstance(raw, dict):
        pairs = tuple((text(k), text(v)) for k, v in raw.items())
    else:
        pairs = tuple((text(flat[i]), text(flat[i + 1])) for i in range(0, len(flat) - 1, 2))
    return Entry(sid, pairs)


def parse_stream_info(reply) -> StreamInfo:
    m = to_map(reply)
    return StreamInfo(
        length=to_int(m.get("length"), 0) or 0,
        radix_tree_keys=to_int(m.get("radix-tree-keys"), 0) or 0,
        radix_tree_nodes=to_int(m.get("radix-tree-nodes"), 0) or 0,
        last_generated_id=text(m.get("last-generated-id", b"0-0")),
        max_deleted_entry_id=text(m.get("max-deleted-entry-id", b"0-0")),
        entries_added=to_int(m.get("entries-added"), 0) or 0,
        recorded_first_entry_id=text(m.get("recorded-first-entry-id", b"0-0")),
        groups=to_int(m.get("groups"), 0) or 0,
        first_entry=None if is_nil(m.get("first-entry")) else _entry(m.get("first-entry")),
        last_entry=None if is_nil(m.get("last-entry")) else _entry(m.get("last-entry")),
    )


def parse_groups(reply) -> list[GroupInfo]:
    groups = []
    for item in to_list(reply):
        m = to_map(item)
        groups.append(GroupInfo(
            name=text(m.get("name")),
            consumers=to_int(m.get("consumers"), 0) or 0,
            pending=to_int(m.get("pending"), 0) or 0,
            last_delivered_id=text(m.get("last-delivered-id", b"0-0")),
            entries_read=to_int(m.get("entries-read")),
            lag=to_int(m.get("lag")),
        ))
    return groups


def gather_now(conn: Connection) -> int | None:
    """The server's clock in ms (TIME), or None if it cannot be read."""
    try:
        reply = to_list(call(conn, "TIME"))
        return (to_int(reply[0], 0) or 0) * 1000 + (to_int(reply[1], 0) or 0) // 1000
    except (ReplyError, IndexError):
        return None


def gather_stream_info(conn: Connection, key: bytes) -> tuple[StreamInfo | None, list[GroupInfo],
                                                                str | None]:
    """XINFO STREAM + XINFO GROUPS; (None, [], error text) when the key is missing or no stream."""
    try:
        info = parse_stream_info(call(conn, "XINFO", "STREAM", key))
        groups = parse_groups(call(conn, "XINFO", "GROUPS", key))
    except ReplyError as exc:
        return None, [], str(exc)
    return info, groups, None


def gather_stream(conn: Connection, key: bytes, count: int = 10) -> StreamSnapshot:
    """The stream view: XINFO STREAM, XINFO GROUPS and the newest ``count`` entries."""
    info, groups, error = gather_stream_info(conn, key)
    snap = StreamSnapshot(text(key), info, groups, error=error, now_ms=gather_now(conn),
                          node=_serving_node(conn, key))
    if info is not None and count > 0 and info.length:
        newest = to_list(call(conn, "XREVRANGE", key, "+", "-", "COUNT", count))
        snap.entries = [e for e in (_entry(item) for item in reversed(newest)) if e is not None]
    return snap


# ------------------------------------------------------------------------------------------------
# The PEL
# ------------------------------------------------------------------------------------------------

@dataclass
class PendingRow:
    """One pending entry: ``XPENDING key group - + n`` row, plus whether the entry still exists."""

    id: str
    consumer: str
    idle_ms: int
    deliveries: int
    deleted: bool = False


@dataclass
class PelSnapshot:
    """The PEL view's data: the XPENDING summary and a head and tail window of rows."""

    key: str
    group: str
    total: int = 0
    lowest: str | None = None
    highest: str | None = None
    consumers: list[tuple[str, int]] = field(default_factory=list)   # from the summary
    head: list[PendingRow] = field(default_factory=list)
    tail: list[PendingRow] = field(default_factory=list)
    claimable: int = 0                 # rows idle >= claim_idle_ms, counted up to claimable_cap
    claimable_capped: bool = False
    claim_idle_ms: int = DEFAULT_CLAIM_IDLE_MS
    poison_deliveries: int = DEFAULT_POISON_DELIVERIES
    error: str | None = None

    @property
    def hidden(self) -> int:
        """Pending entries between the head and the tail windows (not fetched)."""
        return max(self.total - len(self.head) - len(self.tail), 0)

    def is_claimable(self, row: PendingRow) -> bool:
        return row.idle_ms >= self.claim_idle_ms

    def is_poison(self, row: PendingRow) -> bool:
        return row.deliveries > self.poison_deliveries


def pending_rows(reply) -> list[PendingRow]:
    rows = []
    for item in to_list(reply):
        parts = to_list(item)
        if len(parts) >= 4:
            rows.append(PendingRow(text(parts[0]), text(parts[1]), to_int(parts[2], 0) or 0,
                                   to_int(parts[3], 0) or 0))
    return rows


def parse_pending_summary(reply) -> tuple[int, str | None, str | None, list[tuple[str, int]]]:
    parts = to_list(reply)
    if len(parts) < 4:
        return 0, None, None, []
    owners = [(text(to_list(o)[0]), to_int(to_list(o)[1], 0) or 0) for o in to_list(parts[3])
              if len(to_list(o)) >= 2]
    return to_int(parts[0], 0) or 0, opt_text(parts[1]), opt_text(parts[2]), owners


def pending_row(conn: Connection, key: bytes, group: bytes, sid: str) -> PendingRow | None:
    """The PEL row of one ID (``XPENDING key group id id 1``), or None if it is not pending."""
    rows = pending_rows(call(conn, "XPENDING", key, group, sid, sid, 1))
    return rows[0] if rows else None


def entry_exists(conn: Connection, key: bytes, sid: str) -> bool:
    return bool(to_list(call(conn, "XRANGE", key, sid, sid)))


def gather_pel(conn: Connection, key: bytes, group: bytes, *, head: int = 12, tail: int = 3,
               claim_idle_ms: int = DEFAULT_CLAIM_IDLE_MS,
               poison_deliveries: int = DEFAULT_POISON_DELIVERIES,
               claimable_cap: int = 1000) -> PelSnapshot:
    """The PEL view: XPENDING summary, the first ``head`` and last ``tail`` rows, flags.

    Costs O(head + tail) rows whatever the size of the PEL, plus one
    ``XPENDING IDLE`` scan stopped at ``claimable_cap`` rows to count claimable entries.
    """
    snap = PelSnapshot(text(key), text(group), claim_idle_ms=claim_idle_ms,
                       poison_deliveries=poison_deliveries)
    try:
        total, lowest, highest, owners = parse_pending_summary(call(conn, "XPENDING", key, group))
    except ReplyError as exc:
        snap.error = str(exc)
        return snap
    snap.total, snap.lowest, snap.highest, snap.consumers = total, lowest, highest, owners
    if not total:
        return snap
    if total <= head + tail:
        snap.head = pending_rows(call(conn, "XPENDING", key, group, "-", "+", total))
    else:
        snap.head = pending_rows(call(conn, "XPENDING", key, group, "-", "+", head))
        snap.tail = _tail_rows(conn, key, group, highest, tail, snap.head)
    for row in snap.head + snap.tail:
        row.deleted = not entry_exists(conn, key, row.id)
    if claim_idle_ms > 0:
        idle = to_list(call(conn, "XPENDING", key, group, "IDLE", claim_idle_ms, "-", "+",
                            claimable_cap))
        snap.claimable = len(idle)
        snap.claimable_capped = len(idle) >= claimable_cap and total > claimable_cap
    else:
        snap.claimable = total
    return snap


def _tail_rows(conn: Connection, key: bytes, group: bytes, highest: str | None, want: int,
               head: list[PendingRow]) -> list[PendingRow]:
    """The last ``want`` pending rows, without reading the PEL from the start.

    XPENDING has no reverse form, so: take the ``want`` stream entries at or before the highest
    pending ID (XREVRANGE), and read the PEL from the oldest of them onwards.
    """
    if highest is None or want <= 0:
        return []
    newest = to_list(call(conn, "XREVRANGE", key, highest, "-", "COUNT", want))
    start = text(to_list(newest[-1])[0]) if newest else highest
    rows = pending_rows(call(conn, "XPENDING", key, group, start, "+", want * 4))
    if not rows or rows[-1].id != highest:
        rows += [r for r in [pending_row(conn, key, group, highest)] if r is not None]
    seen = {r.id for r in head}
    rows = [r for r in rows if r.id not in seen]
    return rows[-want:]


# ------------------------------------------------------------------------------------------------
# Consumer lag
# ------------------------------------------------------------------------------------------------

@dataclass
class ConsumerInfo:
    """One row of ``XINFO CONSUMERS``; ``inactive_ms`` only from Redis 7.2+ (None on 7.0)."""

    name: str
    pending: int
    idle_ms: int
    inactive_ms: int | None = None


@dataclass
class GroupLag:
    group: GroupInfo
    consumers: list[ConsumerInfo] = field(default_factory=list)
    nil_reason: str | None = None       # why lag is nil, in words
    negative_reason: str | None = None  # why lag is negative (a 7.0 quirk), in words


@dataclass
class LagSnapshot:
    key: str
    info: StreamInfo | None
    groups: list[GroupLag] = field(default_factory=list)
    claim_idle_ms: int = DEFAULT_CLAIM_IDLE_MS
    error: str | None = None


def parse_consumers(reply) -> list[ConsumerInfo]:
    consumers = []
    for item in to_list(reply):
        m = to_map(item)
        consumers.append(ConsumerInfo(text(m.get("name")), to_int(m.get("pending"), 0) or 0,
                                      to_int(m.get("idle"), 0) or 0, to_int(m.get("inactive"))))
    return consumers


def nil_lag_reason(info: StreamInfo, group: GroupInfo) -> str | None:
    """Why ``XINFO GROUPS`` reports this group's lag as nil (None when it does not).

    Mirrors Redis 7.0's streamReplyWithCGLag / streamEstimateDistanceFromFirstEverEntry.
    """
    if group.lag is not None:
        return None
    ld = parse_id(group.last_delivered_id)
    last = parse_id(info.last_generated_id)
    first = parse_id(info.recorded_first_entry_id)
    md = parse_id(info.max_deleted_entry_id)
    name = group.name
    again = (f"It is a number again once {name} reads the last entry, or after "
             f"XGROUP SETID ... ENTRIESREAD n.")
    if ld > last:
        return (f"last-delivered-id {group.last_delivered_id} is past the stream's "
                f"last-generated-id {info.last_generated_id}, so Redis cannot count what is "
                f"left. " + again)
    tombstone = info.length > 0 and md != (0, 0) and not first > md and ld <= md
    if group.entries_read is not None and tombstone:
        return (f"an entry at or after {name}'s position was deleted (max-deleted-entry-id "
                f"{info.max_deleted_entry_id}), so entries-added - entries-read would count "
                "it; Redis says nil rather than guess. " + again)
    if md != (0, 0) and md >= first:
        return (f"entries-read is unknown and entries were deleted inside the stream "
                f"(max-deleted-entry-id {info.max_deleted_entry_id}), so Redis cannot estimate "
                f"how far {name} has read. " + again)
    return (f"entries-read is unknown (created or moved to an explicit ID) and "
            f"{group.last_delivered_id} is inside the stream, so Redis cannot tell how many "
            "entries come before it. " + again)


def negative_lag_reason(info: StreamInfo, group: GroupInfo) -> str | None:
    if group.lag is None or group.lag >= 0:
        return None
    return (f"entries-read ({group.entries_read}) is larger than entries-added "
            f"({info.entries_added}), set by ENTRIESREAD or XSETID ENTRIESADDED; Redis 7.0 "
            "reports the difference as it is")


def gather_lag(conn: Connection, key: bytes, *,
               claim_idle_ms: int = DEFAULT_CLAIM_IDLE_MS) -> LagSnapshot:
    """The lag view: XINFO STREAM, XINFO GROUPS and XINFO CONSUMERS of every group."""
    info, groups, error = gather_stream_info(conn, key)
    snap = LagSnapshot(text(key), info, claim_idle_ms=claim_idle_ms, error=error)
    if info is None:
        return snap
    for group in groups:
        try:
            consumers = parse_consumers(call(conn, "XINFO", "CONSUMERS", key, group.name))
        except ReplyError:
            consumers = []
        snap.groups.append(GroupLag(group, consumers, nil_lag_reason(info, group),
                                    negative_lag_reason(info, group)))
    return snap


# ------------------------------------------------------------------------------------------------
# Pub/Sub fan-out
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Subscriber:
    """One client's subscriptions, from the shell's registry (Redis does not list them)."""

    label: str
    channels: tuple[bytes, ...] = ()
    patterns: tuple[bytes, ...] = ()
    shard_channels: tuple[bytes, ...] = ()


def as_subscribers(items: Iterable) -> list[Subscriber]:
    """Accept Subscriber objects or ``(label, channels, patterns[, shard_channels])`` tuples."""
    out = []
    for item in items:
        if isinstance(item, Subscriber):
            out.append(item)
            continue
        label, channels, patterns, *rest = item
        shard = tuple(rest[0]) if rest else ()
        out.append(Subscriber(str(label), tuple(channels), tuple(patterns), shard))
    return out


def subscribers_from_clients(clients: Iterable) -> list[Subscriber]:
    """Build the registry from client objects with ``label``, ``channels`` and ``patterns``.

    The shell passes ``session.client_states()`` (ClientState records). Labels starting
    with ``__`` (the views' own connection) and closed clients are left out.
    """
    out = []
    for client in clients:
        label = str(getattr(client, "label", "?"))
        if label.startswith("__") or getattr(client, "closed", False):
            continue
        out.append(Subscriber(label, tuple(getattr(client, "channels", ()) or ()),
                              tuple(getattr(client, "patterns", ()) or ()),
                              tuple(getattr(client, "shard_channels", ()) or ())))
    return out


@dataclass(frozen=True)
class Delivery:
    """One copy of a message: who got it, and through which pattern (None: by channel name)."""

    label: str
    pattern: str | None = None


@dataclass
class PublishRecord:
    """What one PUBLISH did: its reply (how many copies) and who they went to."""

    publisher: str
    channel: str
    message: str
    receivers: int
    deliveries: list[Delivery] = field(default_factory=list)
    shard: bool = False


def receivers_of(channel: bytes, subscribers: Sequence[Subscriber], *,
                 shard: bool = False) -> list[Delivery]:
    """Who gets a copy of a message published to ``channel``: name subscribers, then patterns.

    Redis sends one copy per matching subscription, so a client subscribed to the channel and to
    a matching pattern gets two.
    """
    from ..model.glob import glob_match

    out: list[Delivery] = []
    if shard:
        return [Delivery(s.label) for s in subscribers if channel in s.shard_channels]
    for s in subscribers:
        if channel in s.channels:
            out.append(Delivery(s.label))
    for s in subscribers:
        for pattern in s.patterns:
            if glob_match(pattern, channel):
                out.append(Delivery(s.label, text(pattern)))
    return out


@dataclass
class ChannelFan:
    name: str
    numsub: int                                   # PUBSUB (SHARD)NUMSUB: name subscribers only
    direct: list[str] = field(default_factory=list)
    via_pattern: list[Delivery] = field(default_factory=list)
    shard: bool = False                           # a shard channel (SSUBSCRIBE / SPUBLISH)
    node: str | None = None                       # on a cluster: "slot 1234 · host:port"

    @property
    def receivers(self) -> int:
        return len(self.direct) + len(self.via_pattern)


@dataclass
class FanoutSnapshot:
    channels: list[ChannelFan] = field(default_factory=list)
    patterns: list[tuple[str, list[str]]] = field(default_factory=list)   # pattern -> labels
    numpat: int = 0
    focus: str | None = None
    last_publish: PublishRecord | None = None


def gather_fanout(conn: Connection, subscribers: Iterable, *, channel: bytes | None = None,
                  last_publish: PublishRecord | None = None) -> FanoutSnapshot:
    """The fan-out view: PUBSUB CHANNELS / NUMSUB / NUMPAT plus the shell's subscriber registry.

    With ``channel``, only that channel (and the patterns that match it); otherwise every active
    channel, plus the channel of the last PUBLISH even if nobody listens there. Shard channels
    (PUBSUB SHARDCHANNELS / SHARDNUMSUB) are a namespace of their own: SPUBLISH reaches only
    SSUBSCRIBErs, never patterns, so they are listed apart.
    """
    subs = as_subscribers(subscribers)
    if channel is not None:
        names = [channel]
    else:
        names = sorted(to_list(call(conn, "PUBSUB", "CHANNELS")))
        if last_publish is not None and not last_publish.shard:
            published = last_publish.channel.encode("utf-8", "surrogateescape")
            if published not in names:
                names.append(published)
                names.sort()
    counts = {}
    if names:
        flat = to_list(call(conn, "PUBSUB", "NUMSUB", *names))
        counts = {text(flat[i]): to_int(flat[i + 1], 0) or 0 for i in range(0, len(flat) - 1, 2)}
    snap = FanoutSnapshot(numpat=to_int(call(conn, "PUBSUB", "NUMPAT"), 0) or 0,
                          focus=text(channel) if channel is not None else None,
                          last_publish=last_publish)
    for name in names:
        copies = receivers_of(name, subs)
        snap.channels.append(ChannelFan(
            text(name), counts.get(text(name), 0),
            [d.label for d in copies if d.pattern is None],
            [d for d in copies if d.pattern is not None]))
    patterns: dict[str, list[str]] = {}
    for s in subs:
        for pattern in s.patterns:
            patterns.setdefault(text(pattern), []).append(s.label)
    if channel is not None:
        matched = {d.pattern for fan in snap.channels for d in fan.via_pattern}
        patterns = {p: labels for p, labels in patterns.items() if p in matched}
    snap.patterns = sorted(patterns.items())
    snap.channels += _shard_fans(conn, subs, channel, last_publish)
    return snap


def _shard_fans(conn: Connection, subs: list[Subscriber], channel: bytes | None,
                last_publish: PublishRecord | None) -> list[ChannelFan]:
    """The shard channels to draw: the focused one if it has shard subscribers (or was the
    last SPUBLISH), else every active one plus the last SPUBLISH's channel."""
    active = sorted(to_list(call(conn, "PUBSUB", "SHARDCHANNELS")))
    published = None
    if last_publish is not None and last_publish.shard:
        published = last_publish.channel.encode("utf-8", "surrogateescape")
    if channel is not None:
        names = [channel] if channel in active or channel == published else []
    else:
        names = sorted(set(active) | ({published} if published is not None else set()))
    if not names:
        return []
    flat = to_list(call(conn, "PUBSUB", "SHARDNUMSUB", *names))
    counts = {text(flat[i]): to_int(flat[i + 1], 0) or 0 for i in range(0, len(flat) - 1, 2)}
    return [ChannelFan(text(name), counts.get(text(name), 0),
                       [d.label for d in receivers_of(name, subs, shard=True)], shard=True,
                       node=_serving_node(conn, name))
            for name in names]


def _serving_node(conn: Connection, channel: bytes) -> str | None:
    """``slot 1234 · 127.0.0.1:7001`` on a cluster (CLUSTER KEYSLOT + CLUSTER SLOTS) for a key
    or shard channel; None unless the connection says it reads a cluster (``conn.cluster``)."""
    if not getattr(conn, "cluster", False):
        return None
    try:
        slot = to_int(call(conn, "CLUSTER", "KEYSLOT", channel))
        ranges = to_list(call(conn, "CLUSTER", "SLOTS"))
    except ReplyError:
        return None
    for row in ranges:
        row = to_list(row)
        if slot is not None and len(row) > 2 and to_int(row[0], -1) <= slot <= to_int(row[1], -1):
            master = to_list(row[2])
            return f"slot {slot} · {text(master[0])}:{to_int(master[1])}"
    return None

"""Narration: one line saying what a command changed, from before/after observations.

    XACK removed 1700000000000-0 from g1's PEL; c1 now has 2 pending
    PUBLISH news reached 0 receivers — the message is gone (Pub/Sub stores nothing)

``narrate(shape, reply, before, after, flows, publish)`` is pure: the command line (a Shape),
its reply value, the two Observations (observe.py), the PEL flows and, for PUBLISH, who got the
message. It returns None when there is nothing worth saying (errors speak for themselves).
"""

from __future__ import annotations

from .connection import is_error, is_nil, text, to_int
from .humanize import count, duration, plural
from .observe import Flow, Observation, Shape, StreamState
from .snapshots import GroupInfo, PublishRecord, Subscriber


def _ids(ids: list[str], limit: int = 3) -> str:
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{ids[0]} … {ids[-1]}"


def _lag(value: int | None) -> str:
    return "nil" if value is None else count(value)


def _owners(flow: Flow, names: list[str]) -> str:
    parts = []
    for name in dict.fromkeys(names):
        if not name:
            continue
        parts.append(f"{name} now has {count(flow.owners_after.get(name, 0))} pending")
    return ", ".join(parts)


def _group_changes(before: StreamState | None, after: StreamState | None,
                   skip: str | None = None) -> list[str]:
    """``g1 lag 2 → 3`` for groups whose lag or pending moved."""
    if before is None or after is None:
        return []
    out = []
    for name, now in after.groups.items():
        if name == skip:
            continue
        was = before.groups.get(name)
        if was is None:
            continue
        if was.pending < now.pending:
            out.append(f"{name} handed {plural(now.pending - was.pending, 'entry', 'entries')} "
                       f"to a blocked reader (pending {count(was.pending)} → "
                       f"{count(now.pending)})")
        if was.lag != now.lag:
            out.append(f"{name} lag {_lag(was.lag)} → {_lag(now.lag)}")
    return out


def narrate(shape: Shape | None, reply, before: Observation | None, after: Observation | None,
            flows: list[Flow] | None = None, publish: PublishRecord | None = None,
            *, blocked: bool = False) -> str | None:
    """One line about what the command did, or None."""
    if shape is None or before is None or after is None:
        return None
    if blocked:
        return _blocked(shape, before)
    if is_error(reply) or (isinstance(reply, str) and reply == "QUEUED"):
        return None
    name = shape.name
    try:
        if name in ("PUBLISH", "SPUBLISH"):
            return _publish(publish)
        if name in ("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE",
                    "SUNSUBSCRIBE"):
            return _subscribe(shape, before, after)
        key = shape.keys[0] if shape.keys else None
        b = before.streams.get(key) if key is not None else None
        a = after.streams.get(key) if key is not None else None
        if name == "XADD":
            return _xadd(shape, reply, b, a)
        if name == "XREADGROUP":
            return _xreadgroup(shape, reply, before, after, flows or [])
        if name == "XACK":
            return _xack(flows or [], reply)
        if name == "XCLAIM":
            return _xclaim(shape, flows or [])
        if name == "XAUTOCLAIM":
            return _xautoclaim(shape, flows or [], reply)
        if name.startswith("XGROUP"):
            return _xgroup(shape, reply, b, a)
        if name in ("XDEL", "XTRIM"):
            return _removal(shape, reply, b, a)
        if name == "XSETID" and a is not None and a.info is not None:
            return f"XSETID: last-generated-id of {text(key)} is now {a.info.last_generated_id}"
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    return None


# ------------------------------------------------------------------------------------------------

def _publish(record: PublishRecord | None) -> str | None:
    if record is None:
        return None
    command = "SPUBLISH" if record.shard else "PUBLISH"
    if record.receivers == 0:
        return (f"{command} {record.channel} reached 0 receivers — the message is gone "
                "(Pub/Sub stores nothing)")
    names = [d.label + (f" (via {d.pattern})" if d.pattern else "") for d in record.deliveries]
    who = f": {', '.join(names)}" if names else ""
    return f"{command} {record.channel} reached {plural(record.receivers, 'receiver')}{who}"


def _find(subscribers: list[Subscriber], label: str) -> Subscriber:
    for s in subscribers:
        if s.label == label:
            return s
    return Subscriber(label)


def _subscribe(shape: Shape, before: Observation, after: Observation) -> str | None:
    label = shape.label
    was, now = _find(before.subscribers, label), _find(after.subscribers, label)
    kind = {"SUBSCRIBE": "channels", "UNSUBSCRIBE": "channels", "PSUBSCRIBE": "patterns",
            "PUNSUBSCRIBE": "patterns", "SSUBSCRIBE": "shard_channels",
            "SUNSUBSCRIBE": "shard_channels"}[shape.name]
    old, new = getattr(was, kind), getattr(now, kind)
    total = len(now.channels) + len(now.patterns)
    noun = {"channels": "", "patterns": "pattern ", "shard_channels": "shard channel "}[kind]
    if "UNSUB" in shape.name:
        gone = [text(c) for c in old if c not in new]
        if not gone:
            return f"{label} was not subscribed to {'those' if shape.channels else 'anything'}"
        line = f"{label} unsubscribed from {noun}{', '.join(gone)}"
        if not (now.channels or now.patterns or now.shard_channels):
            return line + f" ({label} has no subscriptions left: back to normal mode)"
        return line + f" ({label}: {plural(total, 'subscription')} left)"
    added = [text(c) for c in new if c not in old]
    if not added:
        return f"{label} was already subscribed to {noun}{', '.join(text(c) for c in shape.channels)}"
    line = f"{label} subscribed to {noun}{', '.join(added)} ({label}: " \
           f"{plural(total, 'subscription')}"
    counts = [f"{name} now has {plural(n, 'subscriber')}" for name, n in after.numsub.items()
              if name in added]
    if counts and len(counts) <= 2:
        line += "; " + ", ".join(counts)
    line += ")"
    if not (was.channels or was.patterns or was.shard_channels):
        line += f"; {label} is now in subscribed mode"
    return line


def _blocked(shape: Shape, before: Observation) -> str | None:
    if shape.name != "XREADGROUP":
        return None
    keys = ", ".join(text(k) for k in shape.keys)
    group = text(shape.group)
    return (f"{text(shape.consumer)} is blocked: no new entries for {group} in {keys}; it is "
            "served when someone XADDs (or the BLOCK timeout passes)")


def _xadd(shape: Shape, reply, b: StreamState | None, a: StreamState | None) -> str | None:
    key = text(shape.keys[0])
    if is_nil(reply):
        return f"XADD NOMKSTREAM: no stream at {key}, nothing added"
    if a is None or a.info is None:
        return None
    length_before = b.info.length if b is not None and b.info is not None else 0
    parts = [f"XADD appended {text(reply)} to {key} (length {count(a.info.length)})"]
    trimmed = length_before + 1 - a.info.length
    if trimmed > 0:
        parts.append(f"trimming removed {plural(trimmed, 'entry', 'entries')}")
    if b is None or b.info is None:
        parts[0] = f"XADD created {key} with {text(reply)}"
    parts += _group_changes(b, a)
    return "; ".join(parts)


def _xreadgroup(shape: Shape, reply, before: Observation, after: Observation,
                flows: list[Flow]) -> str | None:
    consumer, group = text(shape.consumer), text(shape.group)
    sentences: list[str] = []
    for index, key in enumerate(shape.keys):
        flow = next((f for f in flows if f.key == text(key)), None)
        history = index < len(shape.ids) and shape.ids[index] != b">"
        if flow is None:
            continue
        ids = [r.id for r in flow.rows]
        if history:
            if not ids:
                sentences.append(f"history read from {text(shape.ids[index])}: {consumer} has "
                                 f"nothing pending after it in {group}")
            else:
                # Redis adds one delivery only to entries still in the stream; a deleted
                # one comes back as nil with its count untouched (t_stream.c,
                # streamReplyWithRangeFromConsumerPEL).
                gone = sum(1 for r in flow.rows if r.change == "reread-deleted")
                counted = "delivery counts +1" if not gone else \
                    f"delivery counts +1 for the {len(ids) - gone} still in the stream"
                line = (f"re-read {plural(len(ids), 'pending entry', 'pending entries')} of "
                        f"{consumer} from {flow.key} ({counted})")
                if gone:
                    line += (f"; {gone} deleted from the stream came back as nil, "
                             "delivery count unchanged")
                sentences.append(line)
            continue
        if not ids:
            lag = flow.group_after.lag if flow.group_after else None
            sentences.append(f"found nothing new for {group} in {flow.key} (lag {_lag(lag)}); "
                             f"{consumer} got nil")
            continue
        noack = shape.noack
        line = (f"gave {consumer} {plural(len(ids), 'new entry', 'new entries')} of {flow.key} "
                f"({_ids(ids)})")
        if noack:
            line += " with NOACK: not added to the PEL"
        gb, ga = flow.group_before, flow.group_after
        if gb is not None and ga is not None and gb.lag != ga.lag:
            line += f"; {group} lag {_lag(gb.lag)} → {_lag(ga.lag)}"
        if not noack:
            line += f"; {consumer} now has {count(flow.owners_after.get(consumer, 0))} pending"
        sentences.append(line)
    if not sentences:
        return None
    return "XREADGROUP " + "; ".join(sentences)


def _min_idle(ms: int | None) -> str:
    if ms is None:
        return "?"
    return "any idle time (min-idle-time 0)" if ms == 0 else f"idle ≥ {duration(ms)}"


def _xack(flows: list[Flow], reply) -> str | None:
    if not flows:
        return None
    flow = flows[0]
    acked = [r for r in flow.rows if r.change == "acked"]
    missing = [r for r in flow.rows if r.change == "not-pending"]
    if not acked:
        ids = _ids([r.id for r in missing]) or "those IDs"
        return f"XACK removed nothing: {ids} {'was' if len(missing) == 1 else 'were'} not " \
               f"pending in {flow.group}"
    n = to_int(reply, len(acked)) or len(acked)
    what = acked[0].id if n == 1 else f"{count(n)} entries ({_ids([r.id for r in acked])})"
    line = f"XACK removed {what} from {flow.group}'s PEL"
    owners = _owners(flow, [r.before.consumer for r in acked if r.before])
    if owners:
        line += f"; {owners}"
    if missing:
        line += f"; {plural(len(missing), 'ID')} {'was' if len(missing) == 1 else 'were'} " \
                "not pending"
    return line


def _xclaim(shape: Shape, flows: list[Flow]) -> str | None:
    if not flows:
        return None
    flow = flows[0]
    claimed = [r for r in flow.rows if r.change in ("claimed", "created")]
    kept = [r for r in flow.rows if r.change == "kept"]
    dropped = [r for r in flow.rows if r.change == "dropped"]
    me = flow.consumer or "?"
    parts = []
    if claimed:
        sources = sorted({r.before.consumer for r in claimed if r.before})
        if len(claimed) == 1:
            r = claimed[0]
            counts = (f" (delivery {r.before.deliveries} → {r.after.deliveries})"
                      if r.before and r.after else "")
            parts.append(f"XCLAIM moved {r.id} from {', '.join(sources) or 'nobody'} to "
                         f"{me}{counts}")
        else:
            parts.append(f"XCLAIM moved {count(len(claimed))} entries "
                         f"({_ids([r.id for r in claimed])}) from "
                         f"{', '.join(sources) or 'nobody'} to {me}")
        parts.append(f"{me} now has {count(flow.owners_after.get(me, 0))} pending")
    else:
        parts.append("XCLAIM claimed nothing")
    if kept:
        r = kept[0]
        limit = duration(flow.min_idle_ms) if flow.min_idle_ms is not None else "?"
        parts.append(f"{_ids([k.id for k in kept])} stayed with "
                     f"{r.before.consumer if r.before else '?'} (idle "
                     f"{duration(r.before.idle_ms) if r.before else '?'} < {limit})")
    if dropped:
        parts.append(f"dropped {plural(len(dropped), 'deleted entry', 'deleted entries')} "
                     "from the PEL")
    if not claimed and not kept and not dropped:
        parts[0] += ": none of those IDs is pending"
    return "; ".join(parts)


def _xautoclaim(shape: Shape, flows: list[Flow], reply) -> str | None:
    if not flows:
        return None
    flow = flows[0]
    claimed = [r for r in flow.rows if r.change == "claimed"]
    dropped = [r for r in flow.rows if r.change == "dropped"]
    me = flow.consumer or "?"
    if claimed:
        sources = sorted({r.before.consumer for r in claimed if r.before})
        src = f" (from {', '.join(sources)})" if sources else ""
        parts = [(f"XAUTOCLAIM gave {me} {plural(len(claimed), 'entry', 'entries')} "
                  f"{_min_idle(flow.min_idle_ms)}{src}"),
                 f"{me} now has {count(flow.owners_after.get(me, 0))} pending"]
    else:
        parts = [(f"XAUTOCLAIM claimed nothing: no pending entry "
                  f"{_min_idle(flow.min_idle_ms)} from {text(shape.start)} on")]
    if dropped:
        parts.append(f"dropped {plural(len(dropped), 'deleted entry', 'deleted entries')}")
    if flow.cursor == "0-0":
        parts.append("cursor 0-0: scan complete")
    elif flow.cursor:
        parts.append(f"next cursor {flow.cursor}: run it again from there")
    return "; ".join(parts)


def _xgroup(shape: Shape, reply, b: StreamState | None, a: StreamState | None) -> str | None:
    key = text(shape.keys[0])
    group = text(shape.group)
    after_group: GroupInfo | None = a.group(group) if a is not None else None
    before_group: GroupInfo | None = b.group(group) if b is not None else None
    name = shape.name
    if name == "XGROUP CREATE" and after_group is not None:
        made = " (MKSTREAM created the empty stream)" if b is None or b.info is None else ""
        position = after_group.last_delivered_id
        if after_group.lag == 0:
            what = "it will read only entries added from now on"
        elif after_group.lag is None:
            what = "lag nil: Redis cannot tell how many entries it has to read"
        else:
            what = f"lag {count(after_group.lag)}: that many entries are waiting for it"
        return f"created group {group} on {key} at {position}{made}; {what}"
    if name == "XGROUP SETID" and after_group is not None:
        lag = (f"; lag {_lag(before_group.lag)} → {_lag(after_group.lag)}"
               if before_group is not None else "")
        return (f"{group} now reads after {after_group.last_delivered_id}{lag}; its PEL is "
                f"unchanged ({count(after_group.pending)} pending)")
    if name == "XGROUP DESTROY":
        if to_int(reply) == 1:
            pending = before_group.pending if before_group is not None else 0
            return (f"destroyed group {group}: its consumers and PEL are gone "
                    f"({plural(pending, 'pending entry', 'pending entries')} forgotten)")
        return f"no group {group} on {key}: nothing destroyed"
    consumer = text(shape.consumer)
    if name == "XGROUP CREATECONSUMER":
        if to_int(reply) == 1:
            return f"created consumer {consumer} in {group} (0 pending)"
        return f"{consumer} already exists in {group}: nothing changed"
    if name == "XGROUP DELCONSUMER":
        n = to_int(reply, 0) or 0
        if n:
            return (f"deleted consumer {consumer} from {group}: its "
                    f"{plural(n, 'pending entry', 'pending entries')} left the PEL without an "
                    "XACK and will not be delivered again")
        return f"deleted consumer {consumer} from {group} (it had nothing pending)"
    return None


def _removal(shape: Shape, reply, b: StreamState | None, a: StreamState | None) -> str | None:
    key = text(shape.keys[0])
    n = to_int(reply, 0) or 0
    if a is None or a.info is None:
        if n:
            return f"{shape.name} removed {plural(n, 'entry', 'entries')}; {key} is gone"
        return None
    if not n:
        return f"{shape.name} removed nothing from {key}"
    parts = [(f"{shape.name} removed {plural(n, 'entry', 'entries')} from {key} "
              f"(length {count(a.info.length)})")]
    if shape.name == "XDEL":
        parts.append(f"max-deleted-entry-id {a.info.max_deleted_entry_id}")
    parts += _group_changes(b, a)
    pending = sum(g.pending for g in a.groups.values())
    if pending:
        parts.append("pending entries that pointed at them stay in the PEL until XACKed")
    return "; ".join(parts)

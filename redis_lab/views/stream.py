"""StreamView: a stream's vital signs and newest entries, with each group's read position.

    ╭─ stream orders ─────────────────────────────────────────────╮
    │ length 3 · entries-added 4 · groups 1                        │
    │ last-generated-id 1700000000003-0 · max-deleted-entry-id 0-0 │
    │ …                                                            │
    │ 1700000000001-0  22:13:20.001  item=book qty=1               │
    │   ▲ g1 read up to here · lag 2 · 1 pending                   │
    │ 1700000000002-0  22:13:20.002  item=pen qty=3                │
    ╰──────────────────────────────────────────────────────────────╯

Built from a StreamSnapshot (XINFO STREAM, XINFO GROUPS, XREVRANGE); knows nothing of Redis.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from . import style
from ._render import FramedView, NARROW, kv, line, missing_stream_body, note, pack
from .humanize import count, duration, id_ms, id_time, is_zero_id, parse_id, plural
from .snapshots import Entry, GroupInfo, StreamSnapshot


class StreamView(FramedView):
    """Render a StreamSnapshot.

    Args:
        snapshot: what gather_stream() returned.
        title: the frame's title (default ``stream KEY``).
    """

    def __init__(self, snapshot: StreamSnapshot, *, title: str | None = None) -> None:
        self.snapshot = snapshot
        where = f" · {snapshot.node}" if snapshot.node else ""   # which cluster node holds it
        self.title = title or f"stream {snapshot.key}{where}"

    # ----------------------------------------------------------------------------------------
    def body(self, width: int) -> Group:
        snap = self.snapshot
        missing = missing_stream_body(snap)
        if missing is not None:
            return missing
        info = snap.info
        parts: list = pack([
            kv("length", count(info.length), style.COUNT),
            kv("entries-added", count(info.entries_added), style.COUNT),
            kv("groups", str(info.groups), style.COUNT),
        ], width)
        last = kv("last", info.last_entry.id if info.last_entry else "(none)", style.ID)
        if info.last_entry is not None and snap.now_ms is not None:
            ms = id_ms(info.last_entry.id)
            if ms >= 100_000_000_000 and snap.now_ms >= ms:
                last.append(f" ({duration(snap.now_ms - ms)} ago)", style.DIM)
        parts += pack([
            kv("first", info.first_entry.id if info.first_entry else "(none)", style.ID), last,
        ], width)
        md_style = style.DELETED if not is_zero_id(info.max_deleted_entry_id) else style.ID
        parts += pack([
            kv("last-generated-id", info.last_generated_id, style.ID),
            kv("max-deleted-entry-id", info.max_deleted_entry_id, md_style),
        ], width)
        if info.length == 0:
            parts.append(note("no entries" + (
                f" (last-generated-id {info.last_generated_id} stays: new IDs must be greater)"
                if not is_zero_id(info.last_generated_id) else "")))
            parts += [self._marker(g, None, top=True) for g in snap.groups]
            return Group(*parts)
        parts.append(Text(""))
        parts += self._entry_lines(width)
        return Group(*parts)

    def _entry_lines(self, width: int) -> list[Text]:
        snap = self.snapshot
        entries = snap.entries
        id_w = max((len(e.id) for e in entries), default=15)
        if width >= NARROW + 20:
            time_mode: str | None = "date"
        elif width >= NARROW - 8:
            time_mode = "time"
        else:
            time_mode = None
        out: list[Text] = []
        if snap.hidden_before:
            out.append(Text(f"… {plural(snap.hidden_before, 'older entry', 'older entries')}",
                            style=style.DIM))
        keys = [parse_id(e.id) for e in entries]
        above: list[GroupInfo] = []
        after: dict[int, list[GroupInfo]] = {}
        for group in snap.groups:
            position = parse_id(group.last_delivered_id)
            if not keys or position < keys[0]:
                above.append(group)
                continue
            index = max(i for i, k in enumerate(keys) if k <= position)
            after.setdefault(index, []).append(group)
        short = width < NARROW
        out += [self._marker(g, None, top=True, further=bool(snap.hidden_before), short=short)
                for g in above]
        for i, entry in enumerate(entries):
            out.append(self._entry_line(entry, id_w, time_mode))
            for group in after.get(i, []):
                out.append(self._marker(group, entry, short=short))
        return out

    def _entry_line(self, entry: Entry, id_w: int, time_mode: str | None) -> Text:
        parts: list = [(entry.id.ljust(id_w), style.ID), "  "]
        if time_mode is not None:
            parts += [(id_time(entry.id, date=time_mode == "date"), style.TIME), "  "]
        text = line(*parts)
        if entry.fields is None:
            text.append("(deleted)", style.DELETED)
            return text
        for j, (name, value) in enumerate(entry.fields):
            if j:
                text.append(" ")
            text.append(name, style.FIELD)
            text.append("=", style.DIM)
            text.append(value, style.VALUE)
        return text

    def _marker(self, group: GroupInfo, entry: Entry | None, *, top: bool = False,
                further: bool = False, short: bool = False) -> Text:
        text = line(("  ▲ " if not top else "  ▼ ", style.GROUP), (group.name, style.GROUP))
        if short:
            pass
        elif entry is not None and entry.id == group.last_delivered_id:
            text.append(" read up to here", style.DIM)
        elif top and is_zero_id(group.last_delivered_id):
            text.append(" at 0-0: has read nothing yet", style.DIM)
        elif top and further:
            text.append(f" at {group.last_delivered_id} (further back)", style.DIM)
        elif top:
            text.append(f" at {group.last_delivered_id}: has read none of these", style.DIM)
        else:
            text.append(" at ", style.DIM)
            text.append(group.last_delivered_id, style.ID)
        text.append(" · ", style.DIM)
        if group.lag is None:
            text.append("lag nil", style.CLAIMABLE)
        else:
            text.append(f"lag {count(group.lag)}", style.BAR_LAG)
        text.append(" · ", style.DIM)
        text.append(plural(group.pending, "pending", "pending"), style.BAR_PENDING)
        return text

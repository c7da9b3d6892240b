"""LagView: how far behind each consumer group is, and how its pending work is spread.

Per group: last-delivered-id, entries-read, lag (entries not yet delivered to the group) and
pending (delivered, not acknowledged), with bars on one scale so the group that is behind
stands out. When Redis reports lag as nil the view says why. Per consumer: pending (a bar, so an
overloaded consumer stands out), idle, and flags: *stuck?* (has pending entries and has been
idle at least the claim threshold), *overloaded* (at least twice the group's average pending).

Built from a LagSnapshot (XINFO STREAM, XINFO GROUPS, XINFO CONSUMERS).
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from . import style
from ._render import (FramedView, 
    NARROW, fit, indent, kv, line, missing_stream_body, note, pack,
)
from .humanize import bar, count, duration, plural
from .snapshots import ConsumerInfo, GroupLag, LagSnapshot

#: Consumers listed per group before "… N more consumers".
MAX_CONSUMERS = 8


def consumer_flags(consumer: ConsumerInfo, group: GroupLag, claim_idle_ms: int) -> list[str]:
    """``stuck?`` and/or ``overloaded`` for one consumer of a group."""
    flags = []
    if consumer.pending and consumer.idle_ms >= claim_idle_ms > 0:
        flags.append("stuck?")
    members = group.consumers
    total = sum(c.pending for c in members)
    if (len(members) >= 2 and consumer.pending >= 2 and total
            and consumer.pending * len(members) >= 2 * total):
        flags.append("overloaded")
    return flags


class LagView(FramedView):
    """Render a LagSnapshot.

    Args:
        snapshot: what gather_lag() returned.
        max_consumers: consumers listed per group (the busiest when there are more).
        title: the frame's title (default ``lag KEY``).
    """

    def __init__(self, snapshot: LagSnapshot, *, max_consumers: int = MAX_CONSUMERS,
                 title: str | None = None) -> None:
        self.snapshot = snapshot
        self.max_consumers = max(max_consumers, 1)
        self.title = title or f"consumer lag {snapshot.key}"

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
            kv("last-generated-id", info.last_generated_id, style.ID),
        ], width)
        if not snap.groups:
            parts.append(note(f"no consumer groups: XGROUP CREATE {snap.key} g1 $ creates one"))
            return Group(*parts)
        parts.append(Text(""))
        if width < NARROW:
            parts += self._groups_narrow(width)
        else:
            parts += self._groups_wide(width)
        for group in snap.groups:
            parts += self._consumers(group, width)
        return Group(*parts)

    def _scale(self) -> int:
        values = [g.group.pending for g in self.snapshot.groups]
        values += [g.group.lag for g in self.snapshot.groups if g.group.lag]
        return max(values + [1])

    def _lag_text(self, group: GroupLag) -> tuple[str, str]:
        lag = group.group.lag
        if lag is None:
            return "nil", style.CLAIMABLE
        return count(lag), (style.BAR_LAG if lag else style.GOOD)

    def _groups_wide(self, width: int) -> list:
        groups = self.snapshot.groups
        name_w = max(max(len(g.group.name) for g in groups), len("group"))
        ld_w = max(max(len(g.group.last_delivered_id) for g in groups), len("last-delivered-id"))
        er_w = len("entries-read")
        num_w = max(max(len(self._lag_text(g)[0]) for g in groups),
                    max(len(count(g.group.pending)) for g in groups), 3)
        fixed = name_w + ld_w + er_w + 2 * num_w + 2 * 6
        bar_w = max(min((width - fixed) // 2, 16), 0)
        scale = self._scale()
        lag_col = num_w + 1 + bar_w
        header = (f"{'group':<{name_w}}  {'last-delivered-id':<{ld_w}}  "
                  f"{'entries-read':>{er_w}}  {'lag':<{lag_col}}  pending")
        out = [line((header, style.LABEL))]
        notes = []
        for g in groups:
            info = g.group
            lag_text, lag_style = self._lag_text(g)
            er = "nil" if info.entries_read is None else count(info.entries_read)
            lag_bar = bar(info.lag or 0, scale, bar_w)
            pend_bar = bar(info.pending, scale, bar_w)
            out.append(line(
                (fit(info.name, name_w).ljust(name_w), style.GROUP), "  ",
                (info.last_delivered_id.ljust(ld_w), style.ID), "  ",
                (er.rjust(er_w), style.DIM if info.entries_read is None else style.VALUE), "  ",
                (lag_text.rjust(num_w), lag_style), " ",
                (lag_bar.ljust(bar_w), style.BAR_LAG), "  ",
                (count(info.pending).rjust(num_w), style.VALUE), " ",
                (pend_bar, style.BAR_PENDING)))
            notes += self._reasons(g)
        return out + notes

    def _groups_narrow(self, width: int) -> list:
        scale = self._scale()
        bar_w = max(width - 12, 4)
        out: list = []
        for g in self.snapshot.groups:
            info = g.group
            lag_text, lag_style = self._lag_text(g)
            out += pack([Text(info.name, style=style.GROUP), kv("lag", lag_text, lag_style),
                         kv("pending", count(info.pending), style.VALUE)], width)
            out += pack([kv("last-delivered-id", info.last_delivered_id, style.ID),
                         kv("entries-read", "nil" if info.entries_read is None
                            else count(info.entries_read))], width)
            if info.lag:
                out.append(line(("  lag     ", style.LABEL),
                                (bar(info.lag, scale, bar_w), style.BAR_LAG)))
            if info.pending:
                out.append(line(("  pending ", style.LABEL),
                                (bar(info.pending, scale, bar_w), style.BAR_PENDING)))
            out += self._reasons(g)
        return out

    def _reasons(self, g: GroupLag) -> list:
        out: list = []
        if g.nil_reason:
            out.append(indent(Text.assemble((f"{g.group.name} lag nil: ", style.CLAIMABLE),
                                            (g.nil_reason, style.NOTE))))
        if g.negative_reason:
            out.append(indent(Text.assemble((f"{g.group.name} lag negative: ",
                                             style.CLAIMABLE),
                                            (g.negative_reason, style.NOTE))))
        return out

    def _consumers(self, g: GroupLag, width: int) -> list:
        out: list = [Text("")]
        members = g.consumers
        total = sum(c.pending for c in members)
        title = line((g.group.name, style.GROUP), " · ",
                     (plural(len(members), "consumer"), style.VALUE), " · ",
                     (plural(total, "pending", "pending"), style.VALUE))
        out.append(title)
        if not members:
            out.append(indent(note("no consumers yet: XREADGROUP GROUP "
                                   f"{g.group.name} <consumer> STREAMS {self.snapshot.key} > "
                                   "creates one")))
            return out
        shown = members
        if len(members) > self.max_consumers:
            shown = sorted(members, key=lambda c: (-c.pending, -c.idle_ms, c.name))
            shown = shown[: self.max_consumers]
        claim = self.snapshot.claim_idle_ms
        narrow = width < NARROW
        pending_label = "pend" if narrow else "pending"
        name_w = min(max(max(len(c.name) for c in shown), len("consumer")), 20)
        num_w = max(max(len(count(c.pending)) for c in shown), len(pending_label))
        idle_w = max(max(len(duration(c.idle_ms)) for c in shown), len("idle"))
        inactive = any(c.inactive_ms is not None for c in members)
        flags_w = max((len(" ".join(consumer_flags(c, g, claim))) for c in shown), default=0)
        fixed = 2 + name_w + 2 + num_w + 1 + 2 + idle_w + 2 + flags_w
        if inactive:
            fixed += 2 + 9
        bar_w = max(min(width - fixed, 20), 0)
        if bar_w < 4:
            bar_w = 0
        scale = max([c.pending for c in shown] + [1])
        header = (f"  {fit('consumer', name_w):<{name_w}}  {pending_label:>{num_w}} "
                  f"{'':<{bar_w}}  {'idle':>{idle_w}}")
        if inactive:
            header += f"  {'inactive':>9}"
        out.append(line((header, style.LABEL)))
        for c in shown:
            flags = consumer_flags(c, g, claim)
            idle_style = style.STUCK if "stuck?" in flags else style.VALUE
            row = line("  ", (fit(c.name, name_w).ljust(name_w), style.CONSUMER), "  ",
                       (count(c.pending).rjust(num_w), style.VALUE), " ",
                       (bar(c.pending, scale, bar_w).ljust(bar_w),
                        style.OVERLOADED if "overloaded" in flags else style.BAR_PENDING), "  ",
                       (duration(c.idle_ms).rjust(idle_w), idle_style))
            if inactive:
                shown_inactive = ("-" if c.inactive_ms is None or c.inactive_ms < 0
                                  else duration(c.inactive_ms))
                row.append("  " + shown_inactive.rjust(9), style.VALUE)
            for flag in flags:
                row.append("  " if flag == flags[0] else " ")
                row.append(flag, style.STUCK if flag == "stuck?" else style.OVERLOADED)
            out.append(row)
        if len(members) > len(shown):
            rest = len(members) - len(shown)
            rest_pending = total - sum(c.pending for c in shown)
            out.append(Text(f"  … {plural(rest, 'more consumer')} with "
                            f"{count(rest_pending)} pending", style=style.DIM))
        legend = []
        if any("stuck?" in consumer_flags(c, g, claim) for c in shown):
            legend.append(f"stuck?: has pending entries and idle ≥ {duration(claim)}; "
                          "another consumer can XAUTOCLAIM them")
        if any("overloaded" in consumer_flags(c, g, claim) for c in shown):
            legend.append("overloaded: at least twice the group's average pending")
        out += [indent(note(text)) for text in legend]
        return out

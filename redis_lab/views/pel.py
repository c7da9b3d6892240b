"""PelView: a consumer group's Pending Entries List, one row per entry, with what to do about it.

    ╭─ PEL orders › g1 ──────────────────────────────────────────╮
    │ 3 pending · lowest 1700000000000-0 · highest 1700000000002-0 │
    │ c1 2 · c2 1                                                  │
    │ ID               consumer  idle   deliveries  flags          │
    │ 1700000000000-0  c1        1m05s           4  claimable poison?│
    │ … 9,850 more pending entries                                 │
    │ 1700000000002-0  c2        0ms             1  deleted        │
    ╰──────────────────────────────────────────────────────────────╯

Flags: *claimable* (idle at least the claim threshold: XAUTOCLAIM would take it), *poison?*
(delivered more times than the threshold: probably fails every time), *deleted* (the entry left
the stream but is still pending). Long PELs arrive windowed from the snapshot (head and tail);
the "… N more" line stands for the rest.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from . import style
from ._render import FramedView, error_body, fit, kv, line, more, note, pack
from .humanize import count, duration, plural
from .snapshots import PelSnapshot, PendingRow

#: Consumers named in the summary line before "+N more".
MAX_OWNERS = 12


class PelView(FramedView):
    """Render a PelSnapshot.

    Args:
        snapshot: what gather_pel() returned.
        title: the frame's title (default ``PEL KEY › GROUP``).
        legend: explain the flags that appear under the table.
    """

    def __init__(self, snapshot: PelSnapshot, *, title: str | None = None,
                 legend: bool = True) -> None:
        self.snapshot = snapshot
        self.title = title or f"PEL {snapshot.key} › {snapshot.group}"
        self.legend = legend

    def body(self, width: int) -> Group:
        snap = self.snapshot
        if snap.error:
            hint = None
            if snap.error.startswith("NOGROUP"):
                hint = (f"XGROUP CREATE {snap.key} {snap.group} $ MKSTREAM creates the group "
                        "(and the stream)")
            return error_body(snap.error, hint)
        if not snap.total:
            return Group(note("nothing pending: every entry delivered to this group has been "
                              "acknowledged (or none was delivered yet)"))
        parts: list = pack([
            Text(plural(snap.total, "pending", "pending"), style=style.COUNT),
            kv("lowest", snap.lowest or "-", style.ID),
            kv("highest", snap.highest or "-", style.ID),
        ], width)
        owners = [Text.assemble((name, style.CONSUMER), " ", (count(n), style.COUNT))
                  for name, n in snap.consumers[:MAX_OWNERS]]
        if len(snap.consumers) > MAX_OWNERS:
            owners.append(Text(f"+{len(snap.consumers) - MAX_OWNERS} more consumers",
                               style=style.DIM))
        parts += pack(owners, width)[:3]
        if snap.claim_idle_ms > 0:
            shown = count(snap.claimable) + ("+" if snap.claimable_capped else "")
            parts += pack([kv("claimable", shown, style.CLAIMABLE if snap.claimable
                              else style.COUNT),
                           Text(f"idle ≥ {duration(snap.claim_idle_ms)}", style=style.DIM)],
                          width)
        parts += self._table(width)
        if self.legend:
            parts += self._legend(width)
        return Group(*parts)

    # ----------------------------------------------------------------------------------------
    def _flags(self, row: PendingRow, narrow: bool) -> list[tuple[str, str]]:
        snap = self.snapshot
        flags = []
        if snap.is_claimable(row):
            flags.append(("C" if narrow else "claimable", style.CLAIMABLE))
        if snap.is_poison(row):
            flags.append(("P" if narrow else "poison?", style.POISON))
        if row.deleted:
            flags.append(("D" if narrow else "deleted", style.DELETED))
        return flags

    def _table(self, width: int) -> list[Text]:
        snap = self.snapshot
        rows = snap.head + snap.tail
        id_w = max(len(r.id) for r in rows)
        cons_w = min(max(max(len(r.consumer) for r in rows), len("consumer")), 16)
        idle_w = max(max(len(duration(r.idle_ms)) for r in rows), 4)
        flags_w = max(len(" ".join(f for f, _ in self._flags(r, False))) for r in rows)
        gap = 2
        narrow = False
        deliveries = "deliveries"
        dlv_w = max(max(len(str(r.deliveries)) for r in rows), len(deliveries))

        def needed() -> int:
            return id_w + cons_w + idle_w + dlv_w + flags_w + 4 * gap

        if needed() > width:
            gap = 1
        if needed() > width:
            cons_w = max(min(cons_w, width - (needed() - cons_w)), 8)
        if needed() > width:
            narrow = True
            deliveries = "dlv"
            dlv_w = max(max(len(str(r.deliveries)) for r in rows), len(deliveries))
            flags_w = 3
            cons_w = max(min(max(len(r.consumer) for r in rows), 16,
                             width - (needed() - cons_w)), 3)
        self._narrow = narrow
        pad = " " * gap
        heading = (f"{'ID':<{id_w}}{pad}{fit('consumer', cons_w):<{cons_w}}{pad}"
                   f"{'idle':>{idle_w}}{pad}{deliveries:>{dlv_w}}{pad}"
                   f"{'flags' if not narrow else ''}")
        header = line((heading, style.LABEL))
        out = [Text(""), header]

        def render(row: PendingRow) -> Text:
            text = line((row.id.ljust(id_w), style.ID), pad,
                        (fit(row.consumer, cons_w).ljust(cons_w), style.CONSUMER), pad,
                        (duration(row.idle_ms).rjust(idle_w), style.VALUE), pad,
                        (str(row.deliveries).rjust(dlv_w), style.VALUE))
            flags = self._flags(row, narrow)
            if flags:
                text.append(pad)
            for i, (flag, flag_style) in enumerate(flags):
                if i and not narrow:
                    text.append(" ")
                text.append(flag, flag_style)
            return text

        out += [render(r) for r in snap.head]
        if snap.hidden:
            out.append(more(snap.hidden, "pending " + ("entry" if snap.hidden == 1
                                                         else "entries")))
        out += [render(r) for r in snap.tail]
        return out

    def _legend(self, width: int) -> list[Text]:
        snap = self.snapshot
        rows = snap.head + snap.tail
        ms = snap.claim_idle_ms
        if getattr(self, "_narrow", False):
            pieces = []
            if any(snap.is_claimable(r) for r in rows):
                pieces.append(Text.assemble(("C", style.CLAIMABLE),
                                            f" claimable (idle ≥ {duration(ms)})"))
            if any(snap.is_poison(r) for r in rows):
                pieces.append(Text.assemble(("P", style.POISON),
                                            f" poison? (> {snap.poison_deliveries} deliveries)"))
            if any(r.deleted for r in rows):
                pieces.append(Text.assemble(("D", style.DELETED), " deleted from the stream"))
            return pack(pieces, width)
        narrow = False
        out: list[Text] = []
        if any(snap.is_claimable(r) for r in rows):
            out.append(note(f"{'C' if narrow else 'claimable'}: idle ≥ {duration(ms)}; "
                            f"XAUTOCLAIM {snap.key} {snap.group} <consumer> {ms} 0-0 takes "
                            "them over"))
        if any(snap.is_poison(r) for r in rows):
            out.append(note(f"{'P' if narrow else 'poison?'}: delivered more than "
                            f"{snap.poison_deliveries} times; it may fail every time (XACK "
                            "it and XADD it to a dead-letter stream)"))
        if any(r.deleted for r in rows):
            out.append(note(f"{'D' if narrow else 'deleted'}: gone from the stream but still "
                            "pending; XACK it (XCLAIM and XAUTOCLAIM drop it)"))
        return out

"""FlowView: what one XREADGROUP, XACK, XCLAIM or XAUTOCLAIM did to a group's PEL.

    ⇄ XCLAIM orders › g1 · by bob
      1700000000000-0  c1 ──▶ c2   idle 1m05s · delivery 1 → 2
      1700000000001-0  c1 ──✗      deleted from the stream: removed from the PEL
      PEL 3 → 2 · c1 3 → 1 · c2 0 → 1

Compact on purpose: it prints under the command's reply. Built from a Flow (observe.py).
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text

from . import style
from ._render import fit, line, more, pack
from .humanize import count, duration
from .observe import Flow, FlowRow

#: Rows shown before "… N more".
MAX_ROWS = 12


def _arrow(row: FlowRow, flow: Flow) -> tuple[str, str, str, str]:
    """(from, arrow, to, note) for one row."""
    b, a = row.before, row.after
    me = flow.consumer or "?"
    change = row.change
    if change == "delivered":
        if b is not None:
            return "", "──▶", me, "already pending: delivery count reset to 1"
        return "", "──▶", me, f"new · delivery {a.deliveries if a else 1}"
    if change == "moved":
        return (b.consumer if b else "?"), "──▶", me, (
            "was pending for " + (b.consumer if b else "?") + " · delivery count reset to 1")
    if change == "noack":
        return "", "──▶", me, "NOACK: not added to the PEL"
    if change == "reread":
        counts = f"delivery {b.deliveries} → {a.deliveries}" if b and a else "delivery +1"
        return me, "⟲", "", f"history read · {counts}"
    if change == "reread-deleted":
        return me, "⟲", "", "deleted from the stream: returned as nil, still pending"
    if change == "acked":
        return (b.consumer if b else "?"), "──✓", "", "acknowledged: left the PEL"
    if change == "not-pending":
        what = "nothing to acknowledge" if flow.command == "XACK" else "nothing to claim"
        return "·", "", "", f"not pending in {flow.group}: {what}"
    if change in ("claimed", "created"):
        to = a.consumer if a else me
        if b is None:
            return "", "──▶", to, "FORCE: added to the PEL"
        counts = (f"delivery {b.deliveries} → {a.deliveries}" if a else "")
        note = f"idle {duration(b.idle_ms)}" + (f" · {counts}" if counts else "")
        return b.consumer, "──▶", to, note
    if change == "kept":
        limit = duration(flow.min_idle_ms) if flow.min_idle_ms is not None else "?"
        idle = duration(b.idle_ms) if b else "?"
        owner = b.consumer if b else "?"
        return owner, "", "", f"idle {idle} < min-idle-time {limit}: stays with {owner}"
    if change == "dropped":
        return (b.consumer if b else "?"), "──✗", "", "deleted from the stream: removed from the PEL"
    return "", "", "", change


_NOTE_STYLE = {
    "acked": style.GOOD, "dropped": style.DELETED, "reread-deleted": style.DELETED,
    "not-pending": style.DIM, "kept": style.DIM, "noack": style.CLAIMABLE,
    "moved": style.CLAIMABLE,
}


class FlowView:
    """Render a Flow.

    Args:
        flow: from observe.flows().
        max_rows: ID rows shown before "… N more".
    """

    def __init__(self, flow: Flow, *, max_rows: int = MAX_ROWS) -> None:
        self.flow = flow
        self.max_rows = max(max_rows, 1)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.body(options.max_width)

    def body(self, width: int) -> Group:
        flow = self.flow
        title = line(("⇄ ", style.ARROW), (flow.command, style.TITLE), " ",
                     (flow.key, style.VALUE), (" › ", style.DIM), (flow.group, style.GROUP),
                     (" · by ", style.DIM), (flow.actor, style.CLIENT))
        parts: list = [title]
        rows = flow.rows
        if not rows:
            parts.append(line(("  ", ""), (self._nothing(), style.DIM)))
        shown = rows[: self.max_rows]
        cells = [_arrow(r, flow) for r in shown]
        id_w = max([len(r.id) for r in shown] + [0])
        from_w = min(max([len(c[0]) for c in cells] + [0]), 14)
        to_w = min(max([len(c[2]) for c in cells] + [0]), 14)
        for row, (src, arrow, dst, note) in zip(shown, cells):
            text = line("  ", (row.id.ljust(id_w), style.ID), "  ",
                        (fit(src, from_w).rjust(from_w), style.CONSUMER if src != "·"
                         else style.DIM), " ",
                        (arrow.ljust(3), style.DELETED if "✗" in arrow else
                         style.GOOD if "✓" in arrow else style.ARROW), " ",
                        (fit(dst, to_w).ljust(to_w), style.CONSUMER), "  ",
                        (note, _NOTE_STYLE.get(row.change, style.VALUE)))
            parts.append(text)
        hidden = len(rows) - len(shown) + flow.more
        if hidden:
            parts.append(line("  ", more(hidden, "IDs")))
        summary = self._summary()
        if summary:
            parts += [line("  ", piece) for piece in pack(summary, max(width - 2, 20))]
        return Group(*parts)

    def _nothing(self) -> str:
        flow = self.flow
        if flow.command == "XREADGROUP":
            return "nothing delivered"
        if flow.command == "XAUTOCLAIM":
            return "nothing claimed"
        return "no change"

    def _summary(self) -> list[Text]:
        flow = self.flow
        pieces: list[Text] = []
        if flow.pel_before is not None and flow.pel_after is not None:
            pieces.append(Text.assemble(("PEL ", style.LABEL),
                                        _change(flow.pel_before, flow.pel_after)))
        names = sorted(set(flow.owners_before) | set(flow.owners_after))
        for name in names:
            was, now = flow.owners_before.get(name, 0), flow.owners_after.get(name, 0)
            if was != now:
                pieces.append(Text.assemble((name + " ", style.CONSUMER), _change(was, now)))
        gb, ga = flow.group_before, flow.group_after
        if gb is not None and ga is not None:
            if gb.last_delivered_id != ga.last_delivered_id:
                pieces.append(Text.assemble(("last-delivered-id ", style.LABEL),
                                            (ga.last_delivered_id, style.ID)))
            if gb.lag != ga.lag:
                pieces.append(Text.assemble(("lag ", style.LABEL),
                                            _change(gb.lag, ga.lag)))
        if flow.cursor is not None:
            if flow.cursor == "0-0":
                pieces.append(Text("cursor 0-0: scan complete", style=style.DIM))
            else:
                pieces.append(Text(f"next cursor {flow.cursor}: run it again from there",
                                   style=style.DIM))
        return pieces


def _change(was: int | None, now: int | None) -> Text:
    def show(value: int | None) -> str:
        return "nil" if value is None else count(value)

    if was == now:
        return Text(show(now), style=style.VALUE)
    return Text.assemble((show(was), style.DIM), (" → ", style.ARROW), (show(now), style.COUNT))

"""FanoutView: who a PUBLISH reaches -- publisher, channel, every subscribing client.

    bob ─▶ chat ─┬─▶ alice
                 ├─▶ bob
                 └─▶ carol  via ch*
    PUBLISH ─▶ news ──▶ nobody: a message published here is gone

Pattern subscribers appear under every active channel their pattern matches (and once more in
the pattern list). After a PUBLISH the header names the receivers of that message, and a
message that reached nobody is called out: Pub/Sub keeps nothing.

Built from a FanoutSnapshot (PUBSUB CHANNELS / NUMSUB / NUMPAT and the shell's registry).
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from . import style
from ._render import FramedView, line, note, pack
from .humanize import plural
from .snapshots import ChannelFan, Delivery, FanoutSnapshot, PublishRecord

#: Receivers drawn per channel before "… N more".
MAX_RECEIVERS = 12


def _quote(message: str, limit: int = 24) -> str:
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return '"' + message.replace('"', '\\"') + '"'


class FanoutView(FramedView):
    """Render a FanoutSnapshot.

    Args:
        snapshot: what gather_fanout() returned.
        max_receivers: receivers drawn per channel.
        title: the frame's title.
    """

    def __init__(self, snapshot: FanoutSnapshot, *, max_receivers: int = MAX_RECEIVERS,
                 title: str | None = None) -> None:
        self.snapshot = snapshot
        self.max_receivers = max(max_receivers, 1)
        if title is None:
            title = "pub/sub fan-out" + (f" {snapshot.focus}" if snapshot.focus else "")
        self.title = title

    # ----------------------------------------------------------------------------------------
    def body(self, width: int) -> Group:
        snap = self.snapshot
        parts: list = []
        last = snap.last_publish
        if last is not None and (snap.focus is None or snap.focus == last.channel):
            parts.append(self._last_line(last))
            parts.append(Text(""))
        fans = snap.channels
        if not fans and not snap.patterns:
            parts.append(note("nobody is subscribed. Subscribe as another client, e.g. "
                              "@alice SUBSCRIBE chat, then PUBLISH chat hello"))
            return Group(*parts)
        left_w = max([len("SPUBLISH" if any(f.shard for f in fans) else "PUBLISH")]
                     + [len(self._publisher(f)) for f in fans])
        chan_w = max([len(f.name) for f in fans] + [1])
        for fan in fans:
            parts += self._fan_lines(fan, left_w, chan_w)
        if snap.patterns:
            parts.append(Text(""))
            pieces = [Text.assemble((pattern, style.PATTERN), (" ◂ ", style.ARROW),
                                    (", ".join(labels), style.CLIENT))
                      for pattern, labels in snap.patterns]
            head = Text(f"patterns (PUBSUB NUMPAT {snap.numpat}):", style=style.LABEL)
            parts += pack([head] + pieces, width, sep="  ")
        if any(f.via_pattern for f in fans):
            parts.append(note("PUBSUB NUMSUB counts only subscribers by name; pattern "
                              "subscribers get their copy too (as pmessage)"))
        return Group(*parts)

    def _publisher(self, fan: ChannelFan) -> str:
        last = self.snapshot.last_publish
        if last is not None and last.shard == fan.shard and last.channel == fan.name:
            return last.publisher
        return "SPUBLISH" if fan.shard else "PUBLISH"

    def _last_line(self, last: PublishRecord) -> Text:
        command = "SPUBLISH" if last.shard else "PUBLISH"
        text = line((last.publisher, style.CLIENT), (" ▶ ", style.ARROW),
                    (f"{command} ", style.LABEL), (last.channel, style.CHANNEL), " ",
                    (_quote(last.message), style.VALUE), (" → ", style.ARROW), wrap=True)
        if last.receivers == 0:
            text.append("0 receivers — the message is gone", style.LOST)
            return text
        text.append(plural(last.receivers, "receiver"), style.RECEIVED)
        names = [d.label + (f" (via {d.pattern})" if d.pattern else "")
                 for d in last.deliveries]
        if names:
            text.append(": " + ", ".join(names), style.CLIENT)
        return text

    def _received(self, fan: ChannelFan, delivery: Delivery) -> bool:
        last = self.snapshot.last_publish
        return (last is not None and last.shard == fan.shard and last.channel == fan.name
                and delivery in last.deliveries)

    def _fan_lines(self, fan: ChannelFan, left_w: int, chan_w: int) -> list[Text]:
        publisher = self._publisher(fan)
        pub_style = style.CLIENT if publisher not in ("PUBLISH", "SPUBLISH") else style.LABEL
        head = [(publisher.rjust(left_w), pub_style), (" ─▶ ", style.ARROW),
                (fan.name.ljust(chan_w), style.CHANNEL)]
        receivers = [Delivery(label) for label in fan.direct] + list(fan.via_pattern)
        unknown = fan.numsub - len(fan.direct)
        if unknown > 0:   # connections the shell does not know (another program on a real server)
            receivers.append(Delivery(f"{plural(unknown, 'other connection')}"))
        if not receivers:
            last = self.snapshot.last_publish
            lost = (last is not None and last.channel == fan.name and last.shard == fan.shard
                    and last.receivers == 0)
            return [line(*head, (" ──▶ ", style.ARROW),
                         ("✗ nobody: 0 receivers — the message is gone" if lost
                          else "nobody: a message published here is gone",
                          style.LOST if lost else style.DIM),
                         (f"   ({fan.node})" if fan.node else "", style.DIM))]
        shown = receivers[: self.max_receivers]
        hidden = len(receivers) - len(shown)
        out = []
        pad = " " * (left_w + 4 + chan_w)
        for i, delivery in enumerate(shown):
            last_row = i == len(shown) - 1 and not hidden
            if len(receivers) == 1:
                branch = " ──▶ "
            elif i == 0:
                branch = " ─┬─▶ "
            elif last_row:
                branch = "  └─▶ "
            else:
                branch = "  ├─▶ "
            got = self._received(fan, delivery)
            parts = head if i == 0 else [(pad, "")]
            text = line(*parts, (branch, style.ARROW),
                        (delivery.label, style.RECEIVED if got else style.CLIENT))
            if delivery.pattern:
                text.append(" via ", style.DIM)
                text.append(delivery.pattern, style.PATTERN)
            if got:
                text.append(" ✓", style.RECEIVED)
            if i == 0 and fan.node:
                text.append(f"   ({fan.node})", style.DIM)
            out.append(text)
        if hidden:
            out.append(line((pad, ""), ("  └─▶ ", style.ARROW),
                            (f"… {plural(hidden, 'more receiver')}", style.DIM)))
        return out

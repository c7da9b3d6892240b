"""Watches and the ViewSession: what the shell calls to show, pin, narrate and export views.

The shell (interactive or ``redis-lab run``) owns one ViewSession::

    views = ViewSession(connection, subscribers=lambda: subscribers_from_clients(
                        session.client_states()))
    views.handle_meta("watch", "pel orders g1")   # -> a renderable (or a Message)
    views.before_command("alice", args)            # before running a command
    out = views.after_command("alice", args, reply)   # -> renderables to print after its reply
    views.refresh()                                # after :advance: the watch pane again

Everything returned is a rich renderable (views, ``Message``, ``Narration``); the shell prints
them with its own Console, so they fit its width when printed, resized or not. This module
imports no rich at import time: the renderable modules load on first use.

A WatchList is just the list of pinned views; ``render`` gathers a fresh snapshot for each and
lays them out in a Group, giving each a share of the terminal height when one is known.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..session import parse_duration
from .connection import Connection, is_error, text, to_int
from .observe import Flow, Observation, Shape, classify, flows, observe, reply_ids
from .snapshots import (
    DEFAULT_CLAIM_IDLE_MS,
    DEFAULT_POISON_DELIVERIES,
    PublishRecord,
    as_subscribers,
    receivers_of,
)

#: Meta-commands the views answer, with usage and one-line help, for the shell's registry.
META_COMMANDS: dict[str, tuple[str, str]] = {
    "show": (
        "stream KEY | pel KEY GROUP | lag KEY | fanout [CHANNEL] | flow",
        ("Draw a view once: a stream and its groups' positions, a group's pending entries "
        "(PEL), consumer lag, pub/sub fan-out, or the last delivery flow. Options: "
        "COUNT n (stream), IDLE 30s and POISON n (pel, lag)."),
    ),
    "watch": (
        "[stream KEY | pel KEY GROUP | lag KEY | fanout [CHANNEL]]",
        ("Pin a view: it is drawn again after every command and :advance. Several stack. "
        "No argument lists the watches."),
    ),
    "unwatch": ("[N | all]", "Unpin watch N (numbers from :watch), or all of them (default)."),
    "explain": (
        "[on | off]",
        ("After each command, one line saying what it changed, and for XREADGROUP, XACK, "
        "XCLAIM and XAUTOCLAIM which IDs went to, came from or left which consumer."),
    ),
    "export": (
        "svg FILE | html FILE",
        ("Save the views on screen now (the last :show, flow, narration and the watches) "
        "as an SVG image or an HTML page."),
    ),
}

KINDS = ("stream", "pel", "lag", "fanout")


# ------------------------------------------------------------------------------------------------
# Messages
# ------------------------------------------------------------------------------------------------

@dataclass
class Message:
    """A one-line answer to a meta-command (``is_error`` for usage errors)."""

    text: str
    is_error: bool = False

    def __str__(self) -> str:
        return self.text

    def __rich_console__(self, console, options):
        from rich.text import Text

        from . import style

        yield Text(self.text, style=style.ERROR if self.is_error else style.MESSAGE)


class ViewError(Exception):
    """Bad meta-command arguments; becomes a Message with is_error."""


# ------------------------------------------------------------------------------------------------
# Settings and watches
# ------------------------------------------------------------------------------------------------

@dataclass
class ViewSettings:
    """Thresholds and window sizes (per view; ``IDLE``/``POISON``/``COUNT`` options override)."""

    claim_idle_ms: int = DEFAULT_CLAIM_IDLE_MS
    poison_deliveries: int = DEFAULT_POISON_DELIVERIES
    stream_count: int = 10
    pel_head: int = 12
    pel_tail: int = 3
    max_consumers: int = 8
    max_receivers: int = 12


@dataclass
class Watch:
    """One view to draw: its kind, key/group/channel, and its own settings."""

    kind: str
    args: tuple[bytes, ...] = ()
    settings: ViewSettings = field(default_factory=ViewSettings)

    @property
    def spec(self) -> str:
        return " ".join([self.kind] + [text(a) for a in self.args])

    def same(self, other: Watch) -> bool:
        return self.kind == other.kind and self.args == other.args


#: The largest COUNT or POISON a view accepts: more rows than any screen, far below what would
#: overflow the introspection commands' 64-bit arguments.
MAX_VIEW_NUMBER = 1_000_000


def _whole(value: str, low: int) -> int:
    """A whole number from ``low`` to MAX_VIEW_NUMBER, or ValueError saying so."""
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= MAX_VIEW_NUMBER:
        raise ValueError(f"a whole number from {low} to {MAX_VIEW_NUMBER:,}, not {value!r}")
    return int(value)


def parse_view_args(words: Sequence[bytes], defaults: ViewSettings) -> Watch:
    """``pel orders g1 IDLE 30s`` -> Watch; raises ViewError with the usage."""
    if not words:
        raise ViewError("which view? stream KEY | pel KEY GROUP | lag KEY | fanout [CHANNEL]")
    kind = text(words[0]).lower()
    rest = list(words[1:])
    settings = replace(defaults)
    # Trailing options, in any case: COUNT n, IDLE duration, POISON n.
    positional: list[bytes] = []
    i = 0
    while i < len(rest):
        word = text(rest[i]).upper()
        if word in ("COUNT", "IDLE", "POISON") and i + 1 < len(rest) and kind != "fanout":
            value = text(rest[i + 1])
            try:
                if word == "COUNT":
                    settings.stream_count = settings.pel_head = _whole(value, 1)
                elif word == "IDLE":
                    settings.claim_idle_ms = parse_duration(value)
                else:
                    settings.poison_deliveries = _whole(value, 0)
            except ValueError as exc:
                raise ViewError(f"{word} needs a number: {exc}") from None
            i += 2
            continue
        positional.append(rest[i])
        i += 1
    need = {"stream": (1, 1, "stream KEY [COUNT n]"),
            "pel": (2, 2, "pel KEY GROUP [IDLE 60s] [POISON 3]"),
            "lag": (1, 1, "lag KEY [IDLE 60s]"),
            "fanout": (0, 1, "fanout [CHANNEL]")}
    if kind not in need:
        raise ViewError(f"no view {kind!r}: stream KEY | pel KEY GROUP | lag KEY | "
                        "fanout [CHANNEL]")
    low, high, usage = need[kind]
    if not low <= len(positional) <= high:
        raise ViewError(f"usage: {usage}")
    return Watch(kind, tuple(positional), settings)


def _budget(watch: Watch, lines: int | None, groups: int = 1) -> ViewSettings:
    """Shrink a watch's windows to about ``lines`` terminal lines (None: no limit)."""
    s = replace(watch.settings)
    if lines is None:
        return s
    if watch.kind == "stream":
        s.stream_count = max(min(s.stream_count, lines - 8), 2)
    elif watch.kind == "pel":
        rows = max(lines - 12, 3)
        s.pel_tail = min(s.pel_tail, max(rows // 4, 1))
        s.pel_head = max(min(s.pel_head, rows - s.pel_tail), 2)
    elif watch.kind == "lag":
        s.max_consumers = max(min(s.max_consumers, (lines - 6) // max(groups, 1) - 4), 2)
    elif watch.kind == "fanout":
        s.max_receivers = max(min(s.max_receivers, lines - 6), 2)
    return s


def build_view(watch: Watch, conn: Connection, *, subscribers=(), last_publish=None,
               lines: int | None = None, title: str | None = None):
    """Gather a fresh snapshot for ``watch`` and wrap it in its renderable."""
    from . import snapshots as snaps

    if watch.kind == "stream":
        from .stream import StreamView

        s = _budget(watch, lines)
        return StreamView(snaps.gather_stream(conn, watch.args[0], s.stream_count), title=title)
    if watch.kind == "pel":
        from .pel import PelView

        s = _budget(watch, lines)
        snap = snaps.gather_pel(conn, watch.args[0], watch.args[1], head=s.pel_head,
                                tail=s.pel_tail, claim_idle_ms=s.claim_idle_ms,
                                poison_deliveries=s.poison_deliveries)
        return PelView(snap, title=title, legend=lines is None or lines >= 16)
    if watch.kind == "lag":
        from .lag import LagView

        snap = snaps.gather_lag(conn, watch.args[0], claim_idle_ms=watch.settings.claim_idle_ms)
        s = _budget(watch, lines, len(snap.groups))
        return LagView(snap, max_consumers=s.max_consumers, title=title)
    if watch.kind == "fanout":
        from .fanout import FanoutView

        s = _budget(watch, lines)
        channel = watch.args[0] if watch.args else None
        snap = snaps.gather_fanout(conn, subscribers, channel=channel, last_publish=last_publish)
        return FanoutView(snap, max_receivers=s.max_receivers, title=title)
    raise ViewError(f"no view {watch.kind!r}")


def _title(number: int, watch: Watch) -> str:
    names = {"stream": "stream", "pel": "PEL", "lag": "consumer lag", "fanout": "pub/sub fan-out"}
    if watch.kind == "pel":
        what = f"PEL {text(watch.args[0])} › {text(watch.args[1])}"
    else:
        what = " ".join([names[watch.kind]] + [text(a) for a in watch.args])
    return f"[{number}] {what}"


class WatchList:
    """The pinned views, in the order they were added (numbered from 1)."""

    def __init__(self) -> None:
        self.items: list[Watch] = []

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def add(self, watch: Watch) -> tuple[int, bool]:
        """Pin ``watch``; return (its number, True if new). The same view is not pinned twice."""
        for number, existing in enumerate(self.items, 1):
            if existing.same(watch):
                existing.settings = watch.settings
                return number, False
        self.items.append(watch)
        return len(self.items), True

    def remove(self, which: int | str = "all") -> list[Watch]:
        """Unpin watch number ``which`` (1-based) or ``"all"``; return what was removed."""
        if which == "all":
            removed, self.items = self.items, []
            return removed
        index = int(which) - 1
        if not 0 <= index < len(self.items):
            raise ViewError(f"no watch {which}: " + (self.describe() or "there are none"))
        return [self.items.pop(index)]

    def describe(self) -> str:
        """``[1] pel orders g1 · [2] lag orders``."""
        return " · ".join(f"[{n}] {w.spec}" for n, w in enumerate(self.items, 1))

    def render(self, conn: Connection, *, height: int | None = None, subscribers=(),
               last_publish: PublishRecord | None = None):
        """Every watch, freshly gathered, as one rich Group (None when nothing is pinned).

        ``height`` (terminal lines available) shrinks each view's windows so that all fit.
        """
        if not self.items:
            return None
        from rich.console import Group

        lines = None
        if height is not None:
            lines = max(height // len(self.items), 8)
        views = []
        for number, watch in enumerate(self.items, 1):
            try:
                views.append(build_view(watch, conn, subscribers=subscribers,
                                        last_publish=last_publish, lines=lines,
                                        title=_title(number, watch)))
            except Exception as exc:  # noqa: BLE001 - a broken view must not break the shell
                views.append(Message(f"[{number}] {watch.spec}: {type(exc).__name__}: {exc}",
                                     is_error=True))
        return Group(*views)


# ------------------------------------------------------------------------------------------------
# The session object the shell talks to
# ------------------------------------------------------------------------------------------------

def _words(args) -> list[bytes]:
    if args is None:
        return []
    if isinstance(args, (str, bytes)):
        from ..protocol.tokenize import TokenizeError, split_line

        try:
            return split_line(args)
        except TokenizeError:
            raise ViewError("cannot split the arguments (unbalanced quotes?)") from None
    return [a if isinstance(a, bytes) else str(a).encode("utf-8", "surrogateescape")
            for a in args]


def _queued(reply) -> bool:
    return isinstance(reply, str) and not is_error(reply) and reply == "QUEUED"


def _blocked(reply) -> bool:
    from ..backends import BLOCKED

    return reply is BLOCKED


class ViewSession:
    """Views for one shell session: :show/:watch/:unwatch/:explain/:export and the after-command
    output (flow, narration, watches).

    Args:
        connection: the views' own Connection (the session's observer), or a
            zero-argument callable making it on first use (so that a session that never
            uses a view never opens that connection).
        subscribers: the subscriber registry, or a callable returning it; entries are
            ``Subscriber`` or ``(label, channels, patterns)`` tuples.
        height: terminal lines the watch pane may use (None: no limit; set it on resize).
        width: columns for exports (printing uses the shell console's width).
        explain: start with ``:explain on``.
        flow: print the PEL flow after XREADGROUP/XACK/XCLAIM/XAUTOCLAIM; None (default)
            follows ``explain``.
        settings: thresholds and window sizes for new views.
    """

    def __init__(self, connection, subscribers=None, *, height: int | None = None,
                 width: int | None = None, explain: bool = False, flow: bool | None = None,
                 settings: ViewSettings | None = None, color: bool = True) -> None:
        self._connection = connection
        self._subscribers = subscribers
        self.height = height
        self.width = width
        self.explain = explain
        self.flow = flow
        self.settings = settings or ViewSettings()
        self.color = color
        self.watches = WatchList()
        self.last_publish: PublishRecord | None = None
        self.last_flows: list[Flow] = []
        self.last_narration: str | None = None
        self._screen: list = []
        self._panes: list = []  # the watch panes among _screen (:unwatch drops them)
        self._pending: tuple[Shape, Observation | None] | None = None

    # -- wiring --------------------------------------------------------------------------------
    @property
    def connection(self) -> Connection:
        """The views' connection; a factory given instead is called once, on first use."""
        conn = self._connection
        if not hasattr(conn, "execute") and callable(conn):
            conn = self._connection = conn()
        return conn

    def rebind(self, connection, subscribers=None) -> None:
        """Use a new connection (after :reset made a fresh engine); watches stay pinned."""
        self._connection = connection
        if subscribers is not None:
            self._subscribers = subscribers
        self.last_publish = None
        self.last_flows = []
        self.last_narration = None
        self._screen = []
        self._pending = None

    def subscribers(self) -> list:
        source = self._subscribers
        if source is None:
            return []
        if callable(source):
            source = source()
        return as_subscribers(source)

    @property
    def flow_enabled(self) -> bool:
        return self.explain if self.flow is None else self.flow

    # -- meta-commands ---------------------------------------------------------------------------
    def handle_meta(self, name: str, args=None):
        """Run ``:name args`` (show, watch, unwatch, explain, export); return a renderable.

        ``args`` is the rest of the line (a str, split like redis-cli does) or a list of words.
        Errors come back as ``Message(..., is_error=True)``; this never raises.
        """
        name = name.lstrip(":").lower()
        handler = {"show": self._show, "watch": self._watch, "unwatch": self._unwatch,
                   "explain": self._explain, "export": self._export}.get(name)
        if handler is None:
            return Message(f"the views do not handle :{name}", is_error=True)
        try:
            return handler(_words(args))
        except ViewError as exc:
            return Message(str(exc), is_error=True)
        except Exception as exc:  # noqa: BLE001 - bad input teaches, it never crashes the shell
            return Message(f"internal error in :{name}: {type(exc).__name__}: {exc}",
                           is_error=True)

    def show(self, kind: str, *args) -> object:
        """``show("pel", "orders", "g1")``: the renderable for one view, gathered now."""
        return self.handle_meta("show", [kind, *args])

    def _show(self, words: list[bytes]):
        if words and text(words[0]).lower() == "flow":
            if not self.last_flows:
                raise ViewError("no flow yet: it follows XREADGROUP, XACK, XCLAIM or XAUTOCLAIM")
            view = self._flow_group(self.last_flows)
        else:
            watch = parse_view_args(words, self.settings)
            view = build_view(watch, self.connection, subscribers=self.subscribers(),
                              last_publish=self.last_publish)
        self._screen.append(view)
        return view

    def _watch(self, words: list[bytes]):
        if not words:
            if not self.watches.items:
                return Message("no watches. Pin one: :watch stream KEY | pel KEY GROUP | "
                               "lag KEY | fanout")
            return Message(f"watching {self.watches.describe()} (:unwatch N removes one)")
        watch = parse_view_args(words, self.settings)
        number, new = self.watches.add(watch)
        verb = "watching" if new else "already watching"
        note = Message(f"{verb} [{number}] {watch.spec}: drawn after every command; "
                       f":unwatch {number} to stop")
        pane = self.watch_pane()
        from rich.console import Group

        if pane is not None:
            self._screen.append(pane)  # on screen now, so in the next :export
        return Group(note, pane) if pane is not None else note

    def _unwatch(self, words: list[bytes]):
        if not self.watches.items:
            return Message("no watches to remove")
        which = text(words[0]).lower() if words else "all"
        if which != "all":
            try:
                which_n = int(which)
            except ValueError:
                raise ViewError("usage: :unwatch [N | all]") from None
            removed = self.watches.remove(which_n)
        else:
            removed = self.watches.remove("all")
        left = self.watches.describe()
        # Unpinned views are not exported any more (the remaining ones are, drawn afresh).
        self._screen = [view for view in self._screen
                        if not any(view is pane for pane in self._panes)]
        return Message(f"stopped watching {', '.join(w.spec for w in removed)}"
                       + (f"; still watching {left}" if left else ""))

    def _explain(self, words: list[bytes]):
        if not words:
            state = "on" if self.explain else "off"
            return Message(f"explain is {state} (:explain on | off)")
        word = text(words[0]).lower()
        if word not in ("on", "off"):
            raise ViewError("usage: :explain on | off")
        self.explain = word == "on"
        if self.explain:
            return Message("explain on: after each command, a line on what changed; the PEL "
                           "flow after XREADGROUP, XACK, XCLAIM and XAUTOCLAIM")
        return Message("explain off")

    def _export(self, words: list[bytes]):
        if len(words) == 1 and text(words[0]).lower().endswith((".svg", ".html", ".htm")):
            words = [text(words[0]).rsplit(".", 1)[1].encode(), words[0]]
        if len(words) != 2 or text(words[0]).lower() not in ("svg", "html"):
            raise ViewError("usage: :export svg FILE | :export html FILE")
        return self.export(text(words[0]).lower(), text(words[1]))

    # -- around commands -------------------------------------------------------------------------
    def before_command(self, client_label: str, args) -> None:
        """Call before running a command: looks at what it is about to change (if anything)."""
        self._screen = []
        try:
            words = _words(args)
            shape = classify(client_label, words)
            if shape is None:
                self._pending = None
                return
            before = None
            # Flows are always observed (cheap: the IDs involved) so that :show flow works.
            wanted = shape.is_pubsub or shape.is_flow or (self.explain and shape.is_stream)
            if wanted:
                before = observe(self.connection, shape, self.subscribers())
            self._pending = (shape, before)
        except Exception:  # noqa: BLE001 - the command must run whatever the views think
            self._pending = None

    def after_command(self, client_label: str, args, reply) -> list:
        """Call after the command (with its reply value); returns renderables to print.

        In order: the PEL flow (XREADGROUP/XACK/XCLAIM/XAUTOCLAIM, when flow is enabled), the
        narration line (when explain is on) and the watch pane (when something is pinned).
        """
        out: list = []
        pending, self._pending = self._pending, None
        try:
            out += self._after(client_label, args, reply, pending)
        except Exception as exc:  # noqa: BLE001
            out.append(Message(f"(views: {type(exc).__name__}: {exc})", is_error=True))
        pane = self.watch_pane()
        if pane is not None:
            out.append(pane)
        self._screen = list(out)
        return out

    def _after(self, label: str, args, reply, pending) -> list:
        words = _words(args)
        if pending is None or pending[0].args != words:
            return []
        shape, before = pending
        if _queued(reply):
            return []          # inside MULTI: nothing happened yet (EXEC is not observed)
        blocked = _blocked(reply)
        if shape.name in ("PUBLISH", "SPUBLISH") and not is_error(reply) and not blocked:
            subs = before.subscribers if before is not None else self.subscribers()
            channel = shape.channels[0]
            self.last_publish = PublishRecord(
                label, text(channel), text(shape.message), to_int(reply, 0) or 0,
                receivers_of(channel, subs, shard=shape.name == "SPUBLISH"),
                shard=shape.name == "SPUBLISH")
        if before is None:
            return []
        after = observe(self.connection, shape, self.subscribers(), before=before,
                        reply_ids=reply_ids(shape, reply) if not blocked else None)
        found: list[Flow] = []
        if shape.is_flow and not blocked and not is_error(reply):
            found = flows(shape, reply, before, after)
        shown = [f for f in found if f.rows]
        if shown:
            self.last_flows = shown
        out: list = []
        if self.flow_enabled and shown:
            out.append(self._flow_group(shown))
        if self.explain:
            from .explain import narrate

            line = narrate(shape, reply, before, after, found, self.last_publish,
                           blocked=blocked)
            self.last_narration = line
            if line:
                from .narration import Narration

                out.append(Narration(line))
        return out

    def _flow_group(self, found: list[Flow]):
        from rich.console import Group

        from .flow import FlowView

        return Group(*[FlowView(f) for f in found])

    def refresh(self) -> list:
        """After something other than a command changed state (``:advance``): the watch pane."""
        pane = self.watch_pane()
        self._screen = [pane] if pane is not None else []
        return list(self._screen)

    def watch_pane(self):
        """All watches drawn now (a rich Group), or None when nothing is pinned."""
        pane = self.watches.render(self.connection, height=self.height,
                                   subscribers=self.subscribers(),
                                   last_publish=self.last_publish)
        if pane is not None:
            on_screen = [p for p in self._panes if any(p is view for view in self._screen)]
            self._panes = on_screen + [pane]
        return pane

    # -- export ----------------------------------------------------------------------------------
    def screen(self) -> list:
        """The views printed since the last command (what :export saves)."""
        if self._screen:
            return list(self._screen)
        pane = self.watch_pane()
        return [pane] if pane is not None else []

    def export(self, fmt: str, path: str, *, title: str = "redis-lab") -> Message:
        """Write the views on screen to ``path`` as ``svg`` or ``html``."""
        from rich.console import Console

        views = self.screen()
        if not views:
            return Message("nothing to export: :show or :watch a view first", is_error=True)
        width = self.width or 100
        console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                          color_system="truecolor" if self.color else None,
                          no_color=not self.color, _environ={})
        for view in views:
            console.print(view)
        try:
            if fmt == "svg":
                console.save_svg(path, title=title)
            else:
                console.save_html(path)
        except OSError as exc:
            return Message(f"cannot write {path}: {exc.strerror or exc}", is_error=True)
        return Message(f"wrote {path} ({fmt.upper()}, {len(views)} "
                       f"view{'s' if len(views) != 1 else ''}, {width} columns)")


__all__ = [
    "META_COMMANDS", "Message", "ViewError", "ViewSession", "ViewSettings", "Watch", "WatchList",
    "build_view", "parse_view_args",
]

"""The session: named clients on one engine, and turning typed lines into printed text.

Both front doors use this layer -- the non-interactive CLI (``-c``, ``run FILE``, stdin) and the
interactive shell -- so a line means the same thing in a script and at the prompt:

    ``PUBLISH chat hi``          run as the current client (``default`` unless ``:as`` changed it)
    ``@alice SUBSCRIBE chat``    run as client ``alice`` (connected on first use)
    ``HELP XADD`` / ``? XADD``   help from the command table, never sent to the engine
    ``:advance 5s``              a meta-command (the shell's registry runs it)
    ``# ...`` and blank lines    ignored
    ``quit`` / ``exit``          leave, as in redis-cli (``@alice QUIT`` closes alice's connection)

After every command the session collects what any client received meanwhile (pub/sub messages,
the late reply of a blocked command) through the engine's output listener, in delivery order.
The command's own reply prints as redis-cli prints it, unlabelled; everything a client received
is labelled with the receiving client's name::

    (integer) 1
    alice ◂ 1) "message"
            2) "chat"
            3) "hi"

The session knows nothing of prompt_toolkit: the shell adds colour, the countdown of a blocked
command and printing above the prompt on top of the pieces here.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .backends import BLOCKED, BackendError, ClientState, Note
from .protocol.cli_format import format_reply
from .protocol.tokenize import TokenizeError, split_line
from .settings import Environment, Settings

DEFAULT_CLIENT = "default"
MANY_KEYS = 3   # DEL/UNLINK of this many keys asks for confirmation on a remote server
RECEIVED_MARK = "◂"
_CLIENT_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$")
_PUBSUB_CONTEXT = re.compile(r"^ERR Can't execute '([^']*)': only \(P\|S\)SUBSCRIBE")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def valid_client_name(name: str) -> bool:
    """Client names are short words: letters, digits and ``_ . : -``."""
    return bool(_CLIENT_NAME.match(name))


# ------------------------------------------------------------------------------------------------
# Lines
# ------------------------------------------------------------------------------------------------

@dataclass
class Line:
    """One typed line, classified.

    ``kind`` is one of ``blank``, ``comment``, ``meta``, ``help``, ``exit``, ``command`` and
    ``invalid`` (``error`` then says why, e.g. redis-cli's ``Invalid argument(s)``).
    """

    kind: str
    text: str
    target: str | None = None          # the client named by ``@name``, if any
    args: list[bytes] = field(default_factory=list)
    meta: str = ""                     # meta-command name without the colon, lower case
    meta_arg: str = ""                 # the rest of a meta-command line, stripped
    error: str = ""


def parse_line(text: str) -> Line:
    """Classify a line (see ``Line``); never raises."""
    stripped = text.strip()
    if not stripped:
        return Line("blank", text)
    if stripped.startswith("#"):
        return Line("comment", text)
    if stripped.startswith(":"):
        word, _, rest = stripped[1:].partition(" ")
        return Line("meta", text, meta=word.strip().lower(), meta_arg=rest.strip())
    try:
        args = split_line(text)
    except TokenizeError as exc:
        return Line("invalid", text, error=str(exc))
    target = None
    if args and args[0].startswith(b"@"):
        name = args[0][1:].decode("utf-8", "surrogateescape")
        if not valid_client_name(name):
            return Line("invalid", text, error=f"bad client name '@{name}': use letters, "
                                               "digits and _ . : - (e.g. @alice)")
        target, args = name, args[1:]
        if not args:
            return Line("invalid", text, target=target,
                        error=f"@{name} needs a command, e.g. @{name} PING "
                              f"(to make {name} the current client: :as {name})")
    if not args:
        return Line("blank", text)
    head = args[0].lower()
    if head in (b"help", b"?"):
        return Line("help", text, target=target, args=args[1:])
    if target is None and head in (b"quit", b"exit"):
        return Line("exit", text, args=args)
    return Line("command", text, target=target, args=args)


# ------------------------------------------------------------------------------------------------
# What gets printed
# ------------------------------------------------------------------------------------------------

@dataclass
class Printed:
    """One block of output.

    ``kind``: ``reply`` (a command's own reply, unlabelled), ``delivery`` (something ``label``
    received), ``blocked`` (``label`` is now waiting), ``invalid`` (a line that was not run),
    ``error`` (a meta-command or shell problem), ``text`` (help and meta-command output) and
    ``tip`` (advice for learners; the non-interactive CLI leaves tips out).
    """

    kind: str
    text: str
    label: str | None = None
    is_error: bool = False
    renderable: object = None   # kind "view": a rich renderable, drawn at the front door's width


def is_internal(label: str) -> bool:
    """Clients named ``__like_this__`` belong to tools (the views' own connection), not learners."""
    return label.startswith("__")


def render_renderable(renderable, width: int = 100, color: bool = False) -> str:
    """Draw a rich renderable as text (rich is imported only when a view is shown)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="truecolor" if color else None,
                      force_terminal=color, legacy_windows=False, _environ={})
    console.print(renderable)
    return buffer.getvalue().rstrip("\n")


def label_block(label: str, text: str, mark: str = RECEIVED_MARK) -> str:
    """Prefix ``text`` with ``label mark `` and indent its other lines to line up under it."""
    prefix = f"{label} {mark} "
    pad = " " * len(prefix)
    lines = text.split("\n")
    return "\n".join([prefix + lines[0]] + [pad + line for line in lines[1:]])


def render(item: Printed, width: int = 100, color: bool = False) -> str:
    """Text of one Printed block (plain unless ``color``; the shell colours the same blocks)."""
    if item.kind == "delivery":
        return label_block(item.label or "?", item.text)
    if item.renderable is not None:
        return render_renderable(item.renderable, width, color)
    return item.text


def reply_is_error(value) -> bool:
    """True for an error reply, or several frames of which one is an error."""
    from .model.reply import Error, Replies

    if isinstance(value, Error):
        return True
    if type(value) is Replies:
        return any(isinstance(v, Error) for v in value)
    return False


def format_ms(ms: int) -> str:
    """``5000`` -> ``5 s``, ``1500`` -> ``1.5 s``, ``250`` -> ``250 ms``."""
    if ms < 1000:
        return f"{ms} ms"
    seconds = ms / 1000
    return f"{seconds:g} s" if seconds < 100 else f"{seconds:.0f} s"


#: The latest time Redis's clock can tell: milliseconds in a signed 64-bit integer (mstime_t).
MAX_CLOCK_MS = 2**63 - 1

_DURATION = re.compile(r"\s*([0-9]{1,30})(?:\.([0-9]{1,30}))?\s*(ms|s|m|min|h)?\s*", re.ASCII)
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "min": 60_000, "h": 3_600_000}


def parse_duration(text: str, maximum: int = MAX_CLOCK_MS) -> int:
    """``5000``, ``5000ms``, ``65s``, ``1.5s``, ``2m``, ``1h`` -> milliseconds.

    The one duration parser (meta-commands, view options). Exact (no float rounding), and
    ValueError, with a one-line reason, for anything that is not a duration or is longer than
    ``maximum`` ms (by default what Redis's 64-bit millisecond clock can hold at all).
    """
    match = _DURATION.fullmatch(text.lower())
    if not match:
        raise ValueError(f"not a duration: {text!r} (try 5000, 500ms, 65s, 2m or 1h)")
    whole, fraction, unit = match.groups()
    factor = _UNIT_MS[unit or "ms"]
    ms = int(whole) * factor
    if fraction:
        ms += (int(fraction) * factor * 2 + 10 ** len(fraction)) // (2 * 10 ** len(fraction))
    if ms > maximum:
        raise ValueError(f"duration too long: {text.strip()} is {ms:,} ms; at most {maximum:,} ms "
                         "(Redis keeps time in a 64-bit count of milliseconds)")
    return ms


# ------------------------------------------------------------------------------------------------
# The session
# ------------------------------------------------------------------------------------------------

@dataclass
class Delivery:
    """Something pushed to a client: a message, a confirmation frame, a late reply."""

    label: str
    value: object
    resp3: bool


class Session:
    """Named clients on one backend, a current client, and the deliveries they received.

    Args:
        clock_factory: makes the embedded engine's clock (again on ``reset``); default: the
            wall clock. Ignored when ``backend`` is given.
        interactive: the shell sets this; tips for learners are produced only then.
        backend: where the commands go (default: a ``LocalBackend``, the embedded engine).
        settings: the typed ``Settings`` the front door chose (width, colour, strictness...).
        env: the ``Environment`` (terminals, NO_COLOR) the front door detected.

    The layers above read client state only through ``client``/``client_states``
    (``ClientState`` records), never through engine objects: that is what lets the same shell,
    views and lessons run on a real Redis.

    Hooks (set by the front door, so this module imports nothing above it):
        ``meta_runner(session, name, arg) -> list[Printed]`` runs ``:name arg``;
        ``help_renderer(session, args) -> str`` answers ``HELP ...``;
        ``before_command`` callables ``(session, label, args)`` run before a typed command;
        ``after_command`` callables ``(session, label, args, reply) -> list | None`` run after
        it: what they return (Printed blocks or rich renderables, e.g. the views' watch pane)
        prints after the reply and the deliveries;
        ``after_meta`` callables ``(session, name, arg) -> list | None`` likewise after a
        meta-command (the views redraw their watches after ``:advance``);
        ``on_reset`` callables run after ``reset`` made a fresh engine.
    A hook that raises prints one error line; it never stops the session.

    Slots the layers above attach to: ``views`` (the shell's ViewSession, made on first use) and
    ``course`` (the lesson commands' state).
    """

    def __init__(self, clock_factory: Callable | None = None, *, interactive: bool = False,
                 backend=None, settings: Settings | None = None,
                 env: Environment | None = None) -> None:
        if backend is None:
            from .backends.local import LocalBackend

            backend = LocalBackend(clock_factory)
        self.backend = backend
        self.interactive = interactive
        self.settings = settings if settings is not None else Settings()
        self.env = env if env is not None else Environment()
        self.views = None
        self.course: dict = {}
        self.warnings: list[str] = []
        self._confirming: str | None = None   # a destructive line typed once (remote only)
        self.current = DEFAULT_CLIENT
        self.known_channels: dict[bytes, None] = {}
        self.meta_runner: Callable | None = None
        self.help_renderer: Callable | None = None
        self.before_command: list[Callable] = []
        self.after_command: list[Callable] = []
        self.after_meta: list[Callable] = []
        self.on_reset: list[Callable[[Session], None]] = []
        self._pending: list[Delivery] = []
        #: Set by the shell when Ctrl-C is pressed while a line runs; ``run_line`` honours it
        #: before the next command starts (shell/interrupts.py).
        self.interrupt_requested = False
        backend.add_listener(self._on_output)
        backend.connect(self.current)

    # -- backend and clients -------------------------------------------------------------------
    @property
    def engine(self):
        """The embedded engine (tests and engine-only tools); the layers above never use it."""
        return self.backend.engine

    @property
    def location(self) -> str | None:
        """Where the commands go, for prompt and toolbar (None: the embedded engine)."""
        return self.backend.location

    @property
    def awaiting_confirmation(self) -> str | None:
        """A destructive line held back until it is typed again (remote backends, no --yes);
        the interactive shell asks y/N instead (shell/app.py)."""
        return self._confirming

    def use_clock(self, factory: Callable | None) -> None:
        """Make clocks with ``factory`` from now on (None: the wall clock): the current engine
        switches at once, keeping its keys and clients, and ``reset`` uses it too."""
        self.backend.set_clock(factory)

    def restart(self) -> None:
        """``:restart-server``: the engine stops and starts again on the same clock, from its data
        directory when there is one: streams, groups and pending lists come back; clients,
        subscriptions and messages not yet delivered do not. The current client reconnects."""
        self._renew(self.backend.restart)

    def reset(self) -> None:
        """A fresh engine (same kind of clock, from its start), with only the default client."""
        self.current = DEFAULT_CLIENT
        self._renew(self.backend.reset)

    def _renew(self, replace_engine: Callable[[], None]) -> None:
        """What restart and reset share: forget channels and pending output, let the backend
        replace its engine, reconnect the current client, then tell the ``on_reset`` hooks."""
        self.known_channels = {}
        replace_engine()
        self._pending = []
        self.backend.connect(self.current)
        for hook in list(self.on_reset):
            hook(self)

    @property
    def clock(self):
        return self.backend.clock

    def client(self, label: str | None = None) -> ClientState:
        """The state of client ``label`` (default: the current one), connected on first use."""
        label = label or self.current
        self.backend.connect(label)
        return self.backend.state(label)

    def find_client(self, label: str) -> ClientState | None:
        """The state of client ``label`` if it exists (never connects one)."""
        return self.backend.state(label)

    def client_states(self) -> list[ClientState]:
        """Learners' clients (internal ones left out), in the order they were first used."""
        states = (self.backend.state(label) for label in self.labels())
        return [state for state in states if state is not None]

    def labels(self) -> list[str]:
        """Learners' client names in the order they were first used (internal ones left out)."""
        return [label for label in self.backend.labels() if not is_internal(label)]

    def switch(self, label: str) -> bool:
        """Make ``label`` the current client; True if it was new."""
        new = self.backend.connect(label)
        self.current = label
        return new

    def crash(self, label: str) -> bool:
        """Drop ``label``'s connection at once (``:crash``); False if there is no such client."""
        if self.backend.state(label) is None:
            return False
        self.backend.crash(label)
        if self.current == label:
            self.current = DEFAULT_CLIENT
            self.backend.connect(DEFAULT_CLIENT)
        return True

    def cancel_block(self, label: str) -> None:
        """End ``label``'s blocked command as redis-cli's Ctrl-C does."""
        self.backend.cancel_block(label)

    def listen(self, listener: Callable[[str, object, bool], None]) -> None:
        """Call ``listener(label, value, resp3)`` for everything pushed to any client."""
        self.backend.add_listener(listener)

    def unlisten(self, listener: Callable[[str, object, bool], None]) -> None:
        self.backend.remove_listener(listener)

    # -- deliveries ----------------------------------------------------------------------------
    def _on_output(self, label: str, value, resp3: bool) -> None:
        self._pending.append(Delivery(label, value, resp3))

    def poll(self) -> None:
        """Let wall time expire BLOCK timeouts and collect what the server pushed."""
        try:
            self.backend.poll()
        except BackendError as exc:
            self._pending.append(Delivery("", Note(str(exc)), False))
        for text in self.backend.take_notes():
            self._pending.append(Delivery("", Note(text), False))

    def drain(self) -> list[Delivery]:
        """Everything pushed to any client since the last drain, in delivery order (with the
        backend's notes about its connections, e.g. a reconnection after a server restart)."""
        self.poll()
        out, self._pending = self._pending, []
        return out

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def _remember(self, args: list[bytes]) -> None:
        """Note channel names typed, for completion after PUBLISH/SUBSCRIBE."""
        head = args[0].lower()
        if head in (b"publish", b"spublish") and len(args) > 1:
            self.known_channels[args[1]] = None
        elif head in (b"subscribe", b"ssubscribe", b"unsubscribe", b"sunsubscribe"):
            for name in args[1:]:
                self.known_channels[name] = None

    # -- running --------------------------------------------------------------------------------
    def execute(self, label: str | None, args: list[bytes]):
        """Run ``args`` as client ``label`` (default: current); return ``(reply, deliveries)``.

        The reply is ``redis_lab.engine.BLOCKED`` when the client is (now) blocked.
        """
        label = label or self.current
        self._remember(args)
        reply = self.backend.execute(label, args)
        return reply, self.drain()

    def format_value(self, value, resp3: bool) -> str:
        """A reply as redis-cli prints it: exactly (default), ``--raw``, or UTF-8 decoded."""
        return format_reply(value, resp3=resp3, raw=self.settings.raw, utf8=self.settings.utf8)

    def printed_deliveries(self, deliveries: list[Delivery]) -> list[Printed]:
        from .model.reply import Error

        return [
            Printed("warning", str(d.value)) if isinstance(d.value, Note) else
            Printed("delivery", self.format_value(d.value, d.resp3), d.label,
                    is_error=isinstance(d.value, Error))
            for d in deliveries
        ]

    def blocked_note(self, label: str) -> Printed:
        """``(worker is blocked: XREADGROUP on s, no timeout)``."""
        client = self.backend.state(label)
        state = client.blocked if client is not None else None
        if state is None:
            return Printed("blocked", f"({label} is not blocked)", label)
        if state.deadline_ms:
            wait = f"timeout {format_ms(max(0, state.deadline_ms - state.since_ms))}"
        else:
            wait = "no timeout"
        return Printed("blocked", f"({label} is blocked: {state.command} on {state.keys_text}, "
                                  f"{wait})", label)

    def run_line(self, text: str) -> LineResult:
        """Run one line; the caller prints ``result.printed`` in order.

        When the line blocked the client it ran as, ``result.blocked_label`` names it; the shell
        (or ``finish_block``) decides whether to wait for it.
        """
        if self.interrupt_requested:
            self.interrupt_requested = False
            raise KeyboardInterrupt  # Ctrl-C between two commands (a long :repeat, a paste)
        line = parse_line(text)
        result = LineResult(line)
        kind = line.kind
        if kind in ("blank", "comment"):
            return result
        if kind == "invalid":
            result.add(Printed("invalid", line.error, is_error=True))
            return result
        if kind == "exit":
            result.exit = True
            return result
        if kind == "help":
            if self.help_renderer is None:
                result.add(Printed("text", "(help is not available here)"))
            else:
                result.add(Printed("text", self.help_renderer(self, line.args)))
            return result
        if kind == "meta":
            if self.meta_runner is None:
                result.add(Printed("error", f"unknown meta-command :{line.meta}", is_error=True))
            else:
                for item in self.meta_runner(self, line.meta, line.meta_arg):
                    result.add(item)
                    if item.kind == "exit":
                        result.exit = True
                self._run_hooks(self.after_meta, result, line.meta, line.meta_arg)
            return result
        return self._run_command(line, result)

    def _run_command(self, line: Line, result: LineResult) -> LineResult:
        label = line.target or self.current
        refusal = self._unconfirmed(line)
        if refusal is not None:
            result.add(refusal)
            return result
        try:
            was_blocked = self.client(label).blocked is not None
            self._run_hooks(self.before_command, None, label, line.args)
            reply, deliveries = self.execute(label, line.args)
        except BackendError as exc:  # the server is away: one line, and the session goes on
            result.add(Printed("error", str(exc), label, is_error=True))
            for item in self.printed_deliveries(self.drain()):
                result.add(item)
            return result
        result.label = label
        result.reply = reply
        if reply is BLOCKED:
            if was_blocked:
                result.add(Printed(
                    "blocked",
                    f"({label} is blocked; the command is queued and runs when {label} is "
                    "served, as Redis buffers it)", label))
            else:
                result.blocked_label = label
                result.add(self.blocked_note(label))
        else:
            text = self.format_value(reply, self.client(label).resp == 3)
            error = reply_is_error(reply)
            result.add(Printed("reply", text, label, is_error=error))
            if error and self.interactive:
                tip = self.tip_for_error(label, line, reply)
                if tip:
                    result.add(Printed("tip", tip, label))
        for item in self.printed_deliveries(deliveries):
            result.add(item)
        self._run_hooks(self.after_command, result, label, line.args, reply)
        return result

    def _unconfirmed(self, line: Line) -> Printed | None:
        """On a shared (remote) server, FLUSHALL, FLUSHDB and DEL/UNLINK of many keys run only
        when the same line is typed twice in a row (or with --yes); the first time says why."""
        previous, self._confirming = self._confirming, None
        if not self.backend.remote or self.settings.yes or not line.args:
            return None
        head = line.args[0].lower()
        if head in (b"flushall", b"flushdb"):
            what = "every key of every database" if head == b"flushall" else "every key of the db"
        elif head in (b"del", b"unlink") and len(line.args) - 1 >= MANY_KEYS:
            what = f"{len(line.args) - 1} keys at once"
        else:
            return None
        typed = line.text.strip()
        if previous == typed:
            return None
        self._confirming = typed
        return Printed("invalid", f"(not sent: {line.args[0].decode(errors='replace').upper()} "
                                  f"deletes {what} on {self.backend.location}, a server others "
                                  "may use. Type the same line again to do it; --yes skips this "
                                  "question)", is_error=True)

    def _run_hooks(self, hooks: list, result: LineResult | None, *args) -> None:
        for hook in list(hooks):
            try:
                extra = hook(self, *args)
            except Exception as exc:  # noqa: BLE001 - a broken view must not stop the session
                name = getattr(hook, "__qualname__", repr(hook))
                extra = [Printed("error", f"internal error in {name}: {type(exc).__name__}: {exc}",
                                 is_error=True)]
            if result is None or not extra:
                continue
            for item in extra:
                if not isinstance(item, Printed):
                    item = Printed("view", "", renderable=item)
                result.add(item)

    def tip_for_error(self, label: str, line: Line, reply) -> str | None:
        """Advice after an error reply, e.g. for a RESP2 client in subscribed mode."""
        from .protocol.tokenize import join_args

        text = str(reply)
        if _PUBSUB_CONTEXT.match(text):
            other = self.suggest_other_client(label)
            return (f"tip: {label} is subscribed: on RESP2 it may only (un)subscribe, PING, "
                    f"QUIT or RESET.\n     Send it from another client: "
                    f"@{other} {join_args(line.args)}")
        if text.startswith("ERR unknown command") and self.backend.remote:
            return self._newer_than_server(line.args)
        return None

    def server_knows(self, since: str) -> bool:
        """Whether the server has a command added in Redis ``since`` (the embedded engine and a
        server whose version is unknown: yes). Completion offers only what the server knows."""
        server = getattr(self.backend, "version", "")
        return not since or not server or _version(since) <= _version(server)

    def _newer_than_server(self, args: list[bytes]) -> str | None:
        """On a real server older than the command: the version that added it (one line)."""
        from .commands.table import load

        command = load().get(args[0].lower()) if args else None
        server = getattr(self.backend, "version", "")
        if command is None or not command.since or not server:
            return None
        if _version(command.since) <= _version(server):
            return None
        return (f"note: {command.name.upper()} came in Redis {command.since}; this server is "
                f"Redis {server}")

    def suggest_other_client(self, label: str) -> str:
        """A client other than ``label`` that could run any command (an existing one if any)."""
        for client in self.client_states():
            if client.label != label and not client.in_pubsub_mode and client.blocked is None:
                return client.label
        for name in ("bob", "alice", "carol", "dave"):
            if self.backend.state(name) is None:
                return name
        return "other"

    def wait_sync(self, label: str, sleep: Callable[[float], None] = time.sleep) -> None:
        """Wait (wall clock only) until ``label`` is served or its BLOCK timeout passes."""
        while True:
            client = self.backend.state(label)
            state = client.blocked if client is not None else None
            if state is None or self.clock.virtual or not state.deadline_ms:
                return
            remaining = state.deadline_ms - self.clock.now_ms()
            if remaining > 0:
                sleep(min(remaining, 50) / 1000)
            self.backend.poll()

    def waits_in_place(self, label: str) -> bool:
        """True when ``label`` is blocked with a timeout that the wall clock will run out."""
        client = self.backend.state(label)
        state = client.blocked if client is not None else None
        return state is not None and bool(state.deadline_ms) and not self.clock.virtual

    def next_deadline(self) -> int | None:
        """The earliest wall-clock BLOCK deadline of any client (None: nobody waits for one)."""
        deadlines = [c.blocked.deadline_ms for c in map(self.backend.state, self.backend.labels())
                     if c is not None and c.blocked is not None and c.blocked.deadline_ms]
        return min(deadlines) if deadlines else None

    def finish_block(self, label: str, deliveries: list[Delivery]) -> list[Printed]:
        """Print the result of a wait on ``label``: its late reply first, unlabelled."""
        from .model.reply import Error

        printed: list[Printed] = []
        own = next((d for d in deliveries if d.label == label), None)
        if own is not None:
            printed.append(Printed("reply", self.format_value(own.value, own.resp3), label,
                                   is_error=isinstance(own.value, Error)))
        rest = [d for d in deliveries if d is not own]
        return printed + self.printed_deliveries(rest)

    # -- introspection for completion and the views --------------------------------------------
    def inspect(self, args: list[bytes], label: str | None = None):
        """Run a read-only command for the views, changing nothing; the reply, errors included.

        It runs as the backend's observer (on the engine: invisible, no client is created, none
        is refreshed, and the subscribed-context rule of the learner's client does not apply),
        in the database ``label`` (default: the current client) has selected.
        """
        client = self.backend.state(label or self.current)
        return self.backend.introspect(list(args), client.db if client is not None else 0)

    def introspect(self, args: list[bytes], label: str | None = None):
        """Like ``inspect`` for completion and checks: None on an error or a failure."""
        from .model.reply import Error

        try:
            reply = self.inspect(args, label)
        except Exception:  # noqa: BLE001 - completion must never break typing
            return None
        return None if isinstance(reply, Error) else reply


@dataclass
class LineResult:
    """What running one line produced."""

    line: Line
    printed: list[Printed] = field(default_factory=list)
    label: str | None = None
    reply: object = None
    blocked_label: str | None = None
    exit: bool = False

    def add(self, item: Printed) -> None:
        self.printed.append(item)

    @property
    def is_error(self) -> bool:
        return any(p.is_error for p in self.printed if p.kind != "delivery")

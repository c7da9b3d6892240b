"""Meta-commands: lines starting with ``:`` are the shell's own commands, never sent to Redis.

Each is a function registered with ``@meta_command`` together with its help text (litecli's
special-command registry); ``:help`` is generated from the registry. They work the same in the
interactive shell and in scripts (``redis-lab run lesson.redis`` may use ``:advance 5s``).

Extending: a module that defines more meta-commands (``:watch``, ``:show``, ``:explain``,
``:export`` for the views; ``:lesson`` for the course) registers them with ``@meta_command``
and adds its import path to ``EXTENSION_MODULES``; ``load_extensions()`` imports them when a
session starts. A handler receives the Session (``session.shell`` is the interactive shell, or
None in a script) and the rest of the line, and returns text, a list of ``Printed`` blocks, or
None. Raise ``MetaError("message")`` for a one-line error.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..backends import ClientState
from ..session import (
    MAX_CLOCK_MS,
    Printed,
    Session,
    format_ms,
    parse_duration,
    valid_client_name,
)

#: Modules imported by load_extensions(); each registers meta-commands when imported.
EXTENSION_MODULES: list[str] = [
    "redis_lab.shell.viewcmds",  # :watch :unwatch :show :explain :export
    "redis_lab.shell.displaycmds",  # :raw :utf8
    "redis_lab.shell.lessoncmds",  # :lesson :hint :solution :skip :back :restart :crash :repeat
    "redis_lab.shell.undocmds",  # :undo :snapshot :restore
]

#: Called with every new session once the extensions are loaded (the undo history hooks in).
SESSION_SETUP: list[Callable[[Session], None]] = []


def setup_session(session: Session) -> None:
    for setup in SESSION_SETUP:
        setup(session)


class MetaError(Exception):
    """A meta-command's user-facing error (printed as one line)."""


@dataclass
class MetaCommand:
    name: str
    handler: Callable[[Session, str], object]
    usage: str = ""
    help: str = ""
    aliases: tuple[str, ...] = ()
    completes: str | None = None   # what its argument is: "client", "command", "meta" or None
    hidden: bool = False


META: dict[str, MetaCommand] = {}


def meta_command(name: str, *, usage: str = "", help: str, aliases: tuple[str, ...] = (),
                 completes: str | None = None, hidden: bool = False):
    """Register ``:name`` (and ``:alias`` ...) with its one-line help."""

    def register(handler):
        entry = MetaCommand(name, handler, usage, help, tuple(aliases), completes, hidden)
        META[name] = entry
        for alias in aliases:
            META[alias] = entry
        return handler

    return register


def commands() -> list[MetaCommand]:
    """Distinct registered meta-commands, in name order."""
    seen: dict[str, MetaCommand] = {}
    for entry in META.values():
        seen.setdefault(entry.name, entry)
    return sorted(seen.values(), key=lambda e: e.name)


def names() -> list[str]:
    """Every ``:name`` a learner may type (aliases included)."""
    return sorted(":" + name for name, entry in META.items() if not entry.hidden)


_loaded_extensions = False


def load_extensions() -> list[str]:
    """Import EXTENSION_MODULES that exist; return warnings for those that failed to import."""
    global _loaded_extensions
    warnings: list[str] = []
    if _loaded_extensions:
        return warnings
    _loaded_extensions = True
    for module in EXTENSION_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue  # not written yet
            warnings.append(f"could not load {module}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a broken extension must not stop the shell
            warnings.append(f"could not load {module}: {type(exc).__name__}: {exc}")
    return warnings


def run_meta(session: Session, name: str, arg: str) -> list[Printed]:
    """Run ``:name arg``; never raises."""
    entry = META.get(name)
    if entry is None:
        known = ", ".join(names())
        return [Printed("error", f"unknown meta-command :{name} (known: {known})",
                        is_error=True)]
    try:
        out = entry.handler(session, arg)
    except MetaError as exc:
        return [Printed("error", str(exc), is_error=True)]
    except Exception as exc:  # noqa: BLE001 - bad input teaches, it never crashes the shell
        return [Printed("error", f"internal error in :{name}: {type(exc).__name__}: {exc}",
                        is_error=True)]
    if out is None:
        return []
    if isinstance(out, str):
        return [Printed("text", out)]
    return list(out)


def meta_help(entry: MetaCommand, width: int = 100) -> str:
    import textwrap

    usage = f":{entry.name} {entry.usage}".rstrip()
    aliases = "".join(f", :{a}" for a in entry.aliases)
    body = textwrap.fill(entry.help, width=max(40, width), initial_indent="      ",
                         subsequent_indent="      ", break_on_hyphens=False)
    return f"  {usage}{aliases}\n{body}"


def _width(session: Session) -> int:
    """--width, else the terminal's width (100 when there is no terminal)."""
    return session.env.width(session.settings)


# ------------------------------------------------------------------------------------------------
# The built-in meta-commands
# ------------------------------------------------------------------------------------------------


@meta_command("help", usage="[COMMAND | :meta | @group]", completes="command",
              help="Help on the shell, on a Redis command (:help xadd = HELP XADD) or on a "
                   "meta-command (:help :advance).")
def _help(session: Session, arg: str):
    from .help import render_help

    width = _width(session)
    if arg:
        word = arg.split()[0]
        if word.startswith(":"):
            entry = META.get(word[1:].lower())
            if entry is None:
                raise MetaError(f"no meta-command {word}; :help lists them")
            return meta_help(entry, width)
        return render_help(arg.split(), width)
    lines = [
        "Type Redis commands as in redis-cli (Tab completes; the grey text is what the",
        "command still expects). Lines starting with ':' are the shell's own commands:",
        "",
    ]
    lines += [meta_help(entry, width) for entry in commands() if not entry.hidden]
    lines += [
        "",
        "  @name COMMAND ...     run one command as client 'name' (created on first use)",
        "  HELP COMMAND          syntax and summary of a Redis command; HELP @stream, HELP @pubsub",
        "  Ctrl-R searches history, Right arrow accepts the grey suggestion, Ctrl-D quits.",
    ]
    return "\n".join(lines)


@meta_command("as", usage="NAME", completes="client",
              help="Make NAME the current client (connected on first use); the prompt shows it.")
def _as(session: Session, arg: str):
    name = arg.strip().lstrip("@")
    if not name:
        raise MetaError(f"usage: :as NAME (the current client is {session.current})")
    if not valid_client_name(name):
        raise MetaError(f"bad client name {name!r}: use letters, digits and _ . : -")
    new = session.switch(name)
    return f"now typing as {name}" + (" (new client)" if new else "")


def client_state(client: ClientState, now_ms: int) -> str:
    """One client's connection state in words (subscriptions, blocking, MULTI)."""
    parts = []
    if client.closed:
        return "disconnected (QUIT); reconnects on its next command"
    subs = []
    for kind, names in (("channels", client.channels), ("patterns", client.patterns),
                        ("shard channels", client.shard_channels)):
        if names:
            shown = ", ".join(n.decode("utf-8", "replace") for n in names)
            subs.append(f"{kind} {shown}")
    if subs:
        parts.append("subscribed to " + "; ".join(subs))
    state = client.blocked
    if state is not None:
        keys, command = state.keys_text, state.command
        waited = format_ms(max(0, now_ms - state.since_ms))
        if state.deadline_ms:
            left = format_ms(max(0, state.deadline_ms - now_ms))
            parts.append(f"blocked in {command} on {keys} for {waited}, {left} left")
        else:
            parts.append(f"blocked in {command} on {keys} for {waited}, no timeout")
    if client.multi_queued is not None:
        parts.append(f"in MULTI, {client.multi_queued} queued")
    return "; ".join(parts) or "idle"


@meta_command("clients", help="List the clients: id, RESP version, db, subscriptions, what "
                              "they are blocked on. * marks the current one.")
def _clients(session: Session, arg: str):
    from .table import Table

    now = session.clock.now_ms()
    rows = [("*" if client.label == session.current else "", client.label, str(client.id),
             str(client.resp), str(client.db), client_state(client, now))
            for client in session.client_states()]
    table = Table(("", "client", ">id", ">resp", ">db", "state"), rows)
    return [Printed("text", "", renderable=table)]


def _is_clock_ms(word: str) -> bool:
    """A time Redis's clock can show: 0 to MAX_CLOCK_MS, ASCII digits only."""
    return word.isascii() and word.isdigit() and len(word) <= 19 and int(word) <= MAX_CLOCK_MS


def _utc(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f".{millis:03d} UTC"


@meta_command("cluster", usage="[N | off]",
              help="Pretend the embedded engine is a Redis Cluster of N masters (:cluster 3): "
                   "CLUSTER KEYSLOT, SHARDS and SLOTS answer as N masters would, and the views "
                   "name the node of a stream or a shard channel. No argument: what it is now.")
def _cluster(session: Session, arg: str):
    backend = session.backend
    emulate = getattr(backend, "emulate_cluster", None)
    word = arg.strip().lower()
    if emulate is None:
        if backend.cluster:
            return (f"{session.location}: a real cluster; each key and shard channel goes to the "
                    "master serving its slot (CLUSTER SHARDS lists them)")
        raise MetaError("a real standalone server is not a cluster: start redis-lab with "
                        "--redis URL --cluster on one, or use :cluster 3 on the embedded engine")
    if word in ("off", "0"):
        emulate(0)
        return "cluster emulation off: CLUSTER commands answer as a standalone server again"
    if word:
        if not word.isdigit() or not 1 <= int(word) <= 16:
            raise MetaError("usage: :cluster N (1 to 16 masters) or :cluster off")
        emulate(int(word))
    if backend.emulation is None:
        return "one node (not a cluster); :cluster 3 emulates three masters"
    nodes = backend.emulation
    shards = ", ".join(f"127.0.0.1:{nodes.port(i)} slots {first}-{last}"
                       for i, (first, last) in enumerate(nodes.ranges))
    return (f"emulated cluster of {nodes.masters} masters: {shards}. CLUSTER KEYSLOT KEY says "
            "where a key or shard channel lives; a stream lives on one node, SPUBLISH stays on "
            "its channel's node while PUBLISH reaches every node. The data is still one engine.")


@meta_command("clock", usage="[virtual [START_MS] | wall]",
              help="Show the engine's time; ':clock virtual [START_MS]' switches to a virtual "
                   "clock that moves only with :advance, ':clock wall' back to real time.")
def _clock(session: Session, arg: str):
    from ..model.clock import VirtualClock

    words = arg.split()
    if words:
        mode = words[0].lower()
        if mode == "virtual" and len(words) <= 2:
            if len(words) == 2 and not _is_clock_ms(words[1]):
                raise MetaError("usage: :clock virtual [START_MS] (0 to "
                                f"{MAX_CLOCK_MS}), e.g. :clock virtual 1700000000000")
            start = int(words[1]) if len(words) == 2 else session.clock.now_ms()
            session.use_clock(lambda: VirtualClock(start))
        elif mode == "wall" and len(words) == 1:
            session.use_clock(None)
        else:
            raise MetaError("usage: :clock [virtual [START_MS] | wall]")
    clock = session.clock
    now = clock.now_ms()
    if clock.virtual:
        return (f"virtual clock: {_utc(now)} ({now} ms). It moves only when you say so: "
                ":advance 5s")
    return (f"wall clock: {_utc(now)} ({now} ms). For time you control: :clock virtual")


@meta_command("advance", usage="DURATION", help="Move the virtual clock forward (5000, 500ms, "
                                                 "65s, 2m, 1h); BLOCK timeouts that pass fire.")
def _advance(session: Session, arg: str):
    clock = session.clock
    if not arg:
        raise MetaError("usage: :advance DURATION, e.g. :advance 5000 or :advance 65s")
    try:
        ms = parse_duration(arg)
    except ValueError as exc:
        raise MetaError(str(exc)) from None
    age_pending = getattr(session.backend, "age_pending", None)
    if not clock.virtual and age_pending is not None:   # a real server on the wall clock
        aged = age_pending(ms)
        return (f"{aged} pending entries aged by {format_ms(ms)} on {session.location} (XCLAIM "
                "... IDLE ... RETRYCOUNT ... JUSTID: same owner, same delivery count). Redis's "
                "own clock did not move: BLOCK timeouts pass in real time; :clock virtual makes "
                "XADD * IDs follow :advance too")
    if not clock.virtual:
        raise MetaError("the wall clock moves by itself; start redis-lab with --virtual-clock "
                        "to move time with :advance")
    if ms > MAX_CLOCK_MS - clock.now_ms():
        raise MetaError(f"cannot advance {arg.strip()}: the clock would pass Redis's limit "
                        f"(a 64-bit count of ms); at most {MAX_CLOCK_MS - clock.now_ms():,} ms "
                        "more. Nothing changed.")
    clock.advance(ms)
    out = [Printed("text", f"virtual clock +{format_ms(ms)}: now {_utc(clock.now_ms())}")]
    return out + session.printed_deliveries(session.drain())


@meta_command("reset", help="Start over on a fresh engine: no keys, no clients but 'default'.")
def _reset(session: Session, arg: str):
    session.reset()
    if session.location:   # a real server: nothing is ever flushed implicitly
        return (f"the session's connections to {session.location} were closed; only 'default' "
                "is connected again. The data on the server stays: nothing was flushed")
    return "fresh engine: every key, stream, group, subscription and client is gone"


@meta_command("restart-server", help="Stop the engine and start it again, as a redis-server "
                                     "restart: with --data DIR, streams, groups and pending "
                                     "lists come back from the AOF; subscriptions and "
                                     "undelivered messages never do.")
def _restart_server(session: Session, arg: str):
    from ..backends import BackendError

    if not hasattr(session.backend, "restart"):
        # Not an error: a lesson that restarts its engine also plays on a real server.
        return (f"not restarted: redis-lab does not run this server ({session.location}) and "
                "cannot restart it; nothing changed, its connections and subscriptions stay. "
                "Restarted by whoever runs it, it would bring streams, groups and pending "
                "entries back only with appendonly yes (or an RDB snapshot taken after the last "
                "write); every connection would drop, taking its subscriptions and any message "
                "not yet delivered with it")
    try:
        session.restart()
    except BackendError as exc:
        raise MetaError(f"the engine did not start again: {exc}") from None
    if session.backend.durable:
        return ("engine restarted from its data directory: streams, groups and pending entries "
                "are back; every client reconnected, with no subscription and no message waiting")
    return ("engine restarted without --data: nothing was written to disk, so every key, "
            "stream and group is gone too (start redis-lab with --data DIR to keep them)")


@meta_command("quit", aliases=("exit",), help="Leave the shell (Ctrl-D does too).")
def _quit(session: Session, arg: str):
    return [Printed("exit", "")]

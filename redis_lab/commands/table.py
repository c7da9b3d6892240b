"""The command table: the single source of every command's name, arity, flags and grammar.

Dispatch reads arity and flags from here; the shell reads the same entries for completion, hints,
highlighting and HELP, so a command is described once. A command is registered with the
``@command`` decorator on its handler, next to the code that implements it:

    @command("XLEN", arity=2, flags="readonly fast", group="stream",
             syntax="key", summary="How many entries a stream holds.")
    def xlen(client, args): ...

Container commands (XGROUP, XINFO, PUBSUB, CLIENT, COMMAND) are registered implicitly by their
subcommands ("XGROUP CREATE"); their own arity is -2, as in Redis.

``syntax`` is the argument synopsis in Redis's documentation style (``[NOMKSTREAM]``,
``<MAXLEN | MINID>``, ``field value [field value ...]``); the shell turns it into a grammar.

Redis's own metadata wins: when the table is loaded, every entry takes its summary, since,
complexity, group and flags from redis-server 7.0.15's COMMAND DOCS / COMMAND INFO
(``command_meta``), and the learner text given as ``summary=`` becomes ``note`` (HELP shows both).
The conformance test checks that each declared arity is the server's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

# Commands a RESP2 client in subscribed mode may still run (Redis checks the handler, not a flag).
ALLOWED_WHILE_SUBSCRIBED = frozenset(
    {"subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
     "ping", "quit", "reset"}
)


@dataclass
class Command:
    """One entry of the table (a command, a container, or a subcommand)."""

    name: str                      # as the user types it: "XADD", "XGROUP CREATE"
    fullname: str                  # as Redis names it in errors: "xadd", "xgroup|create"
    arity: int                     # Redis's rule: N exact words, -N at least N words
    flags: frozenset[str] = frozenset()
    handler: Callable | None = None
    group: str = "generic"         # stream, pubsub, generic, string, connection, server
    syntax: str = ""               # argument synopsis after the command name
    summary: str = ""              # Redis's summary (COMMAND DOCS) once the table is loaded
    note: str = ""                 # one or two sentences written for learners
    complexity: str = ""
    since: str = ""
    example: str = ""
    related: tuple[str, ...] = ()
    subcommands: dict[bytes, "Command"] = field(default_factory=dict)
    base: str = ""                 # the container's name for a subcommand ("xgroup")

    def __post_init__(self) -> None:
        self.base = self.fullname.split("|", 1)[0]

    @property
    def is_container(self) -> bool:
        return bool(self.subcommands)

    def arity_ok(self, argc: int) -> bool:
        arity = self.arity
        return argc == arity if arity > 0 else argc >= -arity

    @property
    def synopsis(self) -> str:
        return f"{self.name} {self.syntax}".rstrip()


COMMANDS: dict[bytes, Command] = {}


def command(
    name: str,
    *,
    arity: int,
    flags: str = "",
    group: str,
    syntax: str = "",
    summary: str = "",
    complexity: str = "",
    since: str = "",
    example: str = "",
    related: str = "",
):
    """Register the decorated handler under ``name`` (``"XADD"`` or ``"XGROUP CREATE"``)."""

    def register(handler: Callable) -> Callable:
        words = name.split()
        entry = Command(
            name=name.upper(),
            fullname="|".join(w.lower() for w in words),
            arity=arity,
            flags=frozenset(flags.split()),
            handler=handler,
            group=group,
            syntax=syntax,
            summary=summary,
            complexity=complexity,
            since=since,
            example=example,
            related=tuple(related.split()) if related else (),
        )
        if len(words) == 1:
            COMMANDS[words[0].lower().encode()] = entry
        else:
            key = words[0].lower().encode()
            container = COMMANDS.get(key)
            if container is None:
                container = COMMANDS[key] = Command(
                    name=words[0].upper(), fullname=words[0].lower(), arity=-2, group=group,
                    syntax="subcommand [arg ...]",
                )
            container.subcommands[words[1].lower().encode()] = entry
        return handler

    return register


def describe_container(name: str, *, summary: str, since: str = "", arity: int | None = None,
                       handler: Callable | None = None) -> None:
    """Give a container command (XGROUP, XINFO, ...) its learner-facing summary; a container that
    also runs without a subcommand (bare ``COMMAND``) gets its own arity and handler."""
    entry = COMMANDS[name.lower().encode()]
    entry.summary = summary
    entry.since = since
    if handler is not None:
        entry.handler = handler
        entry.arity = arity if arity is not None else entry.arity


def all_commands() -> list[Command]:
    """Every command and subcommand, sorted by name (containers included)."""
    load()
    found = []
    for entry in COMMANDS.values():
        found.append(entry)
        found.extend(entry.subcommands.values())
    return sorted(found, key=lambda c: c.name)


_loaded = False


def load() -> dict[bytes, Command]:
    """Import every command module so that the table is complete."""
    global _loaded
    if not _loaded:
        from . import (  # noqa: F401
            cluster, connection, groups, introspection, keys, persistence, pubsub,
            stream_info, streams,
        )

        for entry in COMMANDS.values():
            _adopt_redis_metadata(entry)
            for sub in entry.subcommands.values():
                _adopt_redis_metadata(sub)
        _loaded = True
    return COMMANDS


def _adopt_redis_metadata(entry: Command) -> None:
    """Take summary, since, complexity, group and flags from Redis; keep the learner text."""
    from . import command_meta

    name = entry.fullname.encode()
    if not command_meta.doc_field(name, "summary"):
        return  # not a Redis command: keep what the handler declared
    entry.note = entry.summary
    entry.summary = command_meta.doc_field(name, "summary")
    entry.since = command_meta.doc_field(name, "since")
    entry.complexity = command_meta.doc_field(name, "complexity")
    entry.group = command_meta.doc_field(name, "group")
    entry.flags = frozenset(command_meta.flags(name))

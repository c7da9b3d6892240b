"""``HELP XADD``, ``HELP @stream``: help generated from the command table.

Like redis-cli, the shell answers HELP itself (it is not a Redis command). The text shows the
synopsis in redis-cli's compact style, then Redis's own summary, complexity, since and group
(the table takes them from redis-server 7.0.15's COMMAND DOCS, as redis-cli and iredis take them
from Redis's docs), then redis-lab's extras: a note written for learners, an example, related
commands, and (through ``LESSON_FINDERS``) the lesson that teaches the command.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from ..commands.table import Command, all_commands, load
from . import grammar

#: Callables ``finder(command_name) -> "lesson title" | None``; the course registers one.
LESSON_FINDERS: list[Callable[[str], str | None]] = []

GROUP_TITLES = {
    "stream": "Streams",
    "pubsub": "Pub/Sub",
    "generic": "Keys",
    "string": "Strings",
    "connection": "Connection",
    "server": "Server",
    "transactions": "Transactions",
}


def related_names(words) -> list[str]:
    """``("XINFO", "GROUPS", "XPENDING")`` -> ``["XINFO GROUPS", "XPENDING"]``: a word that is a
    subcommand of the word before it belongs to it (the table keeps related names as words)."""
    table = load()
    out: list[str] = []
    for word in words:
        previous = out[-1] if out else ""
        container = table.get(previous.lower().encode()) if previous and " " not in previous \
            else None
        if container is not None and word.lower().encode() in container.subcommands:
            out[-1] = f"{previous} {word}"
        else:
            out.append(word)
    return out


def synopsis(command: Command, compact: bool = True) -> str:
    """``XADD key [NOMKSTREAM] ...`` (compact: redis-cli's ``MAXLEN|MINID`` style)."""
    if not command.syntax:
        return command.name
    if compact:
        return f"{command.name} {grammar.render(grammar.grammar(command.syntax))}".rstrip()
    return command.synopsis


def _wrap(label: str, text: str, width: int) -> list[str]:
    head = f"  {label}: "
    return textwrap.wrap(text, width=max(40, width), initial_indent=head, break_on_hyphens=False,
                         subsequent_indent=" " * len(head)) or [head.rstrip()]


def _lesson_for(name: str) -> str | None:
    for finder in LESSON_FINDERS:
        try:
            found = finder(name)
        except Exception:  # noqa: BLE001 - help must not fail because of a lesson index
            found = None
        if found:
            return found
    return None


def command_help(command: Command, width: int = 100) -> str:
    """The full help block of one command or subcommand."""
    lines = ["  " + synopsis(command)]
    if command.summary:
        lines += _wrap("summary", command.summary, width)
    if command.note and command.note != command.summary:
        lines += _wrap("note", command.note, width)
    if command.complexity:
        lines += _wrap("complexity", command.complexity, width)
    if command.since:
        lines.append(f"  since: {command.since}")
    lines.append(f"  group: {command.group}")
    if command.example:
        lines.append(f"  example: {command.example}")
    if command.related:
        lines += _wrap("related", ", ".join(related_names(command.related)), width)
    if command.is_container:
        lines.append("  subcommands:")
        subs = sorted(command.subcommands.values(), key=lambda c: c.name)
        for sub in subs:
            lines.append("    " + synopsis(sub))
            if sub.summary:
                lines += textwrap.wrap(sub.summary, width=max(40, width),
                                       initial_indent="      ", subsequent_indent="      ")
        lines.append(f"  (HELP {command.name} <subcommand> for more)")
    lesson = _lesson_for(command.name)
    if lesson:
        lines.append(f"  lesson: {lesson}")
    return "\n".join(lines)


def groups() -> list[str]:
    return sorted({c.group for c in all_commands()})


def group_help(group: str, width: int = 100) -> str:
    members = [c for c in all_commands() if c.group == group and not c.is_container]
    if not members:
        return f"no command group @{group}; groups: " + ", ".join("@" + g for g in groups())
    lines = [f"  {GROUP_TITLES.get(group, group)} commands (@{group}):", ""]
    for command in members:
        lines.append("  " + synopsis(command))
        if command.summary:
            lines += textwrap.wrap(command.summary, width=max(40, width),
                                   initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines)


def banner() -> str:
    group_list = " ".join("@" + g for g in groups())
    return "\n".join([
        "redis-lab: an in-process Redis 7.0 for learning Pub/Sub and Streams.",
        "  HELP <command>        syntax, summary, complexity and an example (e.g. HELP XADD)",
        f"  HELP @<group>         the commands of a group: {group_list}",
        "  @name COMMAND ...     run one command as client 'name' (e.g. @alice SUBSCRIBE chat)",
        "  :help                 the shell's own commands (:as, :clients, :clock, :advance ...)",
        "  Tab completes; the grey text after the cursor is what the command still expects.",
    ])


def find(args: list[str]) -> Command | None:
    table = load()
    if not args:
        return None
    top = table.get(args[0].lower().encode("utf-8", "surrogateescape"))
    if top is not None and top.is_container and len(args) > 1:
        return top.subcommands.get(args[1].lower().encode("utf-8", "surrogateescape"), top)
    return top


def render_help(args: list[str], width: int = 100) -> str:
    """Answer ``HELP <args>``."""
    if not args:
        return banner()
    topic = args[0]
    if topic.startswith("@"):
        return group_help(topic[1:].lower(), width)
    command = find(args)
    if command is None:
        return (f"no help for '{' '.join(args)}': not a command redis-lab knows. "
                "Try HELP @stream or HELP @pubsub.")
    return command_help(command, width)


def help_renderer(session, args: list[bytes]) -> str:
    """The ``Session.help_renderer`` hook."""
    width = session.env.width(session.settings)
    return render_help([a.decode("utf-8", "surrogateescape") for a in args], width)

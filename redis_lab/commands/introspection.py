"""COMMAND and its subcommands: the command table as Redis describes it.

Each command's COMMAND INFO and COMMAND DOCS answer is redis-server 7.0.15's own, byte for byte
(``command_meta``). The lists (bare COMMAND, COMMAND COUNT, COMMAND LIST, COMMAND INFO/DOCS
without names) cover what the engine implements, so they are shorter than Redis's: a learner who
reads COMMAND LIST sees the commands that work here (docs/FIDELITY.md).
"""

from __future__ import annotations

from ..model import errors
from ..model.errors import CommandError
from ..model.glob import glob_match
from ..model.reply import Map, Raw, Status
from . import command_meta, getkeys
from .connection import help_reply
from .table import COMMANDS, command, describe_container


def _names() -> list[bytes]:
    """Fullnames of the implemented commands and subcommands (containers included)."""
    names = []
    for entry in COMMANDS.values():
        names.append(entry.fullname.encode())
        names.extend(sub.fullname.encode() for sub in entry.subcommands.values())
    return names


def _implemented(name: bytes) -> bool:
    base, _, sub = name.lower().partition(b"|")
    entry = COMMANDS.get(base)
    return entry is not None and (not sub or sub in entry.subcommands)


def _infos(client, names: list[bytes]) -> list:
    resp3 = client.resp == 3
    return [command_meta.info(name, resp3) if _implemented(name) else None for name in names]


def command_all(client, args):
    """Bare ``COMMAND``: every implemented command's COMMAND INFO entry."""
    return _infos(client, list(COMMANDS))


@command("COMMAND INFO", arity=-2, group="server", syntax="[command-name [command-name ...]]",
         summary="Redis's description of commands: arity, flags, key positions, ACL categories, "
                 "subcommands.", example="COMMAND INFO XADD", related="COMMAND DOCS")
def command_info(client, args):
    return _infos(client, args[2:] or list(COMMANDS))


@command("COMMAND DOCS", arity=-2, group="server", syntax="[command-name [command-name ...]]",
         summary="Redis's documentation of commands: summary, since, complexity, arguments.",
         example="COMMAND DOCS XREADGROUP", related="COMMAND INFO")
def command_docs(client, args):
    resp3 = client.resp == 3
    found = Map()
    for name in args[2:] or list(COMMANDS):
        if _implemented(name):
            found += [command_meta.fullname_of(name).encode(), command_meta.docs(name, resp3)]
    return found


@command("COMMAND COUNT", arity=2, group="server",
         summary="How many commands this server knows (redis-lab implements the Pub/Sub, "
                 "Streams and keyspace commands the course needs, so fewer than Redis's 240).",
         example="COMMAND COUNT")
def command_count(client, args):
    return len(COMMANDS)


_FILTERS = {b"module", b"aclcat", b"pattern"}


@command("COMMAND LIST", arity=-2, group="server",
         syntax="[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]",
         summary="The names of the commands and subcommands this server implements.",
         example="COMMAND LIST FILTERBY PATTERN x*", related="COMMAND COUNT")
def command_list(client, args):
    if len(args) == 2:
        return _names()
    if len(args) != 5 or args[2].lower() != b"filterby" or args[3].lower() not in _FILTERS:
        raise CommandError(errors.SYNTAX)
    kind, value = args[3].lower(), args[4]
    if kind == b"module":
        return []  # no command of this server comes from a module
    if kind == b"aclcat":
        category = value.decode("utf-8", "surrogateescape").lower()
        return [n for n in _names() if category in command_meta.categories(n)]
    pattern = value.lower()
    return [n for n in _names() if glob_match(pattern, n)]


def _lookup(words: list[bytes]):
    """Redis's lookupCommand: the command, or for a container the subcommand named next."""
    base = COMMANDS.get(words[0].lower())
    if base is None or not base.subcommands or len(words) == 1:
        return base
    return base.subcommands.get(words[1].lower())


def _keys(words: list[bytes]) -> list[getkeys.KeyRef]:
    """The key positions of a full command, with Redis's errors (getKeysSubcommandImpl)."""
    cmd = _lookup(words)
    if cmd is None:
        raise CommandError(errors.GETKEYS_INVALID_COMMAND)
    specs = command_meta.key_specs(cmd.fullname.encode())
    if not getkeys.has_keys(cmd.fullname, specs):
        raise CommandError(errors.GETKEYS_NO_KEYS)
    if not cmd.arity_ok(len(words)):
        raise CommandError(errors.GETKEYS_ARITY)
    found = getkeys.get_keys(cmd.fullname, specs, words)
    if not found and "no_mandatory_keys" not in cmd.flags:
        raise CommandError(errors.GETKEYS_INVALID_ARGS)
    return found


@command("COMMAND GETKEYS", arity=-4, group="server", syntax="command arg [arg ...]",
         summary="Which arguments of a full command are keys, found from Redis's key specs.",
         example="COMMAND GETKEYS XREAD STREAMS a b 0 0", related="COMMAND GETKEYSANDFLAGS")
def command_getkeys(client, args):
    words = args[2:]
    return [words[pos] for pos, _ in _keys(words)]


@command("COMMAND GETKEYSANDFLAGS", arity=-4, group="server", syntax="command arg [arg ...]",
         summary="The keys of a full command, each with how it is accessed (RO, RW, access...).",
         example="COMMAND GETKEYSANDFLAGS SET k v GET", related="COMMAND GETKEYS")
def command_getkeysandflags(client, args):
    words = args[2:]
    resp3 = client.resp == 3
    return [[words[pos], Raw(command_meta.to_resp(command_meta.Set(map(Status, flags)), resp3))]
            for pos, flags in _keys(words)]


@command("COMMAND HELP", arity=2, group="server",
         summary="Show the COMMAND subcommands.", example="COMMAND HELP")
def command_help(client, args):
    return help_reply(args, "command")


describe_container("COMMAND", summary="Introspect the command table.", arity=-1,
                   handler=command_all)

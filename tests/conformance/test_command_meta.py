"""COMMAND, COMMAND INFO / DOCS / COUNT / LIST against a real redis-server 7.0.15.

Every implemented command's (and subcommand's) COMMAND INFO and COMMAND DOCS answer is compared
with the server's byte for byte, in RESP2 and RESP3. The one thing put in a canonical order first
is what Redis itself emits in hash order: a container's subcommands (INFO's tenth field, DOCS's
``subcommands`` map), which differ between two runs of the same server. The lists (bare COMMAND,
COUNT, LIST) cover only the commands the engine implements: they are checked to be exactly the
server's answers restricted to those commands (the declared divergence in docs/FIDELITY.md).
"""

from __future__ import annotations

import pytest

import harness
from redis_lab.commands import command_meta
from redis_lab.commands.table import all_commands, load


def _implemented() -> list[str]:
    """Fullnames of every implemented command and subcommand."""
    return sorted(entry.fullname for entry in all_commands())


NAMES = _implemented()
TOP = [name for name in NAMES if "|" not in name]


def _canonical(frame):
    """The frame with Redis's hash-ordered parts (subcommand lists and maps) sorted."""
    kind, payload = frame
    if kind not in "*~%" or payload is None:
        return frame
    items = [_canonical(item) for item in payload]
    if kind in "*~" and len(items) == 10 and items[1][0] == ":" and items[9][0] in "*~":
        sub_kind, subs = items[9]  # a COMMAND INFO entry: sort its subcommand entries
        items[9] = (sub_kind, sorted(subs, key=harness.encode_frame))
    if kind == "%" or (kind == "*" and _is_docs_map(items)):
        pairs = list(zip(items[::2], items[1::2]))
        for i, (key, value) in enumerate(pairs):
            if key == ("$", b"subcommands") and value[0] in "*%":
                sub_pairs = list(zip(value[1][::2], value[1][1::2]))
                sub_pairs.sort(key=lambda p: p[0][1])
                pairs[i] = (key, (value[0], [x for pair in sub_pairs for x in pair]))
        items = [x for pair in pairs for x in pair]
    return (kind, items)


def _is_docs_map(items) -> bool:
    return len(items) % 2 == 0 and ("$", b"summary") in items[::2]


def _canonical_bytes(raw: bytes) -> bytes:
    (frame,) = harness.parse_frames(raw)
    return harness.encode_frame(_canonical(frame))


def _server(redis_server, resp3: bool, commands: list[tuple]) -> list[bytes]:
    prefix = [("HELLO", "3")] if resp3 else []
    return redis_server.session(*prefix, *commands)[len(prefix):]


def _engine(engine, resp3: bool, commands: list[tuple]) -> list[bytes]:
    client = engine.client("meta")
    if resp3:
        client.call(b"HELLO", b"3")
    return [client.call(*[a.encode() if isinstance(a, str) else a for a in c]) for c in commands]


def _mixed_case(name: str) -> str:
    return "".join(ch.upper() if i % 2 else ch for i, ch in enumerate(name))


def test_the_data_covers_every_implemented_command():
    missing = [name for name in NAMES if command_meta.info(name.encode(), False) is None]
    assert not missing, ("no Redis metadata for " + ", ".join(missing)
                         + ": run scripts/gen_command_meta.py against redis-server 7.0.15")


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
@pytest.mark.parametrize("sub", ["INFO", "DOCS"])
def test_each_command_matches_the_server(redis_server, engine, sub, resp3):
    commands = [("COMMAND", sub, name) for name in NAMES]
    commands += [("COMMAND", sub, _mixed_case(name)) for name in NAMES]
    ours = _engine(engine, resp3, commands)
    theirs = _server(redis_server, resp3, commands)
    for command, mine, real in zip(commands, ours, theirs):
        assert _canonical_bytes(mine) == _canonical_bytes(real), " ".join(command)
        if "|" in command[2] or command[2].lower() not in ("client", "pubsub", "command",
                                                         "xgroup", "xinfo", "cluster"):
            assert mine == real, " ".join(command)  # no hash-ordered part: byte for byte


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
def test_several_names_unknown_names_and_errors(redis_server, engine, resp3):
    commands = [
        ("COMMAND", "INFO", "nosuch", "xlen", "XADD", "nosuch|x"),
        ("COMMAND", "DOCS", "nosuch", "xlen", "xinfo|consumers", "PUBLISH"),
        ("COMMAND", "INFO", "xlen|nosuch"),
        ("COMMAND", "DOCS", "xgroup|nosuch"),
        ("COMMAND", "DOCS", ""),
        ("COMMAND", "LIST", "foo"),
        ("COMMAND", "LIST", "FILTERBY", "BAD", "x"),
        ("COMMAND", "LIST", "FILTERBY", "PATTERN"),
        ("COMMAND", "LIST", "filterby", "pattern", "a", "b"),
        ("COMMAND", "LIST", "FILTERBY", "MODULE", "json"),
        ("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"),
        ("COMMAND", "LIST", "FILTERBY", "ACLCAT", "@pubsub"),
        ("COMMAND", "COUNT", "x"),
        ("COMMAND", "NOSUCH"),
    ]
    ours = _engine(engine, resp3, commands)
    theirs = _server(redis_server, resp3, commands)
    for command, mine, real in zip(commands, ours, theirs):
        assert mine == real, " ".join(command)


def _names(raw: bytes) -> set[bytes]:
    (frame,) = harness.parse_frames(raw)
    return {payload for _, payload in frame[1]}


@pytest.mark.parametrize("filterby", [
    (), ("PATTERN", "x*"), ("PATTERN", "X*"), ("PATTERN", "xinfo|*"), ("PATTERN", "*sub*"),
    ("PATTERN", "[cp]*"), ("ACLCAT", "pubsub"), ("ACLCAT", "Stream"), ("ACLCAT", "write"),
    ("ACLCAT", "connection"), ("ACLCAT", "slow"),
])
def test_list_is_the_servers_list_restricted_to_implemented_commands(redis_server, engine,
                                                                     filterby):
    command = ("COMMAND", "LIST", *(("FILTERBY", *filterby) if filterby else ()))
    (ours,) = _engine(engine, False, [command])
    (theirs,) = _server(redis_server, False, [command])
    implemented = {name.encode() for name in NAMES}
    assert _names(ours) == _names(theirs) & implemented
    assert _names(ours)  # every filter above selects some implemented command


def test_bare_command_and_count_describe_the_implemented_commands(redis_server, engine):
    bare, count, info_all = _engine(engine, False, [("COMMAND",), ("COMMAND", "COUNT"),
                                                    ("COMMAND", "INFO")])
    (entries,) = harness.parse_frames(bare)
    assert entries[0] == "*"  # the table, not an arity error
    assert count == b":%d\r\n" % len(TOP) and len(entries[1]) == len(TOP)
    assert bare == info_all
    names = [entry[1][0][1].decode() for entry in entries[1]]
    assert sorted(names) == TOP
    theirs = _server(redis_server, False, [("COMMAND", "INFO", name) for name in names])
    for entry, real in zip(entries[1], theirs):
        (_, (real_entry,)), = harness.parse_frames(real)
        assert _canonical(entry) == _canonical(real_entry), entry[1][0]


def test_docs_without_names_is_every_implemented_command(engine):
    (raw,) = _engine(engine, True, [("COMMAND", "DOCS")])
    (frame,) = harness.parse_frames(raw)
    assert frame[0] == "%"
    assert sorted(key.decode() for _, key in frame[1][::2]) == TOP


def test_the_table_declares_the_servers_arity_and_the_data_is_from_7_0_15(redis_server):
    hello = redis_server.command("HELLO", "3")
    assert b"$7\r\nversion\r\n$6\r\n%s\r\n" % command_meta.REDIS_VERSION.encode() in hello
    replies = redis_server.session(*[("COMMAND", "INFO", name) for name in NAMES])
    for name, raw in zip(NAMES, replies):
        (_, (entry,)), = harness.parse_frames(raw)
        entry_name, arity = entry[1][0][1], entry[1][1][1]
        table = load()[name.split("|")[0].encode()]
        if "|" in name:
            table = table.subcommands[name.split("|")[1].encode()]
        assert (entry_name.decode(), table.arity) == (name, arity)
        flags = sorted(payload.decode() for _, payload in entry[1][2][1])
        assert sorted(table.flags) == flags, name


# --- the shell draws on the same table ------------------------------------------------------------


@pytest.fixture
def shell_session():
    from redis_lab.app import make_session
    from redis_lab.settings import Settings

    return make_session(Settings(virtual_clock=True), interactive=False)


def _help(session, line: str) -> str:
    from redis_lab.session import render

    return "\n".join(render(p) for p in session.run_line(line).printed)


@pytest.mark.parametrize("name", NAMES)
def test_help_shows_redis_summary_complexity_and_since(shell_session, name):
    text = " ".join(_help(shell_session, "HELP " + name.replace("|", " ")).split())
    for field in ("summary", "complexity", "since", "group"):
        value = command_meta.doc_field(name.encode(), field)
        assert value and f"{field}: {' '.join(value.split())}" in text, field


def test_help_xinfo_consumers_uses_redis_words_for_idle(shell_session):
    text = _help(shell_session, "HELP XINFO CONSUMERS")
    assert "summary: List the consumers in a consumer group" in text
    assert "last seen" not in text


def test_completion_shows_redis_summaries(shell_session):
    from redis_lab.shell.completion import Catalog, complete_line

    _, found = complete_line("XINFO ", Catalog(shell_session), shell_session.current)
    assert {c.text: c.meta for c in found}["CONSUMERS"] == "List the consumers in a consumer group"
    _, found = complete_line("XLE", Catalog(shell_session), shell_session.current)
    assert [(c.text, c.meta) for c in found] == [
        ("XLEN", "Return the number of entries in a stream")]


# --- COMMAND GETKEYS / GETKEYSANDFLAGS ---------------------------------------------------------------

GETKEYS_CASES = [
    ("SET", "k", "v"), ("SET", "k", "v", "GET"), ("SET", "k", "v", "get", "EX", "10"),
    ("SET", "k", "v", "EX", "10", "GET"), ("SET", "get", "v"), ("GET", "k"), ("DEL", "a", "b", "c"),
    ("EXISTS", "a"), ("XREAD", "STREAMS", "a", "b", "0", "0"), ("XREAD", "STREAMS", "a", "0"),
    ("XREAD", "COUNT", "2", "STREAMS", "a", "b", "c", "0", "0", "0"), ("XREAD", "STREAMS", "a"),
    ("XREAD", "STREAMS", "a", "b", "0"), ("XREAD", "BLOCK", "0", "STREAMS", "streams", "0"),
    ("XREAD", "STREAMS"), ("XREAD", "COUNT", "1", "x", "y"), ("XREAD", "a", "b", "c"),
    ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
    ("XREADGROUP", "GROUP", "streams", "streams", "STREAMS", "s", ">"),
    ("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "s", "t", ">", ">"),
    ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"), ("XGROUP", "CREATE", "s", "g", "$"),
    ("XINFO", "STREAM", "s", "FULL"), ("XINFO", "HELP"), ("XINFO",), ("XINFO", "nosuch", "s"),
    ("PUBLISH", "ch", "m"), ("SPUBLISH", "ch", "m"), ("SSUBSCRIBE", "a", "b"), ("PING",),
    ("WATCH", "a", "b"), ("XADD", "s", "*", "f", "v"), ("XLEN",), ("XLEN", "a", "b"),
    ("nosuch", "k"), ("CLIENT", "LIST"), ("COMMAND", "GETKEYS", "GET", "k"), ("Get", "K"),
]


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
def test_getkeys_matches_the_server(redis_server, engine, resp3):
    commands = [("COMMAND", sub, *case) for case in GETKEYS_CASES
                for sub in ("GETKEYS", "GETKEYSANDFLAGS")]
    # Every implemented command with 0 to 6 plain arguments: arity and key-position rules.
    for name in NAMES:
        words = [w.upper() for w in name.split("|")]
        for extra in range(7):
            commands.append(("COMMAND", "GETKEYSANDFLAGS", *words,
                             *[f"a{i}" for i in range(extra)]))
    ours = _engine(engine, resp3, commands)
    theirs = _server(redis_server, resp3, commands)
    for command, mine, real in zip(commands, ours, theirs):
        assert mine == real, " ".join(command)

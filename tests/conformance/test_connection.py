"""Connection commands and command-table errors, differentially against redis-server 7.0.

HELLO (2, 3, AUTH, SETNAME, errors), RESET, QUIT, TIME, CLIENT ID / SETNAME / GETNAME / LIST /
INFO / HELP, COMMAND COUNT; unknown commands and subcommands; and wrong arity for every command
and subcommand in scope, generated from ARITY (checked against the server's COMMAND INFO).
"""

from __future__ import annotations

import pytest
from harness import (
    MASK_CLIENT_ID,
    MASK_CLIENT_INFO,
    MASK_CLIENT_LIST,
    MASK_HELLO,
    MASK_TIME,
    ClientId,
    advance,
    known,
    masked,
)

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


# --- HELLO ---------------------------------------------------------------------------------------

scenario("hello-resp2-and-resp3", [
    masked(MASK_HELLO, "c", "HELLO"),
    masked(MASK_HELLO, "c", "HELLO", "2"),
    ("c", "GET", "missing"),
    masked(MASK_HELLO, "c", "HELLO", "3"),
    masked(MASK_HELLO, "c", "HELLO"),
    ("c", "GET", "missing"),
    ("c", "SET", "k", "v"),
    ("c", "GET", "k"),
    ("c", "SET", "k", "v2", "NX"),
    ("c", "EXISTS", "k"),
    ("c", "TYPE", "k"),
    ("c", "KEYS", "k*"),
    ("c", "SCAN", "0"),
    ("c", "PUBSUB", "NUMSUB", "a", "b"),
    ("c", "PUBSUB", "CHANNELS"),
    ("c", "PUBSUB", "NUMPAT"),
    ("c", "PUBSUB", "HELP"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "CLIENT", "HELP"),
    masked(MASK_TIME, "c", "TIME"),
    masked(MASK_CLIENT_ID, "c", "CLIENT", "ID"),
    masked(MASK_CLIENT_INFO, "c", "CLIENT", "INFO"),
    masked(MASK_CLIENT_LIST, "c", "CLIENT", "LIST"),
    ("c", "NOSUCH", "cmd"),
    ("c", "GET"),
    ("c", "UNSUBSCRIBE"),
    ("c", "XADD", "k", "1-1", "f", "v"),
    masked(MASK_HELLO, "c", "HELLO", "2"),
    ("c", "GET", "missing"),
    masked(MASK_HELLO, "c", "hello", "3"),
])

scenario("hello-errors", [
    ("c", "HELLO", "4"),
    ("c", "HELLO", "1"),
    ("c", "HELLO", "0"),
    ("c", "HELLO", "-1"),
    ("c", "HELLO", "abc"),
    ("c", "HELLO", ""),
    ("c", "HELLO", "3.0"),
    ("c", "HELLO", "99999999999999999999"),
    ("c", "HELLO", "4", "SETNAME", "x"),
    ("c", "HELLO", "3", "FOO"),
    ("c", "HELLO", "3", "SETNAME"),
    ("c", "HELLO", "3", "AUTH"),
    ("c", "HELLO", "3", "AUTH", "default"),
    ("c", "HELLO", "3", "AUTH", "nosuchuser", "pw"),
    ("c", "HELLO", "3", "SETNAME", "bad name"),
    ("c", "HELLO", "3", "SETNAME", "bad\nname"),
    ("c", "HELLO", "abc", "SETNAME", "x"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "GET", "missing"),
])

scenario("hello-auth-and-setname", [
    masked(MASK_HELLO, "c", "HELLO", "3", "AUTH", "default", "any-password"),
    ("c", "CLIENT", "GETNAME"),
    masked(MASK_HELLO, "c", "HELLO", "2", "SETNAME", "worker-1"),
    ("c", "CLIENT", "GETNAME"),
    masked(MASK_HELLO, "c", "HELLO", "3", "AUTH", "default", "pw", "SETNAME", "worker-2"),
    ("c", "CLIENT", "GETNAME"),
    masked(MASK_HELLO, "c", "HELLO", "3", "setname", "w3", "auth", "default", "x"),
    ("c", "CLIENT", "GETNAME"),
    masked(MASK_HELLO, "c", "HELLO", "3", "SETNAME", "a", "SETNAME", "b"),
    ("c", "CLIENT", "GETNAME"),
    masked(MASK_HELLO, "c", "HELLO", "3", "SETNAME", ""),
    ("c", "CLIENT", "GETNAME"),
    masked(MASK_CLIENT_INFO, "c", "CLIENT", "INFO"),
])

# --- RESET / QUIT ----------------------------------------------------------------------------------

scenario("reset-clears-connection-state", [
    ("c", "CLIENT", "SETNAME", "named"),
    ("c", "SELECT", "2"),
    ("c", "SET", "in-db2", "v"),
    masked(MASK_HELLO, "c", "HELLO", "3"),
    ("c", "SUBSCRIBE", "ch"),
    ("c", "RESET"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "GET", "in-db2"),
    ("c", "DBSIZE"),
    ("c", "GET", "missing"),
    ("other", "PUBLISH", "ch", "nobody"),
    masked(MASK_CLIENT_INFO, "c", "CLIENT", "INFO"),
    ("c", "RESET"),
    ("c", "reset"),
])

scenario("quit", [
    ("c", "SET", "k", "v"),
    ("c", "QUIT"),
    ("other", "GET", "k"),
    ("d", "QUIT", "with", "args"),
    masked(MASK_HELLO, "e", "HELLO", "3"),
    ("e", "QUIT"),
    ("f", "quit"),
    masked(MASK_CLIENT_LIST, "other", "CLIENT", "LIST"),
])

# --- TIME ----------------------------------------------------------------------------------------

scenario("time", [
    masked(MASK_TIME, "c", "TIME"),
    ("c", "TIME", "extra"),
    masked(MASK_HELLO, "c", "HELLO", "3"),
    masked(MASK_TIME, "c", "TIME"),
])

# --- CLIENT --------------------------------------------------------------------------------------

scenario("client-id-setname-getname", [
    masked(MASK_CLIENT_ID, "c", "CLIENT", "ID"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "CLIENT", "SETNAME", "alpha"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "client", "getname"),
    ("c", "CLIENT", "SETNAME", "with space"),
    ("c", "CLIENT", "SETNAME", "new\nline"),
    ("c", "CLIENT", "SETNAME", "tab\there"),
    ("c", "CLIENT", "SETNAME", "caf\u00e9"),
    ("c", "CLIENT", "SETNAME", b"\x7f"),
    ("c", "CLIENT", "SETNAME", b"\x00"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "CLIENT", "SETNAME", "!#$%&()*+,-./:;<=>?@[]^_`{|}~"),
    ("c", "CLIENT", "GETNAME"),
    ("c", "CLIENT", "SETNAME", "x" * 300),
    ("c", "CLIENT", "GETNAME"),
    ("c", "CLIENT", "SETNAME", ""),
    ("c", "CLIENT", "GETNAME"),
    ("c", "CLIENT", "SETNAME", "a", "b"),
    ("c", "CLIENT", "SETNAME"),
    ("c", "CLIENT", "GETNAME", "x"),
    ("c", "CLIENT", "ID", "x"),
    ("other", "CLIENT", "GETNAME"),
])

scenario("client-list-and-info", [
    ("a", "CLIENT", "SETNAME", "first"),
    ("b", "SELECT", "5"),
    ("b", "SUBSCRIBE", "x"),
    masked(MASK_HELLO, "c", "HELLO", "3"),
    masked(MASK_CLIENT_LIST, "a", "CLIENT", "LIST"),
    masked(MASK_CLIENT_INFO, "a", "CLIENT", "INFO"),
    masked(MASK_CLIENT_INFO, "c", "CLIENT", "INFO"),
    masked(MASK_CLIENT_LIST, "c", "CLIENT", "LIST"),
    masked(MASK_CLIENT_LIST, "a", "CLIENT", "LIST", "TYPE", "normal"),
    masked(MASK_CLIENT_LIST, "a", "CLIENT", "LIST", "TYPE", "pubsub"),
    masked(MASK_CLIENT_LIST, "a", "CLIENT", "LIST", "TYPE", "master"),
    masked(MASK_CLIENT_LIST, "a", "CLIENT", "LIST", "TYPE", "replica"),
    masked(MASK_CLIENT_LIST, "a", "CLIENT", "LIST", "TYPE", "slave"),
    masked(MASK_CLIENT_LIST, "a", "client", "list", "type", "NORMAL"),
    masked(MASK_CLIENT_INFO, "a", "CLIENT", "LIST", "ID", ClientId("b")),
    masked(MASK_CLIENT_INFO, "a", "CLIENT", "LIST", "ID", ClientId("c"), ClientId("a")),
    ("a", "CLIENT", "LIST", "ID", "999999"),
    ("a", "CLIENT", "LIST", "TYPE", "foo"),
    ("a", "CLIENT", "LIST", "TYPE"),
    ("a", "CLIENT", "LIST", "ID"),
    ("a", "CLIENT", "LIST", "ID", "abc"),
    ("a", "CLIENT", "LIST", "ID", "0"),
    ("a", "CLIENT", "LIST", "ID", "-5"),
    ("a", "CLIENT", "LIST", "FOO"),
    ("a", "CLIENT", "LIST", "FOO", "bar"),
    ("a", "CLIENT", "INFO", "x"),
    ("b", "UNSUBSCRIBE"),
    masked(MASK_CLIENT_INFO, "b", "CLIENT", "INFO"),
])

scenario("client-list-cmd-field", [
    # CLIENT LIST's cmd= is set when the command is looked up: NULL after an unknown command or
    # subcommand, the command's name after an arity or argument error
    ("a", "GET", "k"),
    ("b", "GET", "k"),
    ("b", "NOSUCHCOMMAND"),
    ("c", "ECHO", "x"),
    ("c", "GET"),
    ("d", "GET", "k"),
    ("d", "PUBSUB", "NOSUCHSUB"),
    ("e", "GET", "k"),
    ("e", "CLIENT", "ID", "x"),
    ("f", "GET", "k"),
    ("f", "CLIENT", "SETNAME", "bad name"),
    ("g", "GET", "k"),
    ("g", "PUBSUB", "CHANNELS", "a", "b"),
    ("h", "SUBSCRIBE", "ch"),
    ("h", "GET", "k"),
    ("i", "NOSUCHCOMMAND"),
    ("j", "Echo", "x"),
    masked(MASK_CLIENT_LIST, "admin", "CLIENT", "LIST"),
    masked(MASK_CLIENT_INFO, "admin", "CLIENT", "LIST", "ID", ClientId("a"), ClientId("a")),
    ("admin", "CLIENT", "LIST", "ID", ClientId("a"), "abc"),
    ("admin", "CLIENT", "LIST", "ID", "abc", ClientId("a")),
    masked(MASK_CLIENT_INFO, "admin", "CLIENT", "LIST", "TYPE", "normal", "ID", ClientId("b")),
    masked(MASK_CLIENT_INFO, "admin", "CLIENT", "LIST", "ID", ClientId("b"), "TYPE", "normal"),
])

scenario("client-help-and-errors", [
    ("c", "CLIENT", "HELP"),
    ("c", "client", "help"),
    ("c", "CLIENT", "HELP", "x"),
    ("c", "CLIENT"),
    ("c", "CLIENT", "FOO"),
    ("c", "CLIENT", "foo", "bar"),
    ("c", "CLIENT", ""),
    ("c", "CLIENT", "with space"),
    masked(MASK_HELLO, "c", "HELLO", "3"),
    ("c", "CLIENT", "HELP"),
    ("c", "CLIENT", "FOO"),
])

# --- blocked clients (also exercises the harness's blocking support) ----------------------------

scenario("client-unblock", [
    ("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    masked(MASK_CLIENT_LIST, "admin", "CLIENT", "LIST"),
    ("admin", "CLIENT", "UNBLOCK", ClientId("reader")),
    ("admin", "CLIENT", "UNBLOCK", ClientId("reader")),
    ("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("admin", "CLIENT", "UNBLOCK", ClientId("reader"), "ERROR"),
    ("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("admin", "CLIENT", "UNBLOCK", ClientId("reader"), "FOO"),
    ("admin", "CLIENT", "UNBLOCK", ClientId("reader"), "timeout"),
    ("admin", "CLIENT", "UNBLOCK", ClientId("admin")),
    ("admin", "CLIENT", "UNBLOCK", "abc"),
    ("admin", "CLIENT", "UNBLOCK", "999999"),
    ("admin", "CLIENT", "UNBLOCK", "-1"),
    ("admin", "CLIENT", "UNBLOCK", ClientId("reader"), "ERROR", "extra"),
    ("reader", "PING"),
])

scenario("blocked-read-timeout-and-wakeup", [
    ("reader", "XREAD", "BLOCK", "100", "STREAMS", "s", "$"),
    advance(150),
    ("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    masked(MASK_HELLO, "reader3", "HELLO", "3"),
    ("reader3", "XREAD", "BLOCK", "2000", "STREAMS", "s", "$"),
    ("reader2", "XREAD", "BLOCK", "60000", "STREAMS", "s", "$"),
    ("writer", "XADD", "s", "1-1", "f", "v"),
    advance(150),
    ("writer", "XADD", "s", "2-1", "f", "v"),
    ("reader", "XREAD", "BLOCK", "100", "STREAMS", "s", "0"),
])

# --- COMMAND ----------------------------------------------------------------------------------------

scenario("command-count", [
    known("command-count", "c", "COMMAND", "COUNT"),
    ("c", "COMMAND", "COUNT", "x"),
    ("c", "COMMAND", "FOO"),
    ("c", "command", "foo", "bar"),
])

# --- unknown commands -------------------------------------------------------------------------------

scenario("unknown-commands", [
    ("c", "FOO"),
    ("c", "foo", "a", "b"),
    ("c", "FoO", ""),
    ("c", "FOO", "x" * 200),
    ("c", "FOO", *[f"arg{i:03d}" for i in range(60)]),
    ("c", "FOO", "a" * 100, "b" * 100),
    ("c", "FOO", "a" * 120, "bcdefghij"),
    ("c", "FOO BAR", "x"),
    ("c", "FOO\nBAR"),
    ("c", "FOO\r\nBAR", "a\r\nb"),
    ("c", "FOO", "line\nbreak"),
    ("c", ""),
    ("c", "", ""),
    ("c", "N" * 300),
    ("c", "N" * 300, "arg"),
    ("c", "caf\u00e9", "\u00e9t\u00e9"),
    ("c", b"\x00\xff", b"\x01"),
    ("c", "XGROUPS"),
    ("c", "GETT", "k"),
    ("c", "'quoted'", "'a'"),
    masked(MASK_HELLO, "c", "HELLO", "3"),
    ("c", "FOO", "a"),
    ("c", "PING"),
])

# --- unknown subcommands -------------------------------------------------------------------------------

scenario("unknown-subcommands", [
    ("c", "PUBSUB", "FOO"),
    ("c", "PUBSUB", "foo", "a", "b"),
    ("c", "PUBSUB", "x" * 200),
    ("c", "PUBSUB", "new\nline"),
    ("c", "CLIENT", "FOO"),
    ("c", "CLIENT", "nope", "a"),
    ("c", "COMMAND", "FOO"),
    ("c", "COMMAND", "nope", "a"),
    ("c", "PUBSUB", "NUMPATS"),
    ("c", "CLIENT", "IDS"),
    ("c", "PUBSUB", "CHANNELS", "a", "b"),
    ("c", "PUBSUB", "SHARDCHANNELS", "a", "b", "c"),
    ("c", "Pubsub", "Channels", "a", "b"),
])

# --- arity ------------------------------------------------------------------------------------------------

#: (name, arity) as redis-server 7.0.15 reports them in COMMAND INFO (test_arity_table_is_the_servers
#: keeps this honest). Subcommands are "container|sub".
ARITY: dict[str, int] = {
    "publish": 3, "spublish": 3,
    "subscribe": -2, "psubscribe": -2, "ssubscribe": -2,
    "unsubscribe": -1, "punsubscribe": -1, "sunsubscribe": -1,
    "pubsub": -2,
    "pubsub|channels": -2, "pubsub|numsub": -2, "pubsub|numpat": 2,
    "pubsub|shardchannels": -2, "pubsub|shardnumsub": -2, "pubsub|help": 2,
    "ping": -1, "echo": 2, "del": -2, "exists": -2, "type": 2, "keys": 2, "scan": -2,
    "dbsize": 1, "select": 2, "flushdb": -1, "flushall": -1, "set": -3, "get": 2, "time": 1,
    "hello": -1, "reset": 1, "quit": -1,
    "client": -2,
    "client|id": 2, "client|setname": 3, "client|getname": 2, "client|list": -2,
    "client|info": 2, "client|help": 2, "client|unblock": -3,
    "command": -1, "command|count": 2,
    "xadd": -5, "xlen": 2,
}


def _wrong_arities(arity: int, is_sub: bool) -> list[int]:
    """Word counts (command name included) that the arity rule rejects, near the boundary."""
    minimum = 2 if is_sub else 1
    if arity > 0:
        counts = [arity - 1, arity + 1, arity + 3]
    else:
        counts = [-arity - 1, -arity - 2]
    return sorted({n for n in counts if n >= minimum})


def _arity_steps(fullname: str, arity: int) -> list:
    words = [w.upper() for w in fullname.split("|")]
    steps: list = []
    for n in _wrong_arities(arity, len(words) > 1):
        args = words + [f"a{i}" for i in range(n - len(words))]
        steps.append(("plain", *args))
        steps.append(("plain", *[w.lower() for w in words], *args[len(words):]))
        steps.append(("sub", *args))
    return steps


def _arity_scenarios() -> None:
    for fullname, arity in ARITY.items():
        steps = _arity_steps(fullname, arity)
        if steps:
            scenario(f"arity-{fullname.replace('|', '-')}",
                     [("sub", "SUBSCRIBE", "ch"), *steps, ("sub", "PING"), ("plain", "PING")])


_arity_scenarios()

scenario("arity-mixed-case-and-resp3", [
    masked(MASK_HELLO, "c", "HELLO", "3"),
    ("c", "Get"),
    ("c", "pUbSuB", "nUmPaT", "x"),
    ("c", "Client", "Id", "x"),
    ("c", "SET", "k"),
    ("c", "xAdd", "s", "*"),
    ("c", "COMMAND", "Count", "x"),
    ("c", "SUBSCRIBE", "ch"),
    ("c", "PUBLISH", "ch"),
    ("c", "ECHO"),
])


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_connection(conformance, name):
    conformance.run(SCENARIOS[name], name=name)


def _command_info_arities(redis_server, names: list[str]) -> dict[str, int]:
    import harness

    raw = redis_server.command("COMMAND", "INFO", *names)
    (_, entries), = harness.parse_frames(raw)
    found: dict[str, int] = {}

    def walk(entry):
        _, fields = entry
        name = fields[0][1].decode()
        found[name] = fields[1][1]
        if len(fields) > 9 and fields[9][1]:
            for sub in fields[9][1]:
                walk(sub)

    for entry in entries:
        if entry[1] is not None:
            walk(entry)
    return found


def test_arity_table_is_the_servers(redis_server):
    """ARITY must say what the server's COMMAND INFO says (names and arities)."""
    containers = sorted({name.split("|")[0] for name in ARITY})
    server = _command_info_arities(redis_server, containers)
    for name, arity in ARITY.items():
        assert server.get(name) == arity, f"{name}: table {arity}, redis-server {server.get(name)}"

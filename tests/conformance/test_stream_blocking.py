"""Blocking XREAD / XREADGROUP across several clients, differentially against redis-server 7.0.

FIFO wake-up order, XREAD readers all receiving the same data, the first group reader taking the
entry while the second stays blocked, replies holding only the key that became ready, BLOCK
timeouts (engine: clock.advance; server: the harness sleeps), DEL / SET / FLUSHALL / type change
in MULTI waking XREADGROUP with UNBLOCKED, XGROUP DESTROY waking it with NOGROUP, XREAD not
woken by DEL, MULTI with two XADDs serving a group reader both entries, CLIENT UNBLOCK
[TIMEOUT|ERROR], a blocked '$' remembering its ID across DEL + re-create, the 1000-entry cap for
blocked readers without COUNT, commands queued behind a blocked client, and RESP3 variants.
"""

from __future__ import annotations

import os
import random

import pytest
from harness import ClientId, advance, masked
from test_streams import FAR, MASK_STREAM_TIMES, hello3

SCENARIOS: dict[str, list] = {}


def scenario(name: str, steps: list) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = steps


def times(client: str, *args):
    return masked(MASK_STREAM_TIMES, client, *args)


GROUP_ON_S = [
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("w", "XGROUP", "CREATE", "s", "g", "$"),
]

# ---------------------------------------------------------------------------------------------
# XREAD
# ---------------------------------------------------------------------------------------------

scenario("xread-block-all-readers-get-the-same-data", [
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("carol", "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "1-0"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "0"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "s", "2-0"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "s", "3-0"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "s", "1-0"),
    ("w", "MULTI"),
    ("w", "XADD", "s", "4-0", "f", "v4"),
    ("w", "XADD", "s", "5-0", "f", "v5"),
    ("w", "EXEC"),
])

scenario("xread-block-reply-holds-only-the-ready-key", [
    ("w", "XADD", "a", "1-0", "f", "a1"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "c", "$", "$", "$"),
    ("bob", "XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "c", "b", "a", "0", "0", "1-0"),
    ("w", "XADD", "b", "1-0", "f", "b1"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "c", "$", "$", "$"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "c", "$", "$", "$"),
    ("w", "MULTI"),
    ("w", "XADD", "c", "1-0", "f", "c1"),
    ("w", "XADD", "a", "2-0", "f", "a2"),
    ("w", "EXEC"),
    hello3("carol"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$"),
    ("w", "XADD", "b", "2-0", "f", "b2"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "a", "a", "$", "0"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "a", "a", "$", "$"),
    ("w", "XADD", "a", "3-0", "f", "a3"),
])

scenario("xread-block-fifo-order-across-keys", [
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "k1", "k2", "$", "$"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "k2", "$"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "k2", "k1", "$", "$"),
    ("w", "MULTI"),
    ("w", "XADD", "k2", "1-0", "f", "v"),
    ("w", "XADD", "k1", "1-0", "f", "v"),
    ("w", "EXEC"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "k1", "k2", "$", "$"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "k2", "k1", "$", "$"),
    ("w", "MULTI"),
    ("w", "XADD", "k1", "2-0", "f", "v"),
    ("w", "XADD", "k2", "2-0", "f", "v"),
    ("w", "EXEC"),
])

scenario("xread-block-timeout", [
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("alice", "XREAD", "BLOCK", "100", "STREAMS", "s", "$"),
    ("bob", "XREAD", "BLOCK", "100", "STREAMS", "nokey", "$"),
    hello3("carol"),
    ("carol", "XREAD", "BLOCK", "100", "STREAMS", "s", "nokey", "$", "$"),
    ("dave", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    advance(150),
    ("alice", "PING"),
    ("alice", "XREAD", "BLOCK", "100", "STREAMS", "s", "1-0"),
    ("alice", "XREAD", "BLOCK", "100", "STREAMS", "s", "0"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
])

scenario("xread-not-woken-by-del-and-dollar-remembers-its-id", [
    ("w", "XADD", "s", "5-0", "f", "v5"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "s", "4-0"),
    ("w", "DEL", "s"),
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("w", "SET", "s", "now a string"),
    ("w", "DEL", "s"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
    ("w", "XADD", "s", "5-0", "f", "again"),
    ("w", "XADD", "s", "6-0", "f", "v6"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "t", "$"),
    ("w", "MULTI"),
    ("w", "XADD", "t", "1-0", "f", "v"),
    ("w", "DEL", "t"),
    ("w", "EXEC"),
    ("w", "XADD", "t", "1-0", "f", "v"),
    ("dave", "XREAD", "BLOCK", "0", "STREAMS", "u", "$"),
    ("w", "XGROUP", "CREATE", "u", "g", "$", "MKSTREAM"),
    ("w", "XADD", "u", "MAXLEN", "0", "1-0", "f", "v"),
    ("w", "XADD", "u", "2-0", "f", "v"),
    ("w", "FLUSHALL"),
    ("erin", "XREAD", "BLOCK", "0", "STREAMS", "u", "$"),
    ("w", "FLUSHALL"),
    ("w", "XADD", "u", "0-1", "f", "v"),
])

scenario("xread-blocked-default-count-is-1000", [
    ("w", "XADD", "s", "1-0", "f", "v"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("bob", "XREAD", "COUNT", "3", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "MULTI"),
    *[("w", "XADD", "s", f"{i}-0", "f", "v") for i in range(2, 1007)],
    ("w", "EXEC"),
    ("w", "XLEN", "s"),
])

scenario("xread-block-huge-timeout-waits-forever", [
    ("alice", "XREAD", "BLOCK", "9223372036854775807", "STREAMS", "s", "$"),
    ("bob", "XREAD", "BLOCK", "9223372036854775000", "STREAMS", "s", "$"),
    advance(150),
    ("w", "XADD", "s", "1-0", "f", "v"),
])

# ---------------------------------------------------------------------------------------------
# XREADGROUP
# ---------------------------------------------------------------------------------------------

scenario("xreadgroup-block-first-reader-takes-the-entry", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("carol", "XREADGROUP", "GROUP", "g", "carol", "BLOCK", "0", "STREAMS", "s", ">"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "MULTI"),
    ("w", "XADD", "s", "4-0", "f", "v4"),
    ("w", "XADD", "s", "5-0", "f", "v5"),
    ("w", "EXEC"),
    ("w", "XADD", "s", "6-0", "f", "v6"),
    ("w", "XPENDING", "s", "g"),
    times("w", "XPENDING", "s", "g", "-", "+", "10"),
    ("w", "XINFO", "GROUPS", "s"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("xreadgroup-block-count-noack-and-history", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "BLOCK", "0", "STREAMS", "s",
     ">"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "MULTI"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
    ("w", "EXEC"),
    ("w", "XADD", "s", "4-0", "f", "v4"),
    ("w", "XPENDING", "s", "g"),
    ("w", "XINFO", "GROUPS", "s"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", "0"),
    ("alice", "XREADGROUP", "GROUP", "g", "nobody", "BLOCK", "0", "STREAMS", "s", "0"),
    ("alice", "XREADGROUP", "GROUP", "nog", "x", "BLOCK", "0", "STREAMS", "s", ">"),
    ("alice", "XREADGROUP", "GROUP", "g", "x", "BLOCK", "0", "STREAMS", "nokey", ">"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "XADD", "s", "MAXLEN", "0", "5-0", "f", "v5"),
    ("w", "XPENDING", "s", "g"),
    ("w", "XINFO", "GROUPS", "s"),
    ("w", "XINFO", "STREAM", "s"),
])

scenario("xreadgroup-block-consumer-created-when-served", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
    ("w", "XINFO", "GROUPS", "s"),
    ("w", "XGROUP", "CREATECONSUMER", "s", "g", "alice"),
    ("w", "XGROUP", "DELCONSUMER", "s", "g", "alice"),
    ("w", "XDEL", "s", "1-0"),
    ("w", "XTRIM", "s", "MAXLEN", "0"),
    ("w", "XGROUP", "SETID", "s", "g", "0"),
    ("w", "XGROUP", "CREATE", "s", "other", "0"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
    ("w", "XINFO", "GROUPS", "s"),
])

scenario("xreadgroup-block-timeout", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "100", "STREAMS", "s", ">"),
    hello3("bob"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "100", "STREAMS", "s", ">"),
    ("carol", "XREADGROUP", "GROUP", "g", "carol", "BLOCK", "1000000", "STREAMS", "s", ">"),
    advance(150),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("xreadgroup-woken-by-del-set-flushall", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("bob", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "DEL", "s"),
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("w", "XGROUP", "CREATE", "s", "g", "$"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "SET", "s", "string"),
    ("w", "DEL", "s"),
    *GROUP_ON_S,
    hello3("carol"),
    ("carol", "XREADGROUP", "GROUP", "g", "carol", "BLOCK", "0", "STREAMS", "s", ">"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "FLUSHALL"),
    *GROUP_ON_S,
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "FLUSHDB"),
    *GROUP_ON_S,
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "MULTI"),
    ("w", "DEL", "s"),
    ("w", "SET", "s", "x"),
    ("w", "EXEC"),
    ("w", "DEL", "s"),
    *GROUP_ON_S,
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "MULTI"),
    ("w", "DEL", "s"),
    ("w", "XADD", "s", "9-0", "f", "v9"),
    ("w", "XGROUP", "CREATE", "s", "g", "0"),
    ("w", "EXEC"),
    ("w", "XPENDING", "s", "g"),
    ("bob", "PING"),
])

scenario("xreadgroup-woken-by-group-destroy", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    hello3("bob"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "XGROUP", "CREATE", "s", "h", "$"),
    ("carol", "XREADGROUP", "GROUP", "h", "carol", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "XGROUP", "DESTROY", "s", "nog"),
    ("w", "XGROUP", "DESTROY", "s", "g"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("w", "XGROUP", "CREATE", "s", "g", "$"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "MULTI"),
    ("w", "XGROUP", "DESTROY", "s", "g"),
    ("w", "XGROUP", "CREATE", "s", "g", "0"),
    ("w", "EXEC"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
])

scenario("xreadgroup-multi-two-xadds-serve-first-reader-both", GROUP_ON_S + [
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "MULTI"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
    ("w", "EXEC"),
    ("w", "XPENDING", "s", "g"),
    ("w", "XINFO", "GROUPS", "s"),
    ("w", "XADD", "s", "4-0", "f", "v4"),
])

scenario("xreadgroup-several-keys-and-groups", [
    ("w", "XGROUP", "CREATE", "a", "g", "$", "MKSTREAM"),
    ("w", "XGROUP", "CREATE", "b", "g", "$", "MKSTREAM"),
    ("w", "XGROUP", "CREATE", "b", "h", "$"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "a", "b", ">", ">"),
    ("bob", "XREADGROUP", "GROUP", "h", "bob", "BLOCK", "0", "STREAMS", "b", ">"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$"),
    ("w", "XADD", "b", "1-0", "f", "b1"),
    ("w", "XADD", "a", "1-0", "f", "a1"),
    ("w", "XPENDING", "a", "g"),
    ("w", "XPENDING", "b", "g"),
    ("w", "XPENDING", "b", "h"),
])

scenario("blocking-is-per-database", [
    ("alice", "SELECT", "1"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "SELECT", "1"),
    ("w", "XADD", "s", "1-0", "f", "db1"),
    ("w", "FLUSHDB"),
    ("w", "SELECT", "0"),
    ("w", "XADD", "s", "1-0", "f", "db0"),
    ("w", "SELECT", "1"),
    ("w", "XADD", "s", "2-0", "f", "db1"),
])

scenario("xreadgroup-max-id-means-new-entries", GROUP_ON_S + [
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("w", "XGROUP", "SETID", "s", "g", "0"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s",
     "18446744073709551615-18446744073709551615"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s",
     "18446744073709551615-18446744073709551614"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "18446744073709551615"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s",
     "18446744073709551615-18446744073709551615"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s",
     "18446744073709551615-18446744073709551615"),
    ("w", "XADD", "s", "3-0", "f", "v3"),
    ("w", "XPENDING", "s", "g"),
])

# ---------------------------------------------------------------------------------------------
# CLIENT UNBLOCK, MULTI, queued commands
# ---------------------------------------------------------------------------------------------

scenario("client-unblock", GROUP_ON_S + [
    ("w", "CLIENT", "UNBLOCK", ClientId("alice")),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "CLIENT", "UNBLOCK", ClientId("alice")),
    ("w", "CLIENT", "UNBLOCK", ClientId("alice")),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "CLIENT", "UNBLOCK", ClientId("alice"), "TIMEOUT"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "CLIENT", "UNBLOCK", ClientId("alice"), "ERROR"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "CLIENT", "UNBLOCK", ClientId("bob"), "error"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "CLIENT", "UNBLOCK", ClientId("bob"), "timeout"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "CLIENT", "UNBLOCK", ClientId("bob"), "FOO"),
    ("w", "CLIENT", "UNBLOCK", "x"),
    ("w", "CLIENT", "UNBLOCK", "999999"),
    hello3("carol"),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "CLIENT", "UNBLOCK", ClientId("carol")),
    ("carol", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "CLIENT", "UNBLOCK", ClientId("carol"), "ERROR"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("blocked-client-queues-its-commands", [
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("alice", "PING"),
    ("alice", "XLEN", "s"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("alice", "XLEN", "s"),
])

#: Redis runs the commands a blocked client sent meanwhile only after every client blocked on
#: the ready keys has been served (processUnblockedClients, in beforeSleep); so does the engine.
QUEUED_AFTER_SERVING = "queued-commands-run-after-all-blocked-clients-are-served"
scenario(QUEUED_AFTER_SERVING, [
    ("w", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
    ("d", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("d", "XREADGROUP", "GROUP", "g", "d", "BLOCK", "0", "STREAMS", "s", ">"),
    ("c", "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "XADD", "s", "1-0", "f", "v1"),
    ("w", "XADD", "s", "2-0", "f", "v2"),
    ("w", "XPENDING", "s", "g"),
])

scenario("block-inside-multi-does-not-block", GROUP_ON_S + [
    ("alice", "MULTI"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("alice", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "0"),
    ("alice", "EXEC"),
    hello3("alice"),
    ("alice", "MULTI"),
    ("alice", "XREAD", "BLOCK", "100", "STREAMS", "s", "$"),
    ("alice", "EXEC"),
    times("w", "XINFO", "CONSUMERS", "s", "g"),
])

scenario("far-future-star-ids-wake-readers", [
    ("w", "XADD", "s", f"{FAR}-0", "f", "v"),
    ("alice", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
    ("w", "XADD", "s", "*", "f", "v"),
    ("w", "XGROUP", "CREATE", "s", "g", "$"),
    ("bob", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
    ("w", "XADD", "s", "*", "f", "v"),
])


XFAIL: dict[str, str] = {}


SELFTEST = os.environ.get("REDIS_LAB_CONFORMANCE_SELFTEST", "") not in ("", "0")


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=XFAIL[n], strict=True))
    if n in XFAIL and not SELFTEST else n
    for n in SCENARIOS
])
def test_stream_blocking(conformance, name):
    conformance.run(SCENARIOS[name], name=name)


# ---------------------------------------------------------------------------------------------
# Random multi-client scenarios: blocking readers, writers, MULTI, CLIENT UNBLOCK
# ---------------------------------------------------------------------------------------------

READERS = ["a", "b", "c", "d"]
BKEYS = ["s", "t"]


def random_blocking_scenario(seed: int, steps: int = 60,
                             queue_behind_blocked: bool = False) -> list:
    """Clients block with BLOCK 0 (never a timeout: the server's clock runs between steps).

    Unless ``queue_behind_blocked``, every reader command is preceded by CLIENT UNBLOCK of that
    reader, so no command waits behind a blocked one; with it, commands queue behind blocked
    reads and must run only after every blocked client was served (see QUEUED_AFTER_SERVING).
    """
    rng = random.Random(seed)
    counter = [0]
    out: list = []

    def next_id() -> str:
        counter[0] += 1
        return f"{int(FAR) + counter[0]}-0"

    def write_cmd() -> tuple:
        key = rng.choice(BKEYS)
        r = rng.random()
        if r < 0.55:
            opts = ["MAXLEN", "~", "1"] if rng.random() < 0.1 else []
            return ("XADD", key, *opts, next_id(), "f", str(counter[0]))
        if r < 0.65:
            return ("XDEL", key, f"{int(FAR) + rng.randint(1, max(counter[0], 1))}-0")
        if r < 0.72:
            return ("DEL", key)
        if r < 0.75:
            return ("SET", key, "string")
        if r < 0.85:
            return ("XGROUP", "CREATE", key, rng.choice(["g", "h"]), rng.choice(["$", "0"]),
                    "MKSTREAM")
        if r < 0.90:
            return ("XGROUP", "DESTROY", key, rng.choice(["g", "h"]))
        if r < 0.95:
            return ("XGROUP", "SETID", key, rng.choice(["g", "h"]), rng.choice(["$", "0"]))
        return ("XTRIM", key, "MAXLEN", "0")

    for _ in range(steps):
        r = rng.random()
        reader = rng.choice(READERS)
        if (r < 0.38 or 0.88 <= r < 0.91) and not queue_behind_blocked:
            mode = rng.choice([[], ["TIMEOUT"], ["ERROR"]])
            out.append(("w", "CLIENT", "UNBLOCK", ClientId(reader), *mode))
        keys = rng.sample(BKEYS, rng.choice([1, 1, 2]))
        if r < 0.2:
            count = ["COUNT", str(rng.choice([1, 2, 5]))] if rng.random() < 0.3 else []
            ids = [rng.choice(["$", "$", "0", f"{int(FAR) + counter[0]}-0"]) for _ in keys]
            out.append((reader, "XREAD", *count, "BLOCK", "0", "STREAMS", *keys, *ids))
        elif r < 0.38:
            opts = ["COUNT", "1"] if rng.random() < 0.3 else []
            if rng.random() < 0.15:
                opts.append("NOACK")
            out.append((reader, "XREADGROUP", "GROUP", rng.choice(["g", "h"]), reader, *opts,
                        "BLOCK", "0", "STREAMS", *keys, *[">"] * len(keys)))
        elif r < 0.75:
            out.append(("w", *write_cmd()))
        elif r < 0.82:
            out.append(("w", "MULTI"))
            for _ in range(rng.choice([1, 2, 3])):
                out.append(("w", *write_cmd()))
            out.append(("w", rng.choice(["EXEC", "EXEC", "EXEC", "DISCARD"])))
        elif r < 0.88:
            mode = rng.choice([[], ["TIMEOUT"], ["ERROR"]])
            out.append(("w", "CLIENT", "UNBLOCK", ClientId(reader), *mode))
        elif r < 0.91:
            out.append((reader, "PING", "after unblock" if not queue_behind_blocked else "queued"))
        elif r < 0.95:
            key = rng.choice(BKEYS)
            out.append(times("w", "XPENDING", key, rng.choice(["g", "h"]), "-", "+", "10"))
        elif r < 0.98:
            out.append(("w", "XINFO", "GROUPS", rng.choice(BKEYS)))
        else:
            out.append(("w", "XACK", rng.choice(BKEYS), "g",
                        f"{int(FAR) + rng.randint(1, max(counter[0], 1))}-0"))
    return out


N_RANDOM = int(os.environ.get("REDIS_LAB_BLOCKING_SCENARIOS", "12"))


@pytest.mark.parametrize("seed", range(N_RANDOM))
def test_random_blocking_scenario(conformance, seed):
    conformance.run(random_blocking_scenario(seed), name=f"random-blocking-{seed}")


@pytest.mark.parametrize("seed", range(N_RANDOM))
def test_random_blocking_scenario_with_commands_queued_behind_blocks(conformance, seed):
    conformance.run(random_blocking_scenario(1000 + seed, queue_behind_blocked=True),
                    name=f"random-blocking-queued-{seed}")

"""Cluster commands on a server without cluster mode, differentially against redis-server 7.0.

A standalone redis-server knows CLUSTER, READONLY, READWRITE and ASKING: it checks subcommand
and arity, queues them in MULTI, refuses them in a RESP2 subscribed context, and answers the
rest with ``-ERR This instance has cluster support disabled``. The engine must say the same
(it used to say ``unknown command``). Every subcommand is sent with the right number of
arguments and with one too few, from the engine's table.
"""

from __future__ import annotations

import pytest
from harness import MASK_HELLO, masked

from redis_lab.commands.table import load


def _words(arity: int) -> list[str]:
    """Arguments after the subcommand name that make ``arity`` words in all."""
    return ["1"] * (abs(arity) - 2)


def _every_subcommand() -> list[tuple]:
    steps = []
    for sub, entry in sorted(load()[b"cluster"].subcommands.items()):
        name = sub.decode()
        steps.append(("c", "CLUSTER", name, *_words(entry.arity)))
        steps.append(("c", "CLUSTER", name, *_words(entry.arity)[:-1]) if entry.arity != 2
                     else ("c", "CLUSTER", name, "extra"))
    return steps


def test_the_table_knows_all_27_subcommands_of_7_0():
    assert len(load()[b"cluster"].subcommands) == 27


SCENARIOS = {
    "every-cluster-subcommand-and-its-arity": _every_subcommand(),
    "container-and-connection-commands": [
        ("c", "CLUSTER"),
        ("c", "cluster", "nosuch"),
        ("c", "CLUSTER", "KEYSLOT", "{orders}:retry"),
        ("c", "cluster", "keyslot"),
        ("c", "READONLY"),
        ("c", "READWRITE"),
        ("c", "ASKING"),
        ("c", "READONLY", "extra"),
        ("c", "GET", "still-fine"),
    ],
    "in-a-transaction-and-in-subscribed-context": [
        ("c", "MULTI"),
        ("c", "CLUSTER", "KEYSLOT", "a"),
        ("c", "READONLY"),
        ("c", "SET", "k", "v"),
        ("c", "EXEC"),
        ("c", "GET", "k"),
        ("s", "SSUBSCRIBE", "room:1"),
        ("s", "CLUSTER", "SHARDS"),
        ("s", "ASKING"),
        ("s", "SUNSUBSCRIBE"),
        ("s", "CLUSTER", "SHARDS"),
    ],
    "resp3": [
        masked(MASK_HELLO, "c", "HELLO", "3"),
        ("c", "CLUSTER", "INFO"),
        ("c", "SSUBSCRIBE", "room:1"),
        ("c", "CLUSTER", "KEYSLOT", "room:1"),
        ("c", "READWRITE"),
    ],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_cluster_commands_without_cluster_mode(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

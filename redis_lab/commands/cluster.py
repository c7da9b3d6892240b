"""CLUSTER, READONLY, READWRITE, ASKING: the cluster commands of a server without cluster mode.

redis-server 7.0 knows these commands even when started without ``cluster-enabled yes``; it
looks them up, checks their arity, queues them in MULTI and refuses them in a RESP2
subscribed context like any command, and only then answers ``-ERR This instance has cluster
support disabled``. The engine is such a server, so it answers the same, byte for byte (not
``unknown command``). ``:cluster N`` (backends/emulated_cluster.py) answers KEYSLOT, SHARDS,
SLOTS, MYID and INFO above the engine, as N masters would.
"""

from __future__ import annotations

from ..model.errors import CLUSTER_DISABLED, CommandError
from .table import command, describe_container


def disabled(client, args):
    """Every cluster command of a standalone server."""
    raise CommandError(CLUSTER_DISABLED)


# (subcommand, arity, syntax) as redis-server 7.0.15's COMMAND INFO / DOCS give them.
_SUBCOMMANDS = (
    ("ADDSLOTS", -3, "slot [slot ...]"),
    ("ADDSLOTSRANGE", -4, "start-slot end-slot [start-slot end-slot ...]"),
    ("BUMPEPOCH", 2, ""),
    ("COUNT-FAILURE-REPORTS", 3, "node-id"),
    ("COUNTKEYSINSLOT", 3, "slot"),
    ("DELSLOTS", -3, "slot [slot ...]"),
    ("DELSLOTSRANGE", -4, "start-slot end-slot [start-slot end-slot ...]"),
    ("FAILOVER", -2, "[FORCE | TAKEOVER]"),
    ("FLUSHSLOTS", 2, ""),
    ("FORGET", 3, "node-id"),
    ("GETKEYSINSLOT", 4, "slot count"),
    ("HELP", 2, ""),
    ("INFO", 2, ""),
    ("KEYSLOT", 3, "key"),
    ("LINKS", 2, ""),
    ("MEET", -4, "ip port [cluster-bus-port]"),
    ("MYID", 2, ""),
    ("NODES", 2, ""),
    ("REPLICAS", 3, "node-id"),
    ("REPLICATE", 3, "node-id"),
    ("RESET", -2, "[HARD | SOFT]"),
    ("SAVECONFIG", 2, ""),
    ("SET-CONFIG-EPOCH", 3, "config-epoch"),
    ("SETSLOT", -4, "slot <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>"),
    ("SHARDS", 2, ""),
    ("SLAVES", 3, "node-id"),
    ("SLOTS", 2, ""),
)

_EXAMPLES = {"KEYSLOT": "CLUSTER KEYSLOT {orders}:retry", "COUNTKEYSINSLOT": "CLUSTER COUNTKEYSINSLOT 105"}

for _name, _arity, _syntax in _SUBCOMMANDS:
    command(f"CLUSTER {_name}", arity=_arity, group="cluster", syntax=_syntax,
            summary="A Redis Cluster command: a standalone server refuses it (:cluster 3 "
                    "emulates KEYSLOT, SHARDS, SLOTS, MYID and INFO of three masters).",
            example=_EXAMPLES.get(_name, "" if _syntax else f"CLUSTER {_name}"))(disabled)

describe_container("CLUSTER", summary="A container for cluster commands", since="3.0.0")

for _name in ("READONLY", "READWRITE", "ASKING"):
    command(_name, arity=1, flags="fast", group="cluster", syntax="",
            summary="A Redis Cluster connection command: a standalone server refuses it.",
            example=_name)(disabled)

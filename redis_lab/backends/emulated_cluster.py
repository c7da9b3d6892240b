"""``:cluster 3`` on the embedded engine: slots assigned as a 3-master Redis Cluster would.

The engine stays one process with one keyspace; what is emulated is the *map*: each key and
shard channel hashes to a slot with Redis's CRC16 (hash tags honoured), the 16384 slots are
split as ``redis-cli --cluster create`` splits them, and CLUSTER KEYSLOT / SHARDS / SLOTS /
MYID / INFO answer in the shape a real cluster's masters answer (node ids and ports are
made up: 127.0.0.1:7000, 7001, ...). That is enough for a lesson to show where a stream or a
shard channel would live, and for the views to name the node -- the same views that name real
nodes with ``--redis URL --cluster``.
"""

from __future__ import annotations

import hashlib

from ..model.reply import Error
from ..model.reply import Verbatim

SLOTS = 16384
_EMULATED = frozenset({b"slots", b"shards", b"myid", b"info"})
BASE_PORT = 7000


def key_slot(key: bytes) -> int:
    """Redis's slot of ``key``: CRC16 of the key, or of its ``{hash tag}`` when there is one."""
    start = key.find(b"{")
    if start >= 0:
        end = key.find(b"}", start + 1)
        if end > start + 1:
            key = key[start + 1:end]
    crc = 0
    for byte in key:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc % SLOTS


class EmulatedCluster:
    """The slot map of ``masters`` masters, and the CLUSTER subcommands that read it."""

    def __init__(self, masters: int = 3) -> None:
        if not 1 <= masters <= 16:
            raise ValueError("a cluster of 1 to 16 masters")
        self.masters = masters
        size = SLOTS / masters
        # redis-cli --cluster create: master i gets slots round(i*size) .. round((i+1)*size)-1
        self.ranges = [(round(i * size), round((i + 1) * size) - 1) for i in range(masters)]
        self.ids = [hashlib.sha1(f"redis-lab emulated node {i}".encode()).hexdigest().encode()
                    for i in range(masters)]

    def port(self, node: int) -> int:
        return BASE_PORT + node

    def node_of_slot(self, slot: int) -> int:
        return next(i for i, (first, last) in enumerate(self.ranges) if first <= slot <= last)

    def address_of(self, key: bytes) -> str:
        return f"127.0.0.1:{self.port(self.node_of_slot(key_slot(key)))}"

    def answer(self, args: list[bytes]):
        """The reply to ``CLUSTER ...`` (None: a subcommand left to the engine)."""
        sub = args[1].lower() if len(args) > 1 else b""
        if sub == b"keyslot":
            if len(args) != 3:
                return Error("ERR wrong number of arguments for 'cluster|keyslot' command")
            return key_slot(args[2])
        if len(args) != 2 and sub in _EMULATED:
            return None   # the engine's arity error
        if sub == b"slots":
            return [[first, last, [b"127.0.0.1", self.port(i), self.ids[i], []]]
                    for i, (first, last) in enumerate(self.ranges)]
        if sub == b"shards":
            return [[b"slots", [first, last], b"nodes", [[
                b"id", self.ids[i], b"port", self.port(i), b"ip", b"127.0.0.1",
                b"endpoint", b"127.0.0.1", b"role", b"master", b"replication-offset", 0,
                b"health", b"online"]]] for i, (first, last) in enumerate(self.ranges)]
        if sub == b"myid":
            return self.ids[0]
        if sub == b"info":
            lines = ["cluster_state:ok", f"cluster_slots_assigned:{SLOTS}",
                     f"cluster_slots_ok:{SLOTS}", "cluster_slots_pfail:0",
                     "cluster_slots_fail:0", f"cluster_known_nodes:{self.masters}",
                     f"cluster_size:{self.masters}"]
            return Verbatim(("\r\n".join(lines) + "\r\n").encode())
        return self._not_emulated(args)

    def _not_emulated(self, args: list[bytes]):
        """A CLUSTER subcommand the emulation has no answer for: say so, rather than the
        standalone server's "cluster support disabled" while ``:cluster N`` says it is one."""
        from ..commands.table import load

        sub = load()[b"cluster"].subcommands.get(args[1].lower()) if len(args) > 1 else None
        if sub is None or not sub.arity_ok(len(args)):
            return None   # the engine's unknown-subcommand or arity error
        return Error(f"ERR :cluster {self.masters} emulates CLUSTER KEYSLOT, SHARDS, SLOTS, MYID "
                     f"and INFO only; CLUSTER {sub.name.split()[1]} needs a real cluster "
                     "(--redis URL --cluster)")

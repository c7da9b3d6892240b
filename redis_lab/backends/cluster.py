"""Redis Cluster (``redis-lab --redis URL --cluster``): the remote backend, with each command
sent to the node that serves its slot.

redis-py's cluster client knows the topology (``CLUSTER SLOTS``, refreshed after a ``MOVED``)
and which slot a command's keys hash to; the commands themselves still go out raw on the
named client's own connections -- one to its home node (the URL's), more to other nodes as
keys ask for them -- so replies print exactly as redis-cli prints them.

Routing, as a cluster-aware client does it:

* keys route by slot (``MOVED`` refreshes the map and resends; ``ASK`` sends ``ASKING`` first);
* ``SSUBSCRIBE`` / ``SUNSUBSCRIBE`` / ``SPUBLISH`` route by the shard channel's slot: sharded
  pub/sub lives on one node (and its replicas), so an ``SPUBLISH`` never crosses the cluster;
* ``PUBLISH`` / ``SUBSCRIBE`` / ``PSUBSCRIBE`` and other keyless commands go to the home node:
  classic pub/sub is broadcast to every node over the cluster bus;
* inside ``MULTI`` everything goes to the home node (a cluster transaction must stay on one
  node; keys elsewhere get Redis's own ``MOVED`` error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..model.reply import Error
from . import BackendError
from .remote import ConnectionLost, RemoteBackend, RemoteClient, Target, Wire, call

#: Commands that go to the home node whatever their arguments look like.
_HOME = frozenset({
    b"ping", b"echo", b"publish", b"subscribe", b"psubscribe", b"unsubscribe", b"punsubscribe",
    b"hello", b"client", b"select", b"multi", b"exec", b"discard", b"reset", b"quit", b"info",
    b"time", b"command", b"config", b"auth", b"cluster", b"readonly", b"readwrite", b"lastsave",
    b"pubsub",   # CHANNELS / NUMSUB / NUMPAT: the session's subscribers are on the home node
})
_SHARD = frozenset({b"ssubscribe", b"sunsubscribe", b"spublish"})
_CONTAINERS = frozenset({b"xinfo", b"xgroup", b"object", b"memory"})


def _for_redis_py(args: list[bytes]) -> list:
    """redis-py finds keys by command name (and subcommand) as text; keys stay bytes."""
    words = [args[0].decode("ascii", "replace")]
    if args[0].lower() in _CONTAINERS and len(args) > 1:
        words.append(args[1].decode("ascii", "replace"))
    return words + list(args[len(words):])


class ClusterBackend(RemoteBackend):
    """Named clients on a Redis Cluster; see the module docstring for the routing."""

    cluster = True

    def __init__(self, target: Target, clock_factory: Callable | None = None) -> None:
        from redis.cluster import RedisCluster
        from redis.exceptions import RedisError

        kwargs = {k: v for k, v in target.kwargs.items() if k != "db"}
        if target.db:
            raise BackendError(f"{target.display}: a cluster has only database 0")
        try:
            self.topology = RedisCluster(**kwargs, protocol=2, socket_connect_timeout=5)
        except (RedisError, OSError) as exc:
            raise BackendError(f"cannot use {target.display} as a cluster: "
                               f"{str(exc).splitlines()[0]}") from None
        self.home = f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
        self._observers: dict[str, Wire] = {}
        super().__init__(target, clock_factory)
        masters = len(self.primaries())
        self.location = f"{target.display} · Redis {self.version} cluster, {masters} masters"

    # -- topology --------------------------------------------------------------------------------
    def primaries(self) -> list[str]:
        return sorted(f"{n.host}:{n.port}" for n in self.topology.get_primaries())

    def node_of(self, key: bytes) -> str:
        """``host:port`` of the master serving ``key``'s slot."""
        node = self.topology.nodes_manager.get_node_from_slot(self.topology.keyslot(key))
        return f"{node.host}:{node.port}"

    def _node_for(self, args: list[bytes], client: RemoteClient | None = None) -> str:
        name = args[0].lower()
        if name in _HOME or (client is not None and client.multi is not None):
            return self.home
        if name in _SHARD and len(args) > 1:
            return self.node_of(args[1])
        if name == b"sunsubscribe" and client is not None and client.shard_channels:
            return self.node_of(next(iter(client.shard_channels)))
        try:
            slot = self.topology.determine_slot(*_for_redis_py(args))
        except Exception:  # noqa: BLE001 - keyless or unknown: the home node answers
            return self.home
        node = self.topology.nodes_manager.get_node_from_slot(slot)
        return f"{node.host}:{node.port}"

    def _target(self, address: str) -> Target:
        host, _, port = address.rpartition(":")
        return replace(self.target, kwargs={**self.target.kwargs, "host": host,
                                            "port": int(port)})

    # -- connections -----------------------------------------------------------------------------
    def _wire_for(self, client: RemoteClient, args: list[bytes]) -> Wire:
        address = getattr(client, "force_address", None) or self._node_for(args, client)
        if address == self.home:
            return client.wire
        wire = client.extra.get(address)
        if wire is None:
            wire = client.extra[address] = Wire(self._target(address).open())
        return wire

    def _execute(self, client: RemoteClient, args: list[bytes]):
        reply = super()._execute(client, args)
        if isinstance(reply, Error) and reply.startswith(("MOVED ", "ASK ")):
            kind, _, address = reply.split()[:3]
            if kind == "MOVED":   # the slot moved: learn the new map, send it there
                self.topology.nodes_manager.initialize()
            client.force_address = address
            try:
                if kind == "ASK":  # the slot is migrating: this once, ask the target node
                    call(self._wire_for(client, [b"ASKING"]), b"ASKING")
                return super()._execute(client, args)
            finally:
                client.force_address = None
        return reply

    def _node_observer(self, address: str) -> Wire:
        wire = self._observers.get(address)
        if wire is None:
            wire = self._observers[address] = Wire(self._target(address).open())
        return wire

    def _ask(self, address: str, args: list[bytes]):
        for attempt in (1, 2):
            try:
                return call(self._node_observer(address), *args)
            except ConnectionLost:
                self._observers.pop(address).close()
                if attempt == 2:
                    raise BackendError(f"{address} does not answer") from None
        return None  # pragma: no cover

    def introspect(self, args: list[bytes], db: int = 0) -> object:
        """Read-only commands for views and checks, routed (and merged across masters where the
        answer is per node: KEYS, DBSIZE, PUBSUB SHARDCHANNELS)."""
        name = args[0].lower()
        sub = args[1].lower() if len(args) > 1 else b""
        if name == b"keys" or (name == b"pubsub" and sub == b"shardchannels"):
            merged: list = []
            for address in self.primaries():
                reply = self._ask(address, args)
                if isinstance(reply, list):
                    merged += reply
            return sorted(set(merged))
        if name == b"dbsize":
            return sum(r for r in (self._ask(a, args) for a in self.primaries())
                       if isinstance(r, int))
        if name == b"pubsub" and sub == b"shardnumsub":
            flat: list = []
            for channel in args[2:]:
                flat += self._ask(self.node_of(channel), [*args[:2], channel])
            return flat
        return self._ask(self._node_for(list(args)), args)

    def _stream_keys(self, db: int) -> list[bytes]:
        keys: list[bytes] = []
        for address in self.primaries():
            cursor = b"0"
            while True:
                reply = self._ask(address, [b"SCAN", cursor, b"TYPE", b"stream", b"COUNT", b"1000"])
                if not isinstance(reply, list) or len(reply) != 2:
                    break
                cursor, found = reply
                keys.extend(found)
                if cursor == b"0":
                    break
        return sorted(keys)

    def _fence(self, client: RemoteClient) -> None:
        if not any(c is not client and (c.subscribed or c.blocked is not None)
                   for c in self.clients.values()):
            return
        for address in self.primaries():
            try:
                self._ask(address, [b"PING"])
            except BackendError:
                pass
        self._collect_all()

    def forget_keys(self, keys: set[bytes]) -> None:
        for key in sorted(keys):   # one by one: keys of different slots cannot share a command
            self.introspect([b"UNLINK", key])
        keys.clear()

    def close(self) -> None:
        super().close()
        for wire in self._observers.values():
            wire.close()
        self._observers = {}
        self.topology.close()

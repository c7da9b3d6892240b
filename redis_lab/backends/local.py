"""The embedded backend: an in-process Engine (today's redis-lab), with its virtual clock.

This is the only module above the engine that touches engine clients; everything else gets
``ClientState`` records from it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Engine
from . import Backend, Blocked, ClientState, OutputListener


class LocalBackend(Backend):
    """Named clients on one Engine.

    Args:
        clock_factory: makes the engine's clock (again on ``reset``); None: the wall clock.
        engine_factory: ``(clock) -> Engine``; given for ``--data DIR``, where it restores the
            engine from the directory's AOF (redis_lab.persistence.open_durable_engine).
    """

    def __init__(self, clock_factory: Callable | None = None,
                 engine_factory: Callable | None = None) -> None:
        self._clock_factory = clock_factory
        self._engine_factory = engine_factory
        self._listeners: list[OutputListener] = []
        self.engine = self._new_engine()

    def _new_engine(self, clock=None) -> Engine:
        if clock is None and self._clock_factory is not None:
            clock = self._clock_factory()
        if self._engine_factory is not None:
            engine = self._engine_factory(clock)
        else:
            engine = Engine(clock=clock)
        engine.output_listeners.append(self._on_output)
        return engine

    def _on_output(self, client, value) -> None:
        resp3 = client.resp == 3
        for listener in list(self._listeners):
            listener(client.label, value, resp3)

    # -- the interface -------------------------------------------------------------------------
    @property
    def clock(self):
        return self.engine.clock

    def labels(self) -> list[str]:
        return list(self.engine.clients)

    def connect(self, label: str) -> bool:
        new = label not in self.engine.clients
        self.engine.client(label)
        return new

    def state(self, label: str) -> ClientState | None:
        client = self.engine.clients.get(label)
        return None if client is None else client_state(client)

    def execute(self, label: str, args: list[bytes]) -> object:
        client = self.engine.client(label)
        if self.emulation is not None and args and args[0].lower() == b"cluster" \
                and client.blocked is None and client.multi is None:
            reply = self.emulation.answer(list(args))
            if reply is not None:
                return reply
        return client.execute(args)

    def introspect(self, args: list[bytes], db: int = 0) -> object:
        if self.emulation is not None and args and args[0].lower() == b"cluster":
            reply = self.emulation.answer(list(args))
            if reply is not None:
                return reply
        return self.engine.introspect(list(args), db)

    # -- :cluster N ------------------------------------------------------------------------------
    emulation = None   # an EmulatedCluster while ``:cluster N`` is on

    @property
    def cluster(self) -> bool:
        return self.emulation is not None

    def emulate_cluster(self, masters: int) -> None:
        """Answer CLUSTER KEYSLOT/SHARDS/SLOTS as ``masters`` masters would (0: stop)."""
        from .emulated_cluster import EmulatedCluster

        self.emulation = EmulatedCluster(masters) if masters else None

    def poll(self) -> None:
        engine = self.engine
        engine.poll()
        for client in list(engine.clients.values()):
            if client.outbox:
                client.take_output()  # the listeners already have the values

    def crash(self, label: str) -> None:
        client = self.engine.clients.pop(label, None)
        if client is not None:
            client.disconnect()

    def cancel_block(self, label: str) -> None:
        client = self.engine.clients.get(label)
        if client is not None and client.blocked is not None:
            client.unblock(client.blocked.timeout_reply)

    def set_clock(self, factory: Callable | None) -> None:
        from ..model.clock import WallClock

        self._clock_factory = factory
        self.engine.set_clock(factory() if factory is not None else WallClock())

    def reset(self) -> None:
        self._stop()
        self.engine = self._new_engine()
        # A fresh engine is a standalone server: a lesson started after lesson 14 (:cluster 3)
        # must not see slots and nodes its text never mentions.
        self.emulation = None
        if self.engine.aof is not None:
            # Start over means no keys, also on disk: the AOF records the FLUSHALL.
            self.engine.introspect([b"FLUSHALL"])

    def restart(self) -> None:
        """Stop the engine and start a new one on the same clock: with ``--data`` it reloads
        what the AOF kept; connections, subscriptions and undelivered messages are gone."""
        clock = self.engine.clock
        self._stop()
        self.engine = self._new_engine(clock)

    def keep_data(self) -> None:
        """From the next engine on (``reset``), keep the data in a temporary directory's AOF,
        as ``--data`` would, so that ``restart`` brings streams, groups and PELs back. A lesson
        that restarts the engine asks for this; nothing changes on a durable backend. The
        directory (appendfsync no: scratch data) lives as long as this backend."""
        if self._engine_factory is not None:
            return
        import tempfile

        from ..persistence import open_durable_engine

        self._scratch = tempfile.TemporaryDirectory(prefix="redis-lab-data-")
        folder = self._scratch.name
        self._engine_factory = lambda clock: open_durable_engine(folder, "no", clock=clock)

    @property
    def durable(self) -> bool:
        return self.engine.aof is not None

    @property
    def warnings(self) -> list[str]:
        """What loading the AOF warned about (a truncated tail that was cut)."""
        aof = self.engine.aof
        return list(aof.report.warnings) if aof is not None else []

    def _stop(self) -> None:
        if self.engine.aof is not None:
            self.engine.aof.close()


def client_state(client) -> ClientState:
    """An engine Client as the record the layers above read."""
    blocked = None
    state = client.blocked
    if state is not None:
        blocked = Blocked((state.command or "?").replace("|", " ").upper(),
                          tuple(k for _, k in state.keys), state.since, state.deadline or 0)
    return ClientState(
        label=client.label, id=client.id, db=client.db.index, resp=client.resp,
        channels=tuple(client.channels), patterns=tuple(client.patterns),
        shard_channels=tuple(client.shard_channels), blocked=blocked,
        multi_queued=None if client.multi is None else len(client.multi),
        closed=client.closed, last_command=client.last_command)

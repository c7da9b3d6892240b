"""The engine: clients, dispatch through the command table, and the blocking service.

``Client.execute`` is the value-level entry point (the shell uses it); ``Client.call`` is the
same plus RESP encoding, the contract the conformance tests hold up against redis-server:

    engine = Engine(clock=VirtualClock(1_700_000_000_000))
    alice = engine.client("alice")
    alice.call(b"SUBSCRIBE", b"chat")   # bytes as redis-server writes them; b"" while blocked
    alice.read_output()                 # pushed bytes: messages, a blocked command's late reply

Dispatch follows redis-server's processCommand order: unknown command or subcommand, arity,
the RESP2 subscribed-context rule, MULTI queueing, then the handler.
"""

from __future__ import annotations

import itertools
from typing import Callable, Iterable

from .commands.table import ALLOWED_WHILE_SUBSCRIBED, Command, load
from .model import errors
from .model.clock import WallClock
from .model.errors import CommandError
from .model.keyspace import NUM_DATABASES, Database
from .model.pubsub import PubSubRegistry, SubscriptionCounts
from .model.reply import NULL_ARRAY, QUEUED, Error, Push, Replies
from .protocol.resp import encode, materialize


class _Blocked:
    """Marker returned by a handler that parked its client."""

    def __repr__(self) -> str:
        return "BLOCKED"


BLOCKED = _Blocked()

#: The reply of a command answered with nothing on the wire (the connection is being closed).
NO_REPLY = Replies()

_MULTI_PASSTHROUGH = frozenset({"exec", "discard", "multi", "watch", "quit", "reset"})
_NO_AUTH = frozenset({"auth", "hello", "quit", "reset"})  # allowed before AUTH (requirepass)


class BlockState:
    """What a blocked client waits for and how to answer it."""

    __slots__ = ("keys", "deadline", "on_ready", "timeout_reply", "command", "since", "args")

    def __init__(self, keys, deadline, on_ready, timeout_reply, command, since):
        self.keys = keys                  # [(db, key), ...] in argument order
        self.deadline = deadline          # absolute ms, or 0 for "forever"
        self.on_ready = on_ready          # (client, key) -> reply or None to stay blocked
        self.timeout_reply = timeout_reply
        self.command = command            # the command words, for :clients and the views
        self.since = since
        self.args: list[bytes] = []       # the blocked command itself (the AOF propagates it)


class Client(SubscriptionCounts):
    """One connection to the engine: protocol version, selected db, subscriptions, output."""

    def __init__(self, engine: "Engine", label: str, *, hidden: bool = False) -> None:
        self.engine = engine
        self.label = label
        self.hidden = hidden
        # (addr, laddr, fd) when a network connection owns this client (redis_lab.server).
        self.peer: tuple[str, str, int] | None = None
        self._connect()

    def _connect(self) -> None:
        engine = self.engine
        # A hidden observer takes no client id, so learners' ids match a real server's order.
        self.id = 0 if self.hidden else next(engine._ids)
        self.name: bytes | None = None
        self.resp = 2
        self.db: Database = engine.dbs[0]
        self.channels: dict[bytes, None] = {}
        self.patterns: dict[bytes, None] = {}
        self.shard_channels: dict[bytes, None] = {}
        self.multi: list | None = None
        self.multi_dirty = False
        self.watched: list[tuple[int, bytes]] = []   # WATCHed (db, key) pairs
        self.dirty_cas = False                       # a watched key changed: EXEC fails
        self.authenticated = engine.requirepass is None
        self.in_exec = False
        self.blocked: BlockState | None = None
        self.queued_while_blocked: list = []
        self.outbox: list = []
        self._inline: list | None = None
        self.closed = False
        self.created_ms = engine.clock.now_ms()
        self.last_command_ms = self.created_ms
        self.last_command = ""
        self.args: list[bytes] = []       # the command being run (what block() records)

    # -- the contract ------------------------------------------------------------------------
    def call(self, *args) -> bytes:
        """Run one command; return the bytes redis-server would write in direct response."""
        reply = self._execute(args)
        if reply is BLOCKED:
            return b""
        return encode(reply, self.resp == 3)

    def read_output(self) -> bytes:
        """Bytes pushed to this client since the last read (messages, late replies)."""
        self.engine.poll()
        if not self.outbox:
            return b""
        out = b"".join(encode(value, resp3) for value, resp3 in self.outbox)
        self.outbox.clear()
        return out

    def take_output(self) -> list:
        """Like read_output, but the reply values themselves (for the shell)."""
        self.engine.poll()
        values = [materialize(value) for value, _ in self.outbox]
        self.outbox.clear()
        return values

    def execute(self, args: Iterable) -> object:
        """Run one command and return its reply value (BLOCKED if the client is now blocked)."""
        reply = self._execute(args)
        return reply if reply is BLOCKED else materialize(reply)

    def _execute(self, args: Iterable) -> object:
        """execute() without materializing: stored stream entries stay pre-encoded (Raw)."""
        args = [a if type(a) is bytes else _to_bytes(a) for a in args]
        engine = self.engine
        if engine.blocked_on and not engine.clock.virtual:
            engine.expire_timeouts()
        if self.closed:
            self._connect()
        if self.blocked is not None:
            # A blocked connection reads no more commands until it is served (Redis buffers them).
            self.queued_while_blocked.append(args)
            return BLOCKED
        if not args:
            return Error(errors.EMPTY_COMMAND)
        engine._current = self
        try:
            reply = self._dispatch(args)
        finally:
            engine._current = None
        if engine.ready_keys:
            engine.serve_blocked()
        if engine.unblocked:
            engine.run_unblocked()
        inline = self._inline
        if inline is not None:
            self._inline = None
            if reply is not BLOCKED:
                reply = Replies([*inline, reply])
        return reply

    def _dispatch(self, args: list[bytes]):
        engine = self.engine
        # Redis's lookupCommand: the command, or for a container the subcommand named next.
        cmd = engine.commands.get(args[0].lower())
        if cmd is not None and cmd.subcommands and len(args) > 1:
            cmd = cmd.subcommands.get(args[1].lower())
        # Redis records the command as soon as it is looked up, even if it is then rejected.
        self.last_command = cmd.fullname if cmd is not None else ""
        self.last_command_ms = engine.clock.now_ms()
        if cmd is None:
            first = args[0].lower()
            if first == b"post" or first == b"host:":
                # Redis's guard against cross-protocol scripting (an HTTP request sent to the
                # port): the connection is closed without a reply.
                self.disconnect()
                return NO_REPLY
            if first in engine.commands and len(args) > 1:
                return self._reject(Error(errors.unknown_subcommand(args)))
            return self._reject(Error(errors.unknown_command(args)))
        arity = cmd.arity
        if (len(args) != arity) if arity > 0 else (len(args) < -arity):
            return self._reject(Error(errors.wrong_arity(cmd.fullname)), cmd)
        if not self.authenticated and cmd.base not in _NO_AUTH:
            return self._reject(Error(errors.NOAUTH), cmd)
        if self.resp == 2 and (self.channels or self.patterns or self.shard_channels) \
                and cmd.base not in ALLOWED_WHILE_SUBSCRIBED:
            return self._reject(Error(errors.pubsub_context(cmd.fullname)), cmd)
        if self.multi is not None and cmd.base not in _MULTI_PASSTHROUGH:
            self.multi.append((cmd, args))
            return QUEUED
        reply = self.run(cmd, args)
        if engine.watched_keys and "write" in cmd.flags:
            engine.touch_written(self.db.index, cmd, args, reply)
        return reply

    def _reject(self, error: Error, cmd: Command | None = None) -> Error:
        """A command refused before it ran: it dirties an open MULTI, and a refused EXEC
        discards the transaction with EXECABORT (Redis's rejectCommand / execCommandAbort)."""
        if cmd is not None and cmd.base == "exec":
            self.discard_transaction()
            return Error(errors.execabort_because(error))
        if self.multi is not None:
            self.multi_dirty = True
        return error

    def discard_transaction(self) -> None:
        """Leave MULTI and forget the watched keys (EXEC, DISCARD, RESET, an aborted EXEC)."""
        self.multi, self.multi_dirty = None, False
        self.unwatch()

    def unwatch(self) -> None:
        watched_keys = self.engine.watched_keys
        for dbkey in self.watched:
            watchers = watched_keys.get(dbkey)
            if watchers is not None:
                watchers.pop(self, None)
                if not watchers:
                    del watched_keys[dbkey]
        self.watched = []
        self.dirty_cas = False

    def run(self, cmd: Command, args: list[bytes]):
        """Run a looked-up, arity-checked command's handler (EXEC runs its queue this way).

        With an append-only file attached (``engine.aof``), write commands and EXEC go through
        it so that what they changed is propagated as Redis propagates it."""
        self.args = args
        aof = self.engine.aof
        if aof is not None and (cmd.base == "exec" or "write" in cmd.flags):
            return aof.run(self, cmd, args, self.run_handler)
        return self.run_handler(cmd, args)

    def run_handler(self, cmd: Command, args: list[bytes]):
        """The handler alone, a CommandError turned into its error reply."""
        try:
            return cmd.handler(self, args)
        except CommandError as exc:
            return Error(exc.message)

    # -- output --------------------------------------------------------------------------------
    def push(self, value) -> None:
        """Deliver an out-of-band frame (a message, or a blocked command's reply)."""
        if self.engine._current is self:
            # RESP3 clients can publish to themselves; 7.0 writes the push before the reply.
            if self._inline is None:
                self._inline = []
            self._inline.append(value)
            return
        self.outbox.append((value, self.resp == 3))
        listeners = self.engine.output_listeners
        if listeners:
            value = materialize(value)
            for listener in listeners:
                listener(self, value)

    # -- blocking ------------------------------------------------------------------------------
    def block(self, keys: list[bytes], timeout_ms: int, on_ready: Callable, timeout_reply=NULL_ARRAY,
              since: int | None = None):
        """Park this client on ``keys`` (deadline ``timeout_ms`` absolute, 0 = forever).

        ``since`` is the time the command read when it computed the deadline, so that
        ``deadline - since`` is exactly the timeout the learner typed, even on a wall clock."""
        engine = self.engine
        if self.in_exec:
            return timeout_reply  # MULTI denies blocking: the command answers as if it timed out
        db = self.db.index
        state = BlockState([(db, k) for k in keys], timeout_ms, on_ready, timeout_reply,
                           self.last_command, engine.clock.now_ms() if since is None else since)
        state.args = self.args
        self.blocked = state
        for dbkey in state.keys:
            engine.blocked_on.setdefault(dbkey, {})[self] = None
        return BLOCKED

    def unblock(self, reply=None) -> None:
        """Stop waiting and push ``reply`` if given. Commands sent while blocked run later, once
        every client blocked on the ready keys has been served (Redis's processUnblockedClients)."""
        state = self.blocked
        if state is None:
            return
        self.blocked = None
        engine = self.engine
        for dbkey in state.keys:
            waiters = engine.blocked_on.get(dbkey)
            if waiters is not None:
                waiters.pop(self, None)
                if not waiters:
                    del engine.blocked_on[dbkey]
        if reply is not None:
            self.push(reply)
        if self.queued_while_blocked:
            engine.unblocked.append(self)

    def disconnect(self) -> None:
        """Close the connection: subscriptions and blocking end; the next call reconnects."""
        if self.blocked is not None:
            self.queued_while_blocked = []
            self.unblock()
        self.drop_subscriptions()
        self.discard_transaction()
        self.queued_while_blocked = []  # nothing sent after QUIT runs (Redis closes the socket)
        self.closed = True

    def drop_subscriptions(self) -> None:
        """Leave every channel, pattern and shard channel at once, without the unsubscribe
        frames: what a closed connection and RESET do."""
        registry = self.engine.pubsub
        for name in self.channels:
            registry.remove(registry.channels, name, self)
        for name in self.patterns:
            registry.remove(registry.patterns, name, self)
        for name in self.shard_channels:
            registry.remove(registry.shard_channels, name, self)
        self.channels, self.patterns, self.shard_channels = {}, {}, {}

    def __repr__(self) -> str:
        return f"<Client {self.label} id={self.id}>"


def _to_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, (int, float)):
        return str(value).encode()
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"command arguments must be str or bytes, not {type(value).__name__}")


class Engine:
    """An in-process Redis 7.0: databases, pub/sub, streams, clients and their blocking."""

    VERSION = "7.0.15"

    def __init__(self, clock: WallClock | None = None) -> None:
        self.clock = clock if clock is not None else WallClock()
        self.commands = load()
        self._ids = itertools.count(1)
        now = self.now_ms
        self.dbs = [Database(i, now, self._key_deleted) for i in range(NUM_DATABASES)]
        self.pubsub = PubSubRegistry()
        self.clients: dict[str, Client] = {}
        self.blocked_on: dict[tuple[int, bytes], dict[Client, None]] = {}
        self.watched_keys: dict[tuple[int, bytes], dict[Client, None]] = {}   # WATCH
        self.requirepass: bytes | None = None   # CONFIG SET requirepass (a server's clients)
        # notify-keyspace-events as a set of class letters ("A" expanded); empty: off.
        self.keyspace_events: frozenset[str] = frozenset()
        self.ready_keys: dict[tuple[int, bytes], None] = {}
        self.unblocked: list[Client] = []   # served clients whose queued commands must run
        self._running_unblocked = False
        self.output_listeners: list[Callable] = []
        self.started_ms = now()
        self._current: Client | None = None
        self._anonymous = itertools.count(1)
        self._observer: Client | None = None
        self.clock.on_change(self.expire_timeouts)
        self.config = {"stream-node-max-entries": 100, "stream-node-max-bytes": 4096}
        # The append-only file (redis_lab.persistence) when running with --data; None otherwise.
        self.aof = None

    def now_ms(self) -> int:
        return self.clock.now_ms()

    def set_clock(self, clock: WallClock) -> None:
        """Switch clocks (``:clock virtual`` / ``:clock wall``), keeping every key and client."""
        self.clock = clock
        clock.on_change(self.expire_timeouts)
        self.expire_timeouts()

    def client(self, label: str | None = None) -> Client:
        """The client called ``label``, created (connected) on first use."""
        if label is None:
            label = f"client{next(self._anonymous)}"
        found = self.clients.get(label)
        if found is None:
            found = self.clients[label] = Client(self, label)
        return found

    def introspect(self, args, db: int = 0):
        """Run a read-only command (XINFO, XPENDING, PUBSUB, KEYS ...) as an invisible observer.

        The observer is not in CLIENT LIST, takes no client id, is never subscribed or blocked,
        and commands such as XINFO and XPENDING refresh no consumer: looking changes nothing.
        Views, completion and lesson checks read state this way. Returns the reply value.
        """
        observer = self._observer
        if observer is None:
            observer = self._observer = Client(self, "__observer__", hidden=True)
        observer.db = self.dbs[db]
        return observer.execute(args)

    def client_by_id(self, client_id: int) -> Client | None:
        for candidate in self.clients.values():
            if candidate.id == client_id and not candidate.closed:
                return candidate
        return None

    # -- blocking service ----------------------------------------------------------------------
    def signal_ready(self, db: int, key: bytes) -> None:
        """A key got new data (or vanished): blocked clients are re-checked after the command."""
        if (db, key) in self.blocked_on:
            self.ready_keys[(db, key)] = None

    def _key_deleted(self, db: int, key: bytes) -> None:
        self.signal_ready(db, key)
        if self.watched_keys:
            self.touch(db, key)

    # -- WATCH -----------------------------------------------------------------------------------
    def touch(self, db: int, key: bytes) -> None:
        """A key changed: transactions watching it will fail (Redis's touchWatchedKey)."""
        watchers = self.watched_keys.get((db, key))
        if watchers:
            for watcher in watchers:
                watcher.dirty_cas = True

    def touch_written(self, db: int, cmd: Command, args: list[bytes], reply) -> None:
        """After a write command that did not fail, touch the keys it names.

        An approximation of Redis's signalModifiedKey calls: the command's key argument (the
        streams after STREAMS for XREADGROUP), whether or not the command changed the value;
        deletions (DEL, FLUSHDB, expiry) touch exactly through the database's delete hook.
        """
        if type(reply) is Error:
            return
        if cmd.base == "xreadgroup":
            upper = [a.lower() for a in args]
            start = upper.index(b"streams") + 1 if b"streams" in upper else len(args)
            keys = args[start:start + (len(args) - start) // 2]
        else:
            keys = args[1:2]
        for key in keys:
            self.touch(db, key)

    def serve_blocked(self) -> None:
        """Serve clients blocked on ready keys, key by key, each key's clients in FIFO order."""
        while self.ready_keys:
            keys = list(self.ready_keys)
            self.ready_keys.clear()
            for dbkey in keys:
                waiters = self.blocked_on.get(dbkey)
                if not waiters:
                    continue
                for waiter in list(waiters):
                    state = waiter.blocked
                    if state is None or dbkey not in state.keys:
                        continue
                    if self.aof is not None:
                        reply = self.aof.serve(waiter, state, dbkey[1])
                    else:
                        reply = state.on_ready(waiter, dbkey[1])
                    if reply is not None:
                        waiter.unblock(reply)

    def run_unblocked(self) -> None:
        """Run the commands that unblocked clients sent while blocked, in unblocking order."""
        if self._running_unblocked or self._current is not None:
            return
        self._running_unblocked = True
        try:
            while self.unblocked:
                waiter = self.unblocked.pop(0)
                # QUIT among them answers +OK, closes, and drops what came after (disconnect).
                while waiter.queued_while_blocked and waiter.blocked is None and not waiter.closed:
                    result = waiter._execute(waiter.queued_while_blocked.pop(0))
                    if result is not BLOCKED:
                        waiter.push(result)
        finally:
            self._running_unblocked = False

    def expire_timeouts(self) -> None:
        """Answer blocked clients whose BLOCK timeout has passed (earliest deadline first)."""
        now = self.clock.now_ms()
        expired = [
            c for c in self.clients.values()
            if c.blocked is not None and c.blocked.deadline and c.blocked.deadline <= now
        ]
        for waiter in sorted(expired, key=lambda c: (c.blocked.deadline, c.id)):
            if waiter.blocked is not None:
                waiter.unblock(waiter.blocked.timeout_reply)
        if self.unblocked:
            self.run_unblocked()

    def poll(self) -> None:
        """Let wall time expire BLOCK timeouts (a virtual clock does this when advanced)."""
        if not self.clock.virtual and self.blocked_on:
            self.expire_timeouts()

    # -- pub/sub delivery --------------------------------------------------------------------
    def notify(self, kind: str, event: bytes, key: bytes, db: int) -> None:
        """Redis's notifyKeyspaceEvent: ``event`` of class ``kind`` ("t" stream, "g" generic,
        "$" string) on ``key``, published as configured by notify-keyspace-events."""
        classes = self.keyspace_events
        if kind not in classes:
            return
        if "K" in classes:
            self.publish(b"__keyspace@%d__:%s" % (db, key), event)
        if "E" in classes:
            self.publish(b"__keyevent@%d__:%s" % (db, event), key)

    def publish(self, channel: bytes, message: bytes) -> int:
        receivers = 0
        for target, pattern in self.pubsub.receivers(channel):
            if pattern is None:
                target.push(Push([b"message", channel, message]))
            else:
                target.push(Push([b"pmessage", pattern, channel, message]))
            receivers += 1
        return receivers

    def spublish(self, channel: bytes, message: bytes) -> int:
        subscribers = self.pubsub.shard_channels.get(channel)
        if not subscribers:
            return 0
        for target in list(subscribers):
            target.push(Push([b"smessage", channel, message]))
        return len(subscribers)

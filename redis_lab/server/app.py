"""``redis-lab serve``: the lab's engine behind a Redis-compatible TCP server.

One asyncio event loop (uvloop when it is installed) owns one :class:`~redis_lab.Engine`; every
accepted socket gets a :class:`~.connection.Connection` and an engine client of its own, so
ids, names, subscriptions, blocking and transactions behave per connection as in Redis. The
engine stays single-threaded, exactly like redis-server's main thread: commands of different
connections never interleave.

The server adds what only a network server has: admission (maxclients, protected mode), delivery
of output caused by other connections, wall-clock BLOCK timeouts (a 100 Hz tick, or nothing
when the clock is virtual: then time moves only through ``LAB CLOCK ADVANCE``), INFO/CONFIG/CLIENT
glue (:mod:`.commands`), and a clean stop on SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import sys
import time
from collections.abc import Callable

from .. import Engine
from ..model.clock import VirtualClock
from .commands import install
from .config import Config, ServerOptions
from .connection import Connection

MAX_CLIENTS_ERROR = b"-ERR max number of clients reached\r\n"

PROTECTED_MODE_ERROR = (
    b"-DENIED Redis is running in protected mode because protected mode is enabled and no "
    b"password is set for the default user. In this mode connections are only accepted from the "
    b"loopback interface. If you want to connect from external computers to Redis you may adopt "
    b"one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG "
    b"SET protected-mode no' from the loopback interface by connecting to Redis from the same "
    b"host the server is running, however MAKE SURE Redis is not publicly accessible from "
    b"internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively "
    b"you can just disable the protected mode by editing the Redis configuration file, and "
    b"setting the protected mode option to 'no', and then restarting the server. 3) If you "
    b"started the server manually just for testing, restart it with the '--protected-mode no' "
    b"option. 4) Setup a an authentication password for the default user. NOTE: You only need "
    b"to do one of the above things in order for the server to start accepting connections from "
    b"the outside.\r\n"
)

VIRTUAL_CLOCK_START_MS = 1_700_000_000_000
TICK_S = 0.01


#: Errors Redis raises before running a command (rejected_calls, not failed_calls).
_REJECTIONS = (b"-ERR wrong number of arguments", b"-NOAUTH", b"-ERR Can't execute",
               b"-EXECABORT Transaction discarded because of:")


class Stats:
    """The counters INFO stats / commandstats / errorstats report."""

    def __init__(self) -> None:
        self.reset()
        self.total_connections_received = 0
        self.rejected_connections = 0

    def reset(self) -> None:
        """CONFIG RESETSTAT."""
        self.commands: dict[str, list[int]] = {}   # fullname -> [calls, rejected, failed]
        self.errors: dict[bytes, int] = {}
        self.total_commands_processed = 0
        self.total_error_replies = 0
        self.output_limit_disconnections = 0

    def record(self, name: str, reply: bytes) -> None:
        """A command answered (``name`` is its fullname, "" when unknown): count it as Redis
        does; a blocked command is counted once it is served, with its late reply."""
        self.total_commands_processed += 1
        error = reply[:1] == b"-"
        if error:
            end = reply.find(b" ")
            prefix = reply[1:end] if end > 0 else reply[1:].rstrip()
            self.errors[prefix] = self.errors.get(prefix, 0) + 1
            self.total_error_replies += 1
        if not name:
            return
        counts = self.commands.get(name)
        if counts is None:
            counts = self.commands[name] = [0, 0, 0]
        if error and reply.startswith(_REJECTIONS):
            counts[1] += 1
        else:
            counts[0] += 1
            if error:
                counts[2] += 1


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class Server:
    """The engine, its connections, and the listening sockets."""

    def __init__(self, options: ServerOptions, engine: Engine | None = None) -> None:
        self.options = options
        if engine is None:
            clock = VirtualClock(VIRTUAL_CLOCK_START_MS) if options.virtual_clock else None
            engine = Engine(clock=clock)
        self.engine = engine
        if options.requirepass:
            engine.requirepass = options.requirepass.encode("utf-8", "surrogateescape")
        self.config = Config(options, engine)
        self.stats = Stats()
        self.connections: dict[object, Connection] = {}   # engine client -> connection
        self.dirty: dict[object, None] = {}                # clients with output to write
        self.started = time.time()
        self.labels = 0
        engine.commands = install(self, engine.commands)
        engine.output_listeners.append(self._on_output)
        self._listeners: list[asyncio.base_events.Server] = []
        self._stopping: asyncio.Event | None = None
        self.port = options.port
        self.classroom = None
        if options.classroom:   # one engine per student; this one stays the pre-AUTH lobby
            from .classroom import Classroom

            self.classroom = Classroom(self)

    # -- log ---------------------------------------------------------------------------------
    def log(self, message: str) -> None:
        stamp = time.strftime("%d %b %Y %H:%M:%S", time.localtime())
        print(f"{os.getpid()}:M {stamp} * {message}", file=sys.stderr, flush=True)

    # -- connections ---------------------------------------------------------------------------
    def accept(self, conn: Connection) -> None:
        transport = conn.transport
        peer = transport.get_extra_info("peername") or ("?", 0)
        local = transport.get_extra_info("sockname") or ("?", 0)
        self.stats.total_connections_received += 1
        conn.addr = _address(peer)
        if len(self.connections) >= self.options.maxclients:
            self.stats.rejected_connections += 1
            transport.write(MAX_CLIENTS_ERROR)
            conn.closing = True
            transport.close()
            return
        if (self.options.protected_mode and self.engine.requirepass is None
                and not is_loopback(str(peer[0]))):
            self.stats.rejected_connections += 1
            transport.write(PROTECTED_MODE_ERROR)
            conn.closing = True
            transport.close()
            return
        self.labels += 1
        client = self.engine.client(f"tcp#{self.labels}")
        sock = transport.get_extra_info("socket")
        client.peer = (conn.addr, _address(local), sock.fileno() if sock is not None else -1)
        conn.client = client
        self.connections[client] = conn

    def forget(self, conn: Connection) -> None:
        """A connection ended (either side): its client leaves no trace in the engine."""
        client = conn.client
        if client is None or self.connections.get(client) is not conn:
            return
        del self.connections[client]
        self.dirty.pop(client, None)
        if not client.closed:
            client.disconnect()
        client.engine.clients.pop(client.label, None)

    def stats_for(self, client) -> Stats:
        """The counters ``client``'s INFO reads: its classroom room's, else the server's."""
        return self.stats if self.classroom is None else self.classroom.stats_for(client)

    def _on_output(self, client, value) -> None:
        self.dirty[client] = None

    def flush(self) -> None:
        """Write output other connections caused; let served blocked clients go on reading."""
        dirty = self.dirty
        while dirty:
            client = next(iter(dirty))
            del dirty[client]
            conn = self.connections.get(client)
            if conn is None:
                continue
            if client.outbox:
                conn.write(conn.take_output())
            if client.closed:
                conn.close()
            else:
                conn.resume()

    def _tick(self) -> None:
        engines = [self.engine] if self.classroom is None else self.classroom.engines()
        for engine in engines:
            if engine.blocked_on and not engine.clock.virtual:
                engine.expire_timeouts()
                self.flush()
        asyncio.get_running_loop().call_later(TICK_S, self._tick)

    # -- life cycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        hosts = self.options.bind.split()
        listener = await loop.create_server(lambda: Connection(self), hosts, self.options.port,
                                            reuse_address=True)
        self._listeners.append(listener)
        self.port = listener.sockets[0].getsockname()[1]
        loop.call_later(TICK_S, self._tick)

    async def serve(self, on_ready: Callable[[Server], None] | None = None) -> None:
        """Run until :meth:`stop` (SIGINT/SIGTERM): then every client is disconnected.
        ``on_ready`` runs once the ready line is out (``serve --dashboard`` starts there)."""
        self._stopping = asyncio.Event()
        await self.start()
        clock = "virtual clock" if self.engine.clock.virtual else "wall clock"
        self.log(f"redis-lab serve (Redis {self.engine.VERSION} compatible, {clock}): "
                 f"Ready to accept connections on {self.options.bind} port {self.port}")
        for line in self.classroom.ready_lines() if self.classroom is not None else ():
            self.log(line)
        if on_ready is not None:
            on_ready(self)
        await self._stopping.wait()
        self.log("Received shutdown signal: closing the listening sockets and every connection")
        for listener in self._listeners:
            listener.close()
        for conn in list(self.connections.values()):
            conn.abort()
        for listener in self._listeners:
            await listener.wait_closed()
        self.log("redis-lab serve is now ready to exit, bye bye...")

    def stop(self) -> None:
        if self._stopping is not None:
            self._stopping.set()


def _address(pair) -> str:
    host, port = pair[0], pair[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


def run(options: ServerOptions, on_ready: Callable[[Server], None] | None = None) -> int:
    """Serve in the foreground until SIGINT or SIGTERM; return the exit status."""
    try:
        import uvloop
    except ImportError:
        uvloop = None
    engine = None
    if options.data_dir is not None and not options.classroom:   # a classroom: one per room
        from ..persistence import AofLoadError, open_durable_engine

        clock = VirtualClock(VIRTUAL_CLOCK_START_MS) if options.virtual_clock else None
        try:
            engine = open_durable_engine(options.data_dir, options.appendfsync, clock=clock,
                                         group_commit=True)
        except (AofLoadError, OSError) as exc:
            print(f"redis-lab serve: {exc}", file=sys.stderr)
            return 1
        for warning in engine.aof.report.warnings:
            print(f"redis-lab serve: {warning}", file=sys.stderr)
    try:
        server = Server(options, engine)
    except ValueError as exc:   # classroom.ClassroomError: a roster that cannot be used
        print(f"redis-lab serve: {exc}", file=sys.stderr)
        return 1

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, server.stop)
        await server.serve(on_ready)

    try:
        if uvloop is not None:
            uvloop.run(main())
        else:
            asyncio.run(main())
    except OSError as exc:
        print(f"redis-lab serve: could not listen on {options.bind} port {options.port}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        if server.engine.aof is not None:
            server.engine.aof.close()   # fsync what is left, as Redis does on shutdown
        if server.classroom is not None:
            server.classroom.close()
    return 0

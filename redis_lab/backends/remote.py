"""The remote backend: a real Redis (``redis-lab --redis URL``), one connection per named client.

Connections are opened by redis-py (URL parsing, TLS, unix sockets, AUTH and SELECT in the
handshake, hiredis for the handshake's replies); after that each named client's socket carries
raw RESP: commands go out as redis-cli sends them and the frames the server wrote are parsed
with ``redis_lab.protocol.resp.parse`` into the same reply values the embedded engine returns,
so the shell prints them exactly as redis-cli does.

What arrives while nobody waits for a reply (pub/sub messages, a blocked read's late reply) is
read by ``poll`` -- the shell's poller calls it ten times a second, so it prints above the prompt
as on the embedded engine. After a command, when another client of the session is subscribed
or blocked, one PING round trip on the tools' connection fences the server's writes of that
event-loop turn, so a PUBLISH's deliveries print right after its reply, in order.

Connection problems are one line (``BackendError``); a connection the server dropped (restart,
CLIENT KILL) is opened again on the next command or poll, its database, protocol and
subscriptions are restored, and a note says what was lost meanwhile.

A redis-lab server (``redis-lab serve``) is recognised once, by ``LAB CLOCK`` answering instead
of Redis's unknown-command error. When it runs a virtual clock, ``:advance`` moves the server's
own clock (``LAB CLOCK ADVANCE ms``): BLOCK timeouts fire at once and idle times move exactly as
on the embedded engine, instead of the XCLAIM ... IDLE aging and real-time waits a real server
needs.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from ..model.clock import WallClock
from ..model.reply import Error, Push, Replies, Status
from ..protocol.resp import Incomplete, encode_command, parse
from ..settings import Settings
from . import BLOCKED, Backend, BackendError, Blocked, ClientState, OutputListener

REPLY_TIMEOUT_S = 10.0       # a reply that takes longer is a broken connection, not a slow one
BLOCK_GRACE_S = 0.15         # a blocking command with no reply by then is blocked
FENCE_TIMEOUT_S = 2.0
_MESSAGE_KINDS = (b"message", b"pmessage", b"smessage")
_SUBSCRIBE_KINDS = {
    b"subscribe": ("channels", True), b"unsubscribe": ("channels", False),
    b"psubscribe": ("patterns", True), b"punsubscribe": ("patterns", False),
    b"ssubscribe": ("shard_channels", True), b"sunsubscribe": ("shard_channels", False),
}
_UNSUBSCRIBES = {b"unsubscribe": "channels", b"punsubscribe": "patterns",
                 b"sunsubscribe": "shard_channels"}


class ConnectionLost(Exception):
    """The server closed the connection (or the network did)."""


class LabClock(WallClock):
    """The virtual clock of a redis-lab server, read and moved over the wire (``LAB CLOCK``):
    the shell's ``:clock`` and ``:advance`` then show and move the server's own time."""

    virtual = True

    def __init__(self, introspect: Callable[[list[bytes]], object]) -> None:
        super().__init__()
        self._introspect = introspect

    def now_ms(self) -> int:
        reply = self._introspect([b"LAB", b"CLOCK"])
        if not (isinstance(reply, list) and len(reply) == 2 and isinstance(reply[1], int)):
            raise BackendError(f"LAB CLOCK answered {reply!r}")
        return reply[1]

    def now_us(self) -> int:
        return self.now_ms() * 1000

    def advance(self, ms: int) -> None:
        reply = self._introspect([b"LAB", b"CLOCK", b"ADVANCE", str(int(ms)).encode()])
        if isinstance(reply, Error):
            raise BackendError(f"LAB CLOCK ADVANCE: {reply}")
        for listener in list(self._listeners):
            listener()


# ------------------------------------------------------------------------------------------------
# Where the server is
# ------------------------------------------------------------------------------------------------

@dataclass
class Target:
    """A parsed ``--redis`` URL plus the TLS options: how to open one more connection."""

    url: str
    kwargs: dict = field(default_factory=dict)
    connection_class: type | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Target:
        from redis.connection import Connection, SSLConnection, parse_url

        url = settings.redis_url or ""
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise BackendError(f"not a Redis URL: {safe_url(url)!r} (redis://host:port/db, "
                               "rediss://..., unix:///path/to/redis.sock)")
        try:
            kwargs = parse_url(url)
        except ValueError as exc:
            raise BackendError(f"bad Redis URL {safe_url(url)!r}: {exc}") from None
        connection_class = kwargs.pop("connection_class", Connection)
        if connection_class is SSLConnection or settings.tls_ca or settings.tls_cert:
            connection_class = SSLConnection
            kwargs.update(ssl_ca_certs=settings.tls_ca, ssl_certfile=settings.tls_cert,
                          ssl_keyfile=settings.tls_key,
                          ssl_cert_reqs="none" if settings.insecure else "required",
                          ssl_check_hostname=not settings.insecure)
        kwargs.setdefault("db", 0)
        return cls(url, kwargs, connection_class)

    @property
    def db(self) -> int:
        return int(self.kwargs.get("db") or 0)

    @property
    def display(self) -> str:
        """The URL without password or query: what the prompt, notes and exports show."""
        if "path" in self.kwargs:
            return f"unix://{self.kwargs['path']}"
        host = self.kwargs.get("host", "localhost")
        scheme = "rediss" if "ssl_ca_certs" in self.kwargs else "redis"
        return f"{scheme}://{host}:{self.kwargs.get('port', 6379)}/{self.db}"

    def open(self):
        """A connected socket (handshake done: AUTH, SELECT); BackendError if that fails."""
        from redis.backoff import NoBackoff
        from redis.exceptions import AuthenticationError, RedisError, ResponseError
        from redis.retry import Retry

        conn = self.connection_class(**self.kwargs, protocol=2, socket_connect_timeout=5,
                                     socket_timeout=REPLY_TIMEOUT_S,
                                     retry=Retry(NoBackoff(), 0))
        try:
            conn.connect()
        except AuthenticationError as exc:
            raise BackendError(f"{self.display}: WRONGPASS {exc} (check the user and password in "
                               "the URL: redis://user:password@host:port)") from None
        except ResponseError as exc:
            raise BackendError(f"{self.display}: {exc}") from None
        except (RedisError, OSError) as exc:
            raise BackendError(f"cannot connect to {self.display}: {_reason(exc)}") from None
        sock = conn._sock
        conn._sock = None  # the socket is ours now: redis-py must not close or read it
        return sock


def safe_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and logs)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    user = parts.username or ""
    netloc = f"{user}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _reason(exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused (is redis-server running there?)"
    if "timed out" in lowered or isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLError) or "ssl" in lowered or "certificate" in lowered:
        return f"TLS failed: {text}"
    if "no such file" in lowered:
        return "no such socket file"
    if "reset by peer" in lowered:
        return "the server closed the connection at once (a TLS port? then rediss://)"
    return text.splitlines()[0] if text else type(exc).__name__


# ------------------------------------------------------------------------------------------------
# One connection
# ------------------------------------------------------------------------------------------------

class Wire:
    """A socket carrying raw RESP, with the bytes received but not yet parsed."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.buffer = b""

    def send(self, args: list[bytes]) -> None:
        try:
            self.sock.sendall(encode_command(args))
        except OSError as exc:
            raise ConnectionLost(str(exc)) from None

    def frame(self, timeout: float | None):
        """The next frame, waiting at most ``timeout`` s (None: forever); TimeoutError if none."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            found = self.parsed()
            if found is not _NOTHING:
                return found
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            self.fill(left)

    def parsed(self):
        if not self.buffer:
            return _NOTHING
        try:
            value, end = parse(self.buffer)
        except Incomplete:
            return _NOTHING
        except ValueError as exc:
            raise ConnectionLost(f"protocol error: {exc}") from None
        self.buffer = self.buffer[end:]
        return value

    def fill(self, timeout: float | None) -> bool:
        """Read what the socket has (waiting up to ``timeout``); False if nothing came."""
        sock = self.sock
        pending = getattr(sock, "pending", None)
        if not (pending and pending()):
            try:
                ready, _, _ = select.select([sock], [], [], timeout)
            except (OSError, ValueError) as exc:
                raise ConnectionLost(str(exc)) from None
            if not ready:
                return False
        try:
            data = sock.recv(65536)
        except (BlockingIOError, ssl.SSLWantReadError):
            return False
        except OSError as exc:
            raise ConnectionLost(str(exc)) from None
        if not data:
            raise ConnectionLost("closed by the server")
        self.buffer += data
        return True

    def available(self) -> list:
        """Every complete frame readable now, without waiting."""
        frames = []
        while True:
            found = self.parsed()
            if found is not _NOTHING:
                frames.append(found)
                continue
            if not self.fill(0):
                return frames

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


_NOTHING = object()


def call(wire: Wire, *args: bytes | str | int, timeout: float = REPLY_TIMEOUT_S):
    """Send one command on ``wire`` and return its reply value."""
    wire.send([a if isinstance(a, bytes) else str(a).encode() for a in args])
    try:
        return wire.frame(timeout)
    except TimeoutError:
        raise ConnectionLost(f"no reply within {timeout:g} s") from None


# ------------------------------------------------------------------------------------------------
# Clients
# ------------------------------------------------------------------------------------------------

@dataclass
class RemoteClient:
    """A named client: its connection and what the session knows of its state."""

    label: str
    wire: Wire | None
    id: int = 0
    db: int = 0
    resp: int = 2
    channels: dict = field(default_factory=dict)
    patterns: dict = field(default_factory=dict)
    shard_channels: dict = field(default_factory=dict)
    blocked: Blocked | None = None
    late: int = 0                  # replies still to come for commands sent while blocked
    multi: int | None = None
    closed: bool = False
    lost: bool = False             # the connection broke and could not be opened again yet
    last_command: str = ""
    extra: dict = field(default_factory=dict)   # cluster: node address -> Wire (not home)
    blocked_wire: Wire | None = None

    def wires(self) -> list[Wire]:
        return ([self.wire] if self.wire is not None else []) + list(self.extra.values())

    def close_wires(self) -> None:
        for wire in self.wires():
            wire.close()
        self.wire, self.extra, self.blocked_wire = None, {}, None

    def state(self) -> ClientState:
        return ClientState(self.label, self.id, self.db, self.resp, tuple(self.channels),
                           tuple(self.patterns), tuple(self.shard_channels), self.blocked,
                           self.multi, self.closed, self.last_command)

    @property
    def subscribed(self) -> bool:
        return bool(self.channels or self.patterns or self.shard_channels)


def blocking_spec(args: list[bytes], now_ms: int) -> Blocked | None:
    """What ``args`` would block on (None: the command never blocks)."""
    if not args:
        return None
    name = args[0].lower()
    words = [a.lower() for a in args]
    try:
        if name in (b"xread", b"xreadgroup"):
            if b"block" not in words or b"streams" not in words:
                return None
            timeout = int(args[words.index(b"block") + 1])
            rest = args[words.index(b"streams") + 1:]
            keys = tuple(rest[: len(rest) // 2])
        elif name in (b"blpop", b"brpop", b"bzpopmin", b"bzpopmax"):
            timeout, keys = round(float(args[-1]) * 1000), tuple(args[1:-1])
        elif name in (b"blmove", b"brpoplpush"):
            timeout, keys = round(float(args[-1]) * 1000), (args[1],)
        elif name in (b"blmpop", b"bzmpop"):
            timeout = round(float(args[1]) * 1000)
            keys = tuple(args[3: 3 + int(args[2])])
        elif name == b"wait":
            timeout, keys = int(args[2]), ()
        else:
            return None
    except (ValueError, IndexError):
        return None
    return Blocked(name.decode().upper(), keys, now_ms, now_ms + timeout if timeout > 0 else 0)


# ------------------------------------------------------------------------------------------------
# The backend
# ------------------------------------------------------------------------------------------------

class RemoteBackend(Backend):
    """Named clients, each its own connection to one real Redis server."""

    remote = True

    def __init__(self, target: Target, clock_factory: Callable | None = None) -> None:
        self.target = target
        self.clients: dict[str, RemoteClient] = {}
        self._listeners: list[OutputListener] = []
        self._queue: list[tuple[str, object, bool]] = []
        self._notes: list[str] = []
        self._clock = WallClock()
        self._seen_ms = 0
        self._observer: Wire | None = None
        self._observer_db = target.db
        self._written: set[bytes] | None = None
        self._writes: dict[bytes, bool | None] = {}   # name -> "write" flag (None: container)
        self.home_db = target.db
        self.version = self._server_version()
        self.lab_clock = self._lab_clock_kind()
        self.location = f"{target.display} · Redis {self.version}" + (
            "" if self.lab_clock is None else " · redis-lab server")
        self.set_clock(clock_factory)

    # -- connections -----------------------------------------------------------------------------
    def _server_version(self) -> str:
        info = self.introspect([b"INFO", b"server"], self.target.db)
        if isinstance(info, Error):
            raise BackendError(f"{self.target.display}: {info}" + (
                " (give the password in the URL: redis://:PASSWORD@host:port)"
                if info.startswith("NOAUTH") else ""))
        for line in bytes(info).decode("utf-8", "replace").splitlines():
            if line.startswith("redis_version:"):
                return line.split(":", 1)[1].strip()
        return "?"

    def _lab_clock_kind(self) -> bool | None:
        """None on a real Redis (``LAB`` is an unknown command there); on a redis-lab server,
        whether its clock is virtual (``serve --virtual-clock``)."""
        reply = self.introspect([b"LAB", b"CLOCK"], self.target.db)
        if isinstance(reply, list) and len(reply) == 2 and reply[0] in (0, 1):
            return bool(reply[0])
        return None

    def lab(self, *args: bytes) -> None:
        """``LAB SNAPSHOT name`` / ``LAB RESTORE name`` on the tools' connection (a redis-lab
        server keeps the snapshots: ``:snapshot``/``:restore``); BackendError if refused."""
        reply = self.introspect([b"LAB", *args], self.home_db)
        if isinstance(reply, Error):
            raise BackendError(f"LAB {b' '.join(args).decode('utf-8', 'replace')}: {reply}")

    def _observer_wire(self) -> Wire:
        if self._observer is None:
            self._observer = Wire(self.target.open())
            self._observer_db = self.target.db
        return self._observer

    def _open(self, client: RemoteClient) -> None:
        client.wire = Wire(self.target.open())
        client.db = self.target.db
        reply = call(client.wire, b"CLIENT", b"ID")
        client.id = reply if isinstance(reply, int) else 0

    @property
    def clock(self):
        return self._clock

    def labels(self) -> list[str]:
        return list(self.clients)

    def connect(self, label: str) -> bool:
        if label in self.clients:
            return False
        client = RemoteClient(label, None)
        self._open(client)
        self.clients[label] = client
        return True

    def state(self, label: str) -> ClientState | None:
        client = self.clients.get(label)
        return None if client is None else client.state()

    def take_notes(self) -> list[str]:
        notes, self._notes = self._notes, []
        return notes

    # -- running commands ------------------------------------------------------------------------
    def execute(self, label: str, args: list[bytes]) -> object:
        self.connect(label)
        client = self.clients[label]
        if client.closed or client.lost or client.wire is None:
            self._reopen(client, quietly=client.closed)
        try:
            self._collect(client)
            return self._execute(client, args)
        except ConnectionLost:
            self._reopen(client)
            return self._execute(client, args)  # sent again, as redis-cli does after reconnecting

    def _execute(self, client: RemoteClient, args: list[bytes]):
        name = args[0].lower() if args else b""
        client.last_command = name.decode("utf-8", "replace")
        if client.blocked is not None:
            (client.blocked_wire or client.wire).send(args)
            client.late += 1
            return BLOCKED
        if name == b"xadd" and self._clock.virtual and not isinstance(self._clock, LabClock):
            args = self._virtual_xadd(args, client.db)
        blocking = (blocking_spec(args, self._clock.now_ms())
                    if client.multi is None and name in _BLOCKING_NAMES else None)
        frames = self._frames_expected(client, name, args)
        wire = self._wire_for(client, args)
        wire.send(args)
        replies, inline = [], []
        while len(replies) < frames:
            try:
                value = wire.frame(BLOCK_GRACE_S if blocking is not None else REPLY_TIMEOUT_S)
            except TimeoutError:
                if blocking is None:
                    raise ConnectionLost(f"no reply within {REPLY_TIMEOUT_S:g} s") from None
                client.blocked, client.late, client.blocked_wire = blocking, 1, wire
                self._fence(client)
                return BLOCKED
            if self._is_message(client, value):
                if type(value) is Push and name in (b"publish", b"spublish"):
                    inline.append(value)   # RESP3: 7.0 writes the push before the reply
                else:
                    self._queue.append((client.label, value, client.resp == 3))
                continue
            replies.append(value)
            self._track(client, args, value)
        if self._written is not None and not isinstance(replies[0], Error):
            self._note_writes(client, args)
        self._fence(client)
        if name in _SUBSCRIBE_COMMANDS or inline:
            return Replies(inline + replies)
        return replies[0]

    def _wire_for(self, client: RemoteClient, args: list[bytes]) -> Wire:
        """The connection ``args`` go out on (a cluster picks the node serving its slot)."""
        return client.wire

    def _frames_expected(self, client: RemoteClient, name: bytes, args: list[bytes]) -> int:
        if name in _SUBSCRIBE_COMMANDS:
            if len(args) > 1:
                return len(args) - 1
            kind = _UNSUBSCRIBES.get(name)
            return max(1, len(getattr(client, kind))) if kind else 1
        return 1

    @staticmethod
    def _is_message(client: RemoteClient, value) -> bool:
        if not isinstance(value, list) or not value or not isinstance(value[0], bytes):
            return False
        if type(value) is Push or client.subscribed:
            return value[0] in _MESSAGE_KINDS or (type(value) is Push and client.resp == 3
                                                  and value[0] == b"invalidate")
        return False

    def _track(self, client: RemoteClient, args: list[bytes], value) -> None:
        """Follow the connection state a reply changed (db, protocol, MULTI, subscriptions)."""
        name = args[0].lower()
        error = isinstance(value, Error)
        if _is_confirmation(value):
            kind, add = _SUBSCRIBE_KINDS[value[0]]
            names = getattr(client, kind)
            if add:
                names[value[1]] = None
            elif value[1] is not None:
                names.pop(value[1], None)
            return
        if error:
            if client.multi is not None and name not in (b"exec", b"discard"):
                return
            if name in (b"exec",):
                client.multi = None
            return
        if client.multi is not None and value == Status("QUEUED"):
            client.multi += 1
        elif name == b"multi":
            client.multi = 0
        elif name in (b"exec", b"discard"):
            client.multi = None
        elif name == b"select":
            client.db = int(args[1])
        elif name == b"hello" and len(args) > 1:
            client.resp = int(args[1])
        elif name == b"reset":
            client.db, client.resp, client.multi = self.target.db, 2, None
            if self.target.db:
                call(client.wire, b"SELECT", self.target.db)
            client.channels, client.patterns, client.shard_channels = {}, {}, {}
        elif name == b"quit":
            client.close_wires()
            client.closed = True
            client.channels, client.patterns, client.shard_channels = {}, {}, {}

    def _fence(self, client: RemoteClient) -> None:
        """When others of ours may receive something, wait for the server's writes of this turn."""
        if not any(c is not client and (c.subscribed or c.blocked is not None) and c.wire
                   for c in self.clients.values()):
            return
        try:
            call(self._observer_wire(), b"PING", timeout=FENCE_TIMEOUT_S)
        except (ConnectionLost, BackendError):
            self._drop_observer()
        self._collect_all()

    # -- what arrives by itself ------------------------------------------------------------------
    def _collect(self, client: RemoteClient) -> None:
        for wire in client.wires():
            for value in wire.available():
                self._arrived(client, value)

    def _arrived(self, client: RemoteClient, value) -> None:
        if not self._is_message(client, value):
            if client.late:
                client.late -= 1
                client.blocked, client.blocked_wire = None, None
            elif _is_confirmation(value):
                self._track(client, [value[0]], value)
        self._queue.append((client.label, value, client.resp == 3))

    def _collect_all(self) -> None:
        for client in list(self.clients.values()):
            if client.wire is None and not client.lost:
                continue
            try:
                if client.lost:
                    self._reopen(client)
                self._collect(client)
            except ConnectionLost:
                try:
                    self._reopen(client)
                except BackendError as exc:
                    self._lose(client, str(exc))
            except BackendError as exc:
                self._lose(client, str(exc))

    def poll(self) -> None:
        self._collect_all()
        queue, self._queue = self._queue, []
        for label, value, resp3 in queue:
            for listener in list(self._listeners):
                listener(label, value, resp3)

    def _lose(self, client: RemoteClient, why: str) -> None:
        if not client.lost:
            self._notes.append(f"({client.label} lost its connection: {why}; it reconnects on "
                               "its next command)")
        client.lost = True
        client.close_wires()

    def _reopen(self, client: RemoteClient, quietly: bool = False) -> None:
        """Connect ``client`` again and restore db, protocol and subscriptions; note the loss."""
        client.close_wires()
        db, resp = client.db, client.resp
        subscriptions = (list(client.channels), list(client.patterns), list(client.shard_channels))
        was_blocked = client.blocked
        client.blocked, client.late, client.multi = None, 0, None
        client.channels, client.patterns, client.shard_channels = {}, {}, {}
        self._open(client)   # BackendError when the server is still away
        client.closed, client.lost = False, False
        if quietly:
            return
        if db != client.db:
            call(client.wire, b"SELECT", db)
            client.db = db
        if resp == 3:
            call(client.wire, b"HELLO", b"3")
            client.resp = 3
        restored = []
        for command, names in zip((b"SUBSCRIBE", b"PSUBSCRIBE", b"SSUBSCRIBE"), subscriptions):
            for name in names:
                wire = self._wire_for(client, [command, name])
                wire.send([command, name])
                self._track(client, [command], wire.frame(REPLY_TIMEOUT_S))
                restored.append(name.decode("utf-8", "replace"))
        note = (f"(the connection of {client.label} to {self.target.display} was lost -- the "
                f"server restarted or closed it -- and is open again as client id {client.id})")
        if restored:
            note += (f"\n({client.label} subscribed again to {', '.join(restored)}: messages "
                     "published while it was away are lost -- Pub/Sub keeps no history; a "
                     "stream would still have them)")
        if was_blocked is not None:
            note += (f"\n({client.label} was blocked in {was_blocked.command}: that command is "
                     "gone; run it again)")
        self._notes.append(note)

    # -- keys lessons write ----------------------------------------------------------------------
    def track_keys(self, keys: set[bytes]) -> None:
        self._written = keys

    def _note_writes(self, client: RemoteClient, args: list[bytes]) -> None:
        """Remember the keys a write command named (the server's own COMMAND GETKEYS says)."""
        name = args[0].lower()
        if name not in self._writes:
            self._writes[name] = self._write_flag(name, client.db)
        writes = self._writes[name]
        if writes is None and len(args) > 1:   # a container: its subcommand's flag decides
            name += b"|" + args[1].lower()      # (XGROUP CREATE ... MKSTREAM writes a key)
            if name not in self._writes:
                self._writes[name] = bool(self._write_flag(name, client.db))
            writes = self._writes[name]
        if not writes:
            return
        keys = self.introspect([b"COMMAND", b"GETKEYS", *args], client.db)
        if isinstance(keys, list):
            self._written.update(k for k in keys if isinstance(k, bytes))

    def _write_flag(self, name: bytes, db: int) -> bool | None:
        """COMMAND INFO's ``write`` flag of ``name``; None for a container (XGROUP, XINFO)."""
        info = self.introspect([b"COMMAND", b"INFO", name], db)
        entry = info[0] if isinstance(info, list) and info and info[0] else None
        if entry is None:
            return False
        if len(entry) > 9 and entry[9]:
            return None
        return "write" in (entry[2] or [])

    def forget_keys(self, keys: set[bytes]) -> None:
        if keys:
            reply = self.introspect([b"UNLINK", *sorted(keys)], self.home_db)
            if isinstance(reply, Error) and reply.startswith("ERR unknown command"):
                self.introspect([b"DEL", *sorted(keys)], self.home_db)   # redis-lab serve
        keys.clear()

    # -- tools -----------------------------------------------------------------------------------
    def introspect(self, args: list[bytes], db: int = 0) -> object:
        for attempt in (1, 2):
            try:
                wire = self._observer_wire()
                if db != self._observer_db:
                    call(wire, b"SELECT", db)
                    self._observer_db = db
                return call(wire, *args)
            except ConnectionLost:
                self._drop_observer()
                if attempt == 2:
                    raise BackendError(f"{self.target.display} does not answer") from None
        return None  # pragma: no cover

    def _drop_observer(self) -> None:
        if self._observer is not None:
            self._observer.close()
            self._observer = None

    def crash(self, label: str) -> None:
        client = self.clients.pop(label, None)
        if client is not None:
            for wire in client.wires():
                try:
                    wire.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            client.close_wires()

    def cancel_block(self, label: str) -> None:
        client = self.clients.get(label)
        if client is not None and client.blocked is not None:
            self.introspect([b"CLIENT", b"UNBLOCK", str(client.id).encode(), b"TIMEOUT"])
            deadline = time.monotonic() + FENCE_TIMEOUT_S
            while client.blocked is not None and time.monotonic() < deadline:
                try:
                    value = client.blocked_wire.frame(deadline - time.monotonic())
                except (TimeoutError, ConnectionLost, AttributeError):
                    break
                self._arrived(client, value)

    # -- time ------------------------------------------------------------------------------------
    def set_clock(self, factory: Callable | None) -> None:
        """A real server keeps its own time; a virtual clock here is the session's own: XADD *
        takes its ID time from it (sent as ``<ms>-*``), and ``:advance`` ages the pending
        entries (XCLAIM ... IDLE ... RETRYCOUNT ... JUSTID, same owner and count) and waits
        out, in real time, the BLOCK timeouts it passes. On a redis-lab server with a virtual
        clock, no factory means the server's clock itself (LabClock); a session clock (a
        lesson's) keeps its IDs, and its ``:advance`` moves the server's clock by as much."""
        if factory is None and self.lab_clock:
            self._clock = LabClock(lambda args: self.introspect(args, self.home_db))
        else:
            self._clock = factory() if factory is not None else WallClock()
        self._seen_ms = self._clock.now_ms()
        if self._clock.virtual:
            self._clock.on_change(self._advanced)

    def _advanced(self) -> None:
        now = self._clock.now_ms()
        delta, self._seen_ms = now - self._seen_ms, now
        if delta <= 0:
            return
        if self.lab_clock:
            if not isinstance(self._clock, LabClock):   # a session clock: the server's follows
                self.introspect([b"LAB", b"CLOCK", b"ADVANCE", str(delta).encode()],
                                self.home_db)
            aged = 0
        else:
            aged = self.age_pending(delta)
        if aged:
            self._notes.append(f"(on {self.target.display}: {aged} pending entries aged by "
                               f"{delta} ms with XCLAIM ... IDLE ... JUSTID; Redis's own clock "
                               "did not move)")
        for client in list(self.clients.values()):
            state = client.blocked
            if state is not None and state.deadline_ms and state.deadline_ms <= now:
                self._wait_served(client)

    def _wait_served(self, client: RemoteClient) -> None:
        """Wait in real time until the server answers ``client``'s timed-out blocked read."""
        started = time.monotonic()
        limit = started + (client.blocked.deadline_ms - client.blocked.since_ms) / 1000 + 2
        while client.blocked is not None and client.blocked_wire is not None:
            try:
                value = client.blocked_wire.frame(max(0.0, limit - time.monotonic()))
            except (TimeoutError, ConnectionLost):
                return
            self._arrived(client, value)

    def age_pending(self, ms: int) -> int:
        """Make every pending entry of every group look ``ms`` older; how many were aged."""
        dbs = sorted({self.home_db, *(c.db for c in self.clients.values())})
        aged = 0
        for db in dbs:
            for key in self._stream_keys(db):
                groups = self.introspect([b"XINFO", b"GROUPS", key], db)
                for group in groups if isinstance(groups, list) else []:
                    name = dict(zip(group[::2], group[1::2])).get(b"name")
                    pending = self.introspect([b"XPENDING", key, name, b"-", b"+", b"1000000"], db)
                    for entry_id, owner, idle, count in pending if isinstance(pending, list) else []:
                        self.introspect([b"XCLAIM", key, name, owner, b"0", entry_id,
                                         b"IDLE", str(idle + ms).encode(),
                                         b"RETRYCOUNT", str(count).encode(), b"JUSTID"], db)
                        aged += 1
        return aged

    def _stream_keys(self, db: int) -> list[bytes]:
        keys, cursor = [], b"0"
        while True:
            reply = self.introspect([b"SCAN", cursor, b"TYPE", b"stream", b"COUNT", b"1000"], db)
            if not isinstance(reply, list) or len(reply) != 2:
                return keys
            cursor, found = reply
            keys.extend(found)
            if cursor == b"0":
                return sorted(keys)

    def _virtual_xadd(self, args: list[bytes], db: int) -> list[bytes]:
        """``XADD key ... * ...`` -> ``XADD key ... <virtual ms>-* ...`` (Redis 7 picks the
        sequence), so stream IDs follow the session's virtual clock as on the engine."""
        i, words = 2, [a.lower() for a in args]
        while i < len(args):
            word = words[i]
            if word == b"nomkstream":
                i += 1
            elif word in (b"maxlen", b"minid"):
                i += 2 if i + 1 < len(args) and args[i + 1] in (b"=", b"~") else 1
                i += 1
            elif word == b"limit":
                i += 2
            else:
                break
        if i < len(args) and args[i] == b"*":
            # A clock behind the stream's last ID reuses that millisecond, as Redis does.
            ms = max(self._clock.now_ms(), self._last_ms(args[1], db))
            return [*args[:i], b"%d-*" % ms, *args[i + 1:]]
        return args

    def _last_ms(self, key: bytes, db: int) -> int:
        info = self.introspect([b"XINFO", b"STREAM", key], db)
        if not isinstance(info, list):
            return 0
        last = dict(zip(info[::2], info[1::2])).get(b"last-generated-id", b"0-0")
        return int(last.split(b"-")[0])

    def reset(self) -> None:
        for label in list(self.clients):
            self.crash(label)
        self._queue = []

    def close(self) -> None:
        self.reset()
        self._drop_observer()


_SUBSCRIBE_COMMANDS = frozenset(_SUBSCRIBE_KINDS)
_BLOCKING_NAMES = frozenset((b"xread", b"xreadgroup", b"blpop", b"brpop", b"bzpopmin", b"bzpopmax",
                             b"blmove", b"brpoplpush", b"blmpop", b"bzmpop", b"wait"))


def _is_confirmation(value) -> bool:
    """A (p|s)(un)subscribe frame: ``[b"subscribe", b"chat", 1]``."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], bytes)
            and value[0] in _SUBSCRIBE_KINDS)


def connect_backend(settings: Settings) -> Backend:
    """The backend for ``settings.redis_url`` (a cluster with ``--cluster``)."""
    target = Target.from_settings(settings)
    if settings.cluster:
        from .cluster import ClusterBackend

        return ClusterBackend(target, settings.clock_factory())
    return RemoteBackend(target, settings.clock_factory())

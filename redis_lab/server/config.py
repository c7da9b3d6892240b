"""The server's settings: what ``redis-lab serve`` options set and CONFIG GET/SET read and change.

Names, defaults and value formats are redis-server 7.0's, so clients and Redis's own tests that
read or set them (``CONFIG SET stream-node-max-entries 10``, ``CONFIG GET maxclients``) see what
they expect. Settings that belong to the engine (stream node sizes, requirepass) are stored on
the engine; the rest live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.glob import glob_match
from ..model.numbers import parse_ll

MB = 1024 * 1024
ALL_CLASSES = "g$lshzxetd"   # what "A" stands for in notify-keyspace-events


def events_text(classes: frozenset[str]) -> str:
    """notify-keyspace-events as Redis prints it back (keyspaceEventsFlagsToString)."""
    if all(ch in classes for ch in ALL_CLASSES):
        text = "A"
    else:
        text = "".join(ch for ch in ALL_CLASSES + "n" if ch in classes)
    return text + "".join(ch for ch in "KEm" if ch in classes)


@dataclass
class OutputLimit:
    """client-output-buffer-limit for one class: disconnect above ``hard`` bytes, or above
    ``soft`` bytes for ``soft_seconds`` in a row (0 disables a limit)."""

    hard: int
    soft: int
    soft_seconds: int

    def text(self) -> str:
        return f"{self.hard} {self.soft} {self.soft_seconds}"


@dataclass
class ServerOptions:
    """Everything ``redis-lab serve`` can be started with (named as Redis names them)."""

    port: int = 6380
    bind: str = "127.0.0.1"
    requirepass: str | None = None
    maxclients: int = 10000
    protected_mode: bool = True
    virtual_clock: bool = False
    data_dir: str | None = None       # --data: an AOF in Redis's format (redis_lab.persistence)
    appendfsync: str = "everysec"
    proto_max_bulk_len: int = 512 * MB
    client_query_buffer_limit: int = 1024 * MB
    enable_debug_command: str = "no"     # no | yes | local, as Redis 7.0
    # --classroom (redis_lab.server.classroom): one engine per student; 0 = no limit
    classroom: bool = False
    class_password: str | None = None
    teacher_password: str | None = None
    roster: str | None = None
    max_students: int = 0
    max_keys: int = 10_000
    max_stream_length: int = 100_000
    max_memory: int = 64 * MB
    max_commands_per_second: int = 20_000
    limits: dict[str, OutputLimit] = field(default_factory=lambda: {
        "normal": OutputLimit(0, 0, 0),
        "replica": OutputLimit(256 * MB, 64 * MB, 60),
        "pubsub": OutputLimit(32 * MB, 8 * MB, 60),
    })


def _memory(value: bytes) -> int | None:
    """Redis's memtoull: 1024, 1kb, 32mb, 1gb (case-insensitive)."""
    text = value.lower()
    for suffix, unit in ((b"kb", 1024), (b"mb", MB), (b"gb", 1024 * MB),
                         (b"k", 1000), (b"m", 1000 * 1000), (b"g", 1000 ** 3), (b"b", 1)):
        if text.endswith(suffix):
            number = parse_ll(text[: -len(suffix)])
            return None if number is None or number < 0 else number * unit
    number = parse_ll(text)
    return None if number is None or number < 0 else number


class Config:
    """CONFIG GET / SET over the server's options and the engine's settings."""

    def __init__(self, options: ServerOptions, engine) -> None:
        self.options = options
        self.engine = engine
        self.fixed = {  # read as Redis reports them; the lab neither persists nor replicates
            "appendonly": "no", "save": "", "appendfsync": "everysec", "maxmemory": "0",
            "maxmemory-policy": "noeviction", "databases": "16", "timeout": "0",
            "tcp-keepalive": "300", "lua-time-limit": "5000", "busy-reply-threshold": "5000",
            "io-threads": "1", "cluster-enabled": "no", "list-max-listpack-size": "-2",
            "hash-max-listpack-entries": "128", "zset-max-listpack-entries": "128",
            "set-max-intset-entries": "512", "lazyfree-lazy-user-del": "no",
            "latency-tracking": "yes", "dir": ".", "dbfilename": "dump.rdb",
        }

    # -- the settings --------------------------------------------------------------------------
    def _get(self, name: str) -> str | None:
        o, engine = self.options, self.engine
        if name in ("stream-node-max-entries", "stream-node-max-bytes"):
            return str(engine.config[name])
        if name == "notify-keyspace-events":
            return events_text(engine.keyspace_events)
        if name == "requirepass":
            return (engine.requirepass or b"").decode("utf-8", "surrogateescape")
        if name == "maxclients":
            return str(o.maxclients)
        if name == "port":
            return str(o.port)
        if name == "bind":
            return o.bind
        if name == "protected-mode":
            return "yes" if o.protected_mode else "no"
        if name == "proto-max-bulk-len":
            return str(o.proto_max_bulk_len)
        if name == "client-query-buffer-limit":
            return str(o.client_query_buffer_limit)
        if name == "enable-debug-command":
            return o.enable_debug_command
        if name == "client-output-buffer-limit":
            return " ".join(f"{kind} {limit.text()}" for kind, limit in
                            (("normal", o.limits["normal"]), ("slave", o.limits["replica"]),
                             ("pubsub", o.limits["pubsub"])))
        return self.fixed.get(name)

    NAMES = ("stream-node-max-entries", "stream-node-max-bytes", "notify-keyspace-events",
             "requirepass", "maxclients", "port", "bind", "protected-mode", "proto-max-bulk-len",
             "client-query-buffer-limit", "client-output-buffer-limit", "enable-debug-command")

    def get(self, patterns: list[bytes]) -> list[bytes]:
        """CONFIG GET pattern [pattern ...]: a flat name/value list, each name once."""
        found: dict[str, str] = {}
        names = [*self.NAMES, *self.fixed]
        for raw in patterns:
            pattern = raw.decode("utf-8", "surrogateescape").lower()
            for name in names:
                if name not in found and glob_match(pattern.encode(), name.encode()):
                    found[name] = self._get(name)
        out: list[bytes] = []
        for name, value in found.items():
            out += [name.encode(), value.encode("utf-8", "surrogateescape")]
        return out

    def set(self, name: str, value: bytes) -> str | None:
        """Apply one CONFIG SET; return None, or the reason it was refused (KeyError: unknown)."""
        o, engine = self.options, self.engine
        if name in ("stream-node-max-entries", "stream-node-max-bytes"):
            number = _memory(value) if name.endswith("bytes") else parse_ll(value)
            if number is None or number < 0 or number > (1 << 63) - 1:
                return "argument must be a memory value" if name.endswith("bytes") \
                    else "argument couldn't be parsed into an integer"
            engine.config[name] = number
        elif name == "notify-keyspace-events":
            flags = value.decode("latin-1")
            if any(ch not in "KEg$lshzxetmdnA" for ch in flags):
                return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
            engine.keyspace_events = frozenset(flags.replace("A", ALL_CLASSES))
        elif name == "requirepass":
            engine.requirepass = value or None
        elif name == "maxclients":
            number = parse_ll(value)
            if number is None or number < 1:
                return "argument must be between 1 and 4294967295 inclusive"
            o.maxclients = number
        elif name == "protected-mode":
            if value.lower() not in (b"yes", b"no"):
                return "argument must be 'yes' or 'no'"
            o.protected_mode = value.lower() == b"yes"
        elif name == "proto-max-bulk-len":
            number = _memory(value)
            if number is None or number < 1024 * 1024:
                return "argument must be a memory value" if number is None \
                    else "argument must be between 1048576 and 9223372036854775807 inclusive"
            o.proto_max_bulk_len = number
        elif name == "client-query-buffer-limit":
            number = _memory(value)
            if number is None or number < 1024 * 1024:
                return "argument must be a memory value"
            o.client_query_buffer_limit = number
        elif name == "client-output-buffer-limit":
            words = value.split()
            if len(words) % 4:
                return "Wrong number of arguments in buffer limit configuration."
            parsed = []
            for i in range(0, len(words), 4):
                kind = words[i].decode("latin-1").lower()
                kind = "replica" if kind == "slave" else kind
                numbers = [_memory(words[i + 1]), _memory(words[i + 2]), parse_ll(words[i + 3])]
                if kind not in o.limits or any(n is None or n < 0 for n in numbers):
                    return "Invalid argument in buffer limit configuration."
                parsed.append((kind, OutputLimit(*numbers)))
            o.limits.update(parsed)
        elif name in ("enable-debug-command", "port", "bind"):
            return "can't set immutable config"  # the lab listens where it was started
        elif name in self.fixed:
            self.fixed[name] = value.decode("utf-8", "surrogateescape")
        else:
            raise KeyError(name)
        return None


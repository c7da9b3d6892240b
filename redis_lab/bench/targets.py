"""The five things benchmarked, behind one small interface.

``run(cmds)`` executes commands in order and returns their parsed replies; it is the only timed
call. Every target returns the same raw RESP values (bytes, ints, nested lists), parsed by
hiredis: the bare engine's ``client.call`` bytes go through a ``hiredis.Reader`` (the reply path
a redis-py client pays, without the rest of redis-py); the engine through redis-py
(``inprocess.EngineConnection``), fakeredis (redis-py's FakeRedis) and redis-server are all
driven by redis-py's ``execute_command`` with its hiredis parser and *without* its response
callbacks (so none builds dicts and tuples the others do not build).

``setup(cmds)`` is the untimed way to build state: the engine's value-level ``execute`` loop,
pipelines of 1000 for redis-server.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable

Command = tuple  # of bytes


class BenchError(AssertionError):
    """A reply was not what the workload expected: the results cannot be trusted."""


def _no_callbacks(client) -> None:
    client.response_callbacks = {}


class Target:
    name = "?"
    pipelined = False

    def run(self, cmds: list) -> list:
        raise NotImplementedError

    def setup(self, cmds: Iterable) -> None:
        raise NotImplementedError

    def one(self, *cmd):
        return self.run([cmd])[0]

    def subscribers(self, count: int, channel: bytes, patterns: list[bytes] | None):
        raise NotImplementedError

    def versions(self) -> dict:
        return {}

    def close(self) -> None:
        pass


# -- the engine ------------------------------------------------------------------------------------

class EngineTarget(Target):
    name = "engine"

    def __init__(self) -> None:
        import hiredis

        from redis_lab import Engine

        self._hiredis = hiredis
        self.engine = Engine()
        self.client = self.engine.client("bench")
        self.reader = hiredis.Reader()

    def run(self, cmds: list) -> list:
        call = self.client.call
        feed = self.reader.feed
        gets = self.reader.gets
        out = []
        append = out.append
        for cmd in cmds:
            feed(call(*cmd))
            append(gets())
        return out

    def setup(self, cmds: Iterable) -> None:
        _engine_setup(self.client, cmds)

    def subscribers(self, count, channel, patterns):
        return _EngineSubscribers(self, count, channel, patterns)

    def versions(self) -> dict:
        from redis_lab import __version__

        return {"redis_lab": __version__, "hiredis": self._hiredis.__version__}


def _engine_setup(client, cmds: Iterable) -> None:
    """Build state through the engine's value-level ``execute`` (untimed)."""
    from redis_lab.model.reply import Error

    execute = client.execute
    for cmd in cmds:
        reply = execute(cmd)
        if type(reply) is Error:
            raise BenchError(f"setup {cmd[:3]!r}: {reply}")


class EngineRedisPyTarget(Target):
    """The engine through redis-py: ``redis.Redis`` over an in-process ``EngineConnection``.

    The same client stack as fakeredis (which is redis-py's ``Redis`` over a fake connection),
    with the same response callbacks removed, so the two compare like with like.
    """

    name = "engine-redis-py"

    def __init__(self) -> None:
        import redis

        from redis_lab import Engine

        from .inprocess import EngineConnection

        self._redis = redis
        self.engine = Engine()
        self.pool = redis.ConnectionPool(connection_class=EngineConnection, engine=self.engine,
                                         protocol=2, max_connections=1_000)  # W5: 100 PubSubs
        self.client = redis.Redis(connection_pool=self.pool)
        _no_callbacks(self.client)
        self.setup_client = self.engine.client("bench-setup")

    def run(self, cmds: list) -> list:
        execute = self.client.execute_command
        return [execute(*cmd) for cmd in cmds]

    def setup(self, cmds: Iterable) -> None:
        _engine_setup(self.setup_client, cmds)

    def subscribers(self, count, channel, patterns):
        return _PubSubSubscribers(lambda: self._redis.Redis(connection_pool=self.pool),
                                  count, channel, patterns)

    def versions(self) -> dict:
        import hiredis

        from redis_lab import __version__

        return {"redis_lab": __version__, "redis-py": self._redis.__version__,
                "hiredis": hiredis.__version__}

    def close(self) -> None:
        self.client.close()
        self.pool.disconnect()


class _EngineSubscribers:
    def __init__(self, target: EngineTarget, count, channel, patterns) -> None:
        self.subs = []
        for i in range(count):
            client = target.engine.client(f"sub{i}")
            reader = target._hiredis.Reader()
            if patterns is None:
                reader.feed(client.call(b"SUBSCRIBE", channel))
            else:
                reader.feed(client.call(b"PSUBSCRIBE", patterns[i]))
            frame = reader.gets()
            if not isinstance(frame, list) or frame[0] not in (b"subscribe", b"psubscribe"):
                raise BenchError(f"subscribe confirmation: {frame!r}")
            self.subs.append((client, reader))

    def drain(self, expected_each: int) -> int:
        total = 0
        for client, reader in self.subs:
            reader.feed(client.read_output())
            got = 0
            while reader.gets() is not False:
                got += 1
            if got != expected_each:
                raise BenchError(f"{client.label} got {got} messages, expected {expected_each}")
            total += got
        return total

    def close(self) -> None:
        for client, _ in self.subs:
            client.disconnect()


# -- fakeredis ------------------------------------------------------------------------------------

class FakeredisTarget(Target):
    name = "fakeredis"

    def __init__(self) -> None:
        import fakeredis

        self._fakeredis = fakeredis
        self.server = fakeredis.FakeServer()
        self.client = fakeredis.FakeRedis(server=self.server, decode_responses=False)
        _no_callbacks(self.client)

    def run(self, cmds: list) -> list:
        execute = self.client.execute_command
        return [execute(*cmd) for cmd in cmds]

    def setup(self, cmds: Iterable) -> None:
        execute = self.client.execute_command
        for cmd in cmds:
            execute(*cmd)

    def subscribers(self, count, channel, patterns):
        return _PubSubSubscribers(
            lambda: self._fakeredis.FakeRedis(server=self.server, decode_responses=False),
            count, channel, patterns)

    def versions(self) -> dict:
        import redis

        return {"fakeredis": getattr(self._fakeredis, "__version__", "?"),
                "redis-py": redis.__version__}


class _PubSubSubscribers:
    """Subscribers as redis-py ``PubSub`` objects (fakeredis, and the engine through redis-py)."""

    def __init__(self, make_client, count, channel, patterns) -> None:
        self.subs = []
        for i in range(count):
            pubsub = make_client().pubsub()
            if patterns is None:
                pubsub.subscribe(channel)
            else:
                pubsub.psubscribe(patterns[i])
            first = pubsub.get_message(timeout=1.0)
            if not first or first["type"] not in ("subscribe", "psubscribe"):
                raise BenchError(f"subscribe confirmation: {first!r}")
            self.subs.append(pubsub)

    def drain(self, expected_each: int) -> int:
        total = 0
        for pubsub in self.subs:
            got = 0
            get = pubsub.get_message
            while get(ignore_subscribe_messages=True, timeout=0.0) is not None:
                got += 1
            if got != expected_each:
                raise BenchError(f"a redis-py subscriber got {got} messages, "
                                 f"expected {expected_each}")
            total += got
        return total

    def close(self) -> None:
        for pubsub in self.subs:
            pubsub.close()


# -- redis-server ---------------------------------------------------------------------------------

class RedisTarget(Target):
    """redis-py, one command per round trip."""

    name = "redis"

    def __init__(self, port: int) -> None:
        import hiredis
        import redis

        self._redis = redis
        self._hiredis = hiredis
        self.port = port
        self.client = redis.Redis(host="127.0.0.1", port=port, protocol=2,
                                  decode_responses=False)
        _no_callbacks(self.client)
        self.client.execute_command("FLUSHALL")
        for name, value in (("stream-node-max-entries", "100"), ("stream-node-max-bytes", "4096")):
            self.client.execute_command("CONFIG", "SET", name, value)

    def run(self, cmds: list) -> list:
        execute = self.client.execute_command
        return [execute(*cmd) for cmd in cmds]

    def setup(self, cmds: Iterable) -> None:
        pipe = self.client.pipeline(transaction=False)
        n = 0
        for cmd in cmds:
            pipe.execute_command(*cmd)
            n += 1
            if n == 1000:
                pipe.execute()
                n = 0
        if n:
            pipe.execute()

    def subscribers(self, count, channel, patterns):
        return _SocketSubscribers(self, count, channel, patterns)

    def versions(self) -> dict:
        info = self.client.execute_command("INFO", "server")
        version = "?"
        for line in info.decode().splitlines():
            if line.startswith("redis_version:"):
                version = line.split(":", 1)[1]
        return {"redis-server": version, "redis-py": self._redis.__version__,
                "hiredis": self._hiredis.__version__}

    def close(self) -> None:
        self.client.close()


class RedisPipeTarget(RedisTarget):
    """redis-py pipelines of PIPELINE commands (transaction=False)."""

    name = "redis-pipe"
    pipelined = True

    def run(self, cmds: list) -> list:
        from .config import PIPELINE

        out: list = []
        pipeline = self.client.pipeline
        for start in range(0, len(cmds), PIPELINE):
            pipe = pipeline(transaction=False)
            for cmd in cmds[start:start + PIPELINE]:
                pipe.execute_command(*cmd)
            out.extend(pipe.execute())
        return out


def _resp(args) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


class _SocketSubscribers:
    """redis-server subscribers: plain sockets read with hiredis (no redis-py PubSub object), so
    the measurement is the server's fan-out plus the same parsing the engine's subscribers pay."""

    def __init__(self, target: RedisTarget, count, channel, patterns) -> None:
        self.subs = []
        for i in range(count):
            sock = socket.create_connection(("127.0.0.1", target.port), timeout=30)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            reader = target._hiredis.Reader()
            if patterns is None:
                sock.sendall(_resp([b"SUBSCRIBE", channel]))
            else:
                sock.sendall(_resp([b"PSUBSCRIBE", patterns[i]]))
            frame = False
            while frame is False:
                reader.feed(sock.recv(1 << 16))
                frame = reader.gets()
            if frame[0] not in (b"subscribe", b"psubscribe"):
                raise BenchError(f"subscribe confirmation: {frame!r}")
            self.subs.append((sock, reader))

    def drain(self, expected_each: int) -> int:
        total = 0
        for sock, reader in self.subs:
            got = 0
            while got < expected_each:
                data = sock.recv(1 << 18)
                if not data:
                    raise BenchError("a subscriber's connection closed")
                reader.feed(data)
                while reader.gets() is not False:
                    got += 1
            if got != expected_each:
                raise BenchError(f"a redis subscriber got {got} messages, "
                                 f"expected {expected_each}")
            total += got
        return total

    def close(self) -> None:
        for sock, _ in self.subs:
            sock.close()


def make_target(name: str, port: int | None = None) -> Target:
    if name == "engine":
        return EngineTarget()
    if name == "engine-redis-py":
        return EngineRedisPyTarget()
    if name == "fakeredis":
        return FakeredisTarget()
    if name == "redis":
        return RedisTarget(port)
    if name == "redis-pipe":
        return RedisPipeTarget(port)
    raise ValueError(f"unknown target {name!r}")

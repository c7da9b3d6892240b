"""A redis-py connection to the engine in this process: redis-py's whole client stack, no socket.

The benchmark compares the engine with fakeredis, which is redis-py's ``Redis`` class over a
fake connection. To compare like with like, ``EngineConnection`` is a redis-py ``Connection``
whose "socket" hands each packed command to ``engine.client(...).call`` and gives the reply
bytes back to redis-py's own parser (hiredis when installed). Everything redis-py does per
command -- packing arguments, the connection pool, parsing replies, raising ResponseError -- is
paid exactly as with a real server; only the kernel round trip is missing.

    pool = redis.ConnectionPool(connection_class=EngineConnection, engine=Engine())
    client = redis.Redis(connection_pool=pool)
"""

from __future__ import annotations

import os
import socket

import hiredis
from redis.connection import Connection


class EngineSocket:
    """The socket methods redis-py's connection and parsers use, answered by an engine client.

    ``sendall`` parses the RESP commands it is given and runs each one; ``recv``/``recv_into``
    return the replies plus anything pushed to the client since (pub/sub messages). With nothing
    to read, a read times out at once (in-process, nothing can arrive later by itself).
    """

    def __init__(self, engine, name: str) -> None:
        self.client = engine.client(name)
        self.requests = hiredis.Reader()
        self.out = bytearray()
        self.timeout: float | None = None
        # redis-py polls the socket's file descriptor before reusing a pooled connection (is
        # anything unread?): an idle pipe answers "nothing", at a real poll's cost.
        self._idle_read, self._idle_write = os.pipe()

    def sendall(self, data) -> None:
        self.requests.feed(data)
        call = self.client.call
        out = self.out
        command = self.requests.gets()
        while command is not False:
            out += call(*command)
            command = self.requests.gets()

    def pending(self) -> int:
        """Bytes ready to read (as ``ssl.SSLSocket.pending``, which redis-py asks first)."""
        if not self.out:
            self.out += self.client.read_output()
        return len(self.out)

    def _fill(self) -> None:
        if not self.pending():
            raise TimeoutError("no reply pending on the in-process connection")

    def recv_into(self, buffer, nbytes: int = 0) -> int:
        self._fill()
        n = min(len(self.out), nbytes or len(buffer))
        buffer[:n] = self.out[:n]
        del self.out[:n]
        return n

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._fill()
        data = bytes(self.out[:bufsize])
        if not flags & socket.MSG_PEEK:
            del self.out[:bufsize]
        return data

    def fileno(self) -> int:
        return self._idle_read

    def settimeout(self, timeout: float | None) -> None:
        self.timeout = timeout

    def gettimeout(self) -> float | None:
        return self.timeout

    def setsockopt(self, *args) -> None:
        pass

    def getsockname(self) -> tuple[str, int]:
        return ("in-process", 0)

    def shutdown(self, how: int) -> None:
        pass

    def close(self) -> None:
        if self._idle_read >= 0:
            os.close(self._idle_read)
            os.close(self._idle_write)
            self._idle_read = self._idle_write = -1
            self.client.disconnect()


class EngineConnection(Connection):
    """redis-py's TCP ``Connection`` with the TCP part replaced by an :class:`EngineSocket`."""

    def __init__(self, engine, **kwargs) -> None:
        self.engine = engine
        # redis-py's CLIENT SETINFO on connect gets the engine's unknown-subcommand error, which
        # redis-py ignores as it does for servers older than 7.2.
        super().__init__(host="in-process", port=0, **kwargs)

    def _connect(self) -> EngineSocket:
        return EngineSocket(self.engine, f"redis-py-{id(self):x}")

    def _host_error(self) -> str:
        return "the in-process engine"

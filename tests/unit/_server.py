"""A throwaway redis-server for unit tests that compare our code with the real thing.

Unit tests in this folder check small pure functions (glob matching, line splitting, reply
formatting) against redis-server / redis-cli 7.0.15. They need a server of their own, with no
persistence, on a free port, stopped at the end: tests/servers.py starts it (and skips, or fails
under CI=true, when the binary is missing). This module adds the raw RESP connection and a fake
server that records what redis-cli sends.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from redis_lab.protocol.resp import Incomplete, encode_command, parse
from servers import find_binary, require_binary, running_redis_server

REDIS_CLI = find_binary("redis-cli")


def require(binary: str | None, name: str) -> str:
    """Return the binary's path, or skip (fail under CI=true) when it is not installed."""
    return binary or require_binary(name)


class Conn:
    """A raw RESP connection: send commands, read back frames parsed and as the raw bytes sent."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def send(self, *args: bytes | str) -> None:
        self.sock.sendall(encode_command(args))

    def read(self):
        """Read one frame; return ``(value, raw_bytes)``."""
        while True:
            try:
                value, end = parse(self.buf)
            except Incomplete:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("server closed the connection")
                self.buf += chunk
                continue
            raw, self.buf = self.buf[:end], self.buf[end:]
            return value, raw

    def call(self, *args: bytes | str):
        self.send(*args)
        return self.read()[0]

    def close(self) -> None:
        self.sock.close()


class UnitServer:
    """A running redis-server on 127.0.0.1:``port``, spoken to through :class:`Conn`."""

    def __init__(self, port: int) -> None:
        self.port = port

    def connect(self) -> Conn:
        return Conn(self.port)

    def cli(self, stdin: bytes, *options: str, timeout: float = 10) -> bytes:
        """Run redis-cli with ``stdin`` as its command lines; return its stdout.

        With stdin not a tty, redis-cli reads one command per line and splits each line with
        sdssplitargs, just like its interactive prompt; ``--no-raw`` keeps the human format.
        """
        cli = require(REDIS_CLI, "redis-cli")
        done = subprocess.run(
            [cli, "-p", str(self.port), *options],
            input=stdin,
            capture_output=True,
            timeout=timeout,
        )
        return done.stdout


@contextmanager
def start_redis_server() -> Iterator[UnitServer]:
    """A private redis-server (tests/servers.py's launcher) for one test module."""
    with running_redis_server() as server:
        yield UnitServer(server.port)


class FakeServer:
    """A tiny RESP server that records what a client (redis-cli) sends and answers on cue.

    It shows byte-for-byte what redis-cli made of a typed line (the arguments it sent), and lets
    redis-cli print replies the real 7.0 server never produces. With ``upstream`` set it is a
    recording proxy instead: commands go to that real server and the exact reply bytes that
    redis-cli received are kept in ``replies``.

    ``respond(args)`` returns the reply bytes for a command; by default redis-cli's start-up
    ``COMMAND DOCS`` gets an empty array and everything else ``+OK``.
    """

    def __init__(self, respond=None, upstream: int | None = None) -> None:
        self.respond = respond or (lambda args: b"+OK\r\n")
        self.upstream = upstream
        self.commands: list[list[bytes]] = []
        self.replies: list[bytes] = []  # raw reply bytes, one chunk per command (proxy mode)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        upstream = Conn(self.upstream) if self.upstream else None
        buf = b""
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
                while True:
                    try:
                        args, end = parse(buf)
                    except Incomplete:
                        break
                    buf = buf[end:]
                    if args[:1] and args[0].upper() == b"COMMAND":
                        conn.sendall(b"*0\r\n")  # redis-cli's help lookup at start-up
                        continue
                    self.commands.append(args)
                    if upstream is None:
                        conn.sendall(self.respond(args))
                    else:
                        upstream.send(*args)
                        raw = upstream.read()[1]
                        self.replies.append(raw)
                        conn.sendall(raw)
        if upstream is not None:
            upstream.close()

    def cli(self, stdin: bytes, *options: str, timeout: float = 10) -> bytes:
        """Run redis-cli against this server with ``stdin`` as its typed lines; return stdout."""
        cli = require(REDIS_CLI, "redis-cli")
        done = subprocess.run(
            [cli, "-p", str(self.port), *options],
            input=stdin,
            capture_output=True,
            timeout=timeout,
        )
        return done.stdout

    def close(self) -> None:
        self.listener.close()
        for worker in self._threads:
            worker.join(timeout=5)

    def __enter__(self) -> "FakeServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

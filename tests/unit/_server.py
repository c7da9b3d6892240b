"""A throwaway redis-server for unit tests that compare our code with the real thing.

Unit tests in this folder check small pure functions (glob matching, line splitting, reply
formatting) against redis-server / redis-cli 7.0.15. They need a server of their own, with no
persistence, on a free port, stopped at the end. When the binary is missing the tests skip,
except under CI=true, where a missing server must fail the run rather than hide untested code.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from redis_lab.protocol.resp import Incomplete, encode_command, parse

REDIS_SERVER = shutil.which("redis-server")
REDIS_CLI = shutil.which("redis-cli")


def require(binary: str | None, name: str) -> str:
    """Return the binary's path, or skip (fail under CI=true) when it is not installed."""
    if binary:
        return binary
    message = f"{name} is not installed"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: not skipping)")
    pytest.skip(message)
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Conn:
    """A raw RESP connection: send commands, read back parsed frames exactly as the server sent them."""

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


class RedisServer:
    """A running redis-server subprocess on 127.0.0.1:``port``."""

    def __init__(self, proc: subprocess.Popen, port: int) -> None:
        self.proc = proc
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
def redis_server() -> Iterator[RedisServer]:
    """Start a redis-server with no persistence on a free port; stop it on exit."""
    binary = require(REDIS_SERVER, "redis-server")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                conn = Conn(port)
                if conn.call("PING") == "PONG":
                    conn.close()
                    break
                conn.close()
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield RedisServer(proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

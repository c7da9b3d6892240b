"""Shared fixtures: a private redis-server for differential tests, a fresh engine, a calm environment.

``redis_server`` (session scope) starts its own ``redis-server`` on a free loopback port and stops
it at the end. When no binary can be found the tests that need it are skipped with a hint on how
to install one -- except under ``CI=true``, where a missing server is a failure: CI never skips
the conformance suite. Set ``REDIS_SERVER_BIN`` to use a binary that is not on ``PATH``.

``engine`` is a fresh ``Engine`` on a ``VirtualClock``, so time moves only when a test says so.

The environment is normalised before any test module is imported (and again around every test)
so colour and terminal variables from the developer's shell cannot change what renderers, the
CLI or child processes print.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

# --------------------------------------------------------------------------------------------
# A deterministic environment
# --------------------------------------------------------------------------------------------

#: Variables that switch colour or terminal behaviour on or off in rich, click, prompt_toolkit
#: and friends. They are removed for the whole test session.
_LEAKY_ENV = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "PY_COLORS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERM_PROGRAM",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PROMPT_TOOLKIT_COLOR_DEPTH",
    "REDIS_LAB_THEME",
)

#: Values every test (and every child process it starts) sees.
_STABLE_ENV = {
    "TERM": "xterm-256color",
    "COLUMNS": "100",
    "LINES": "40",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONIOENCODING": "utf-8",
    "PROMPT_TOOLKIT_NO_CPR": "1",
    "TZ": "UTC",
}


def _normalise_environment() -> None:
    for name in _LEAKY_ENV:
        os.environ.pop(name, None)
    os.environ.update(_STABLE_ENV)
    if hasattr(time, "tzset"):
        time.tzset()


_normalise_environment()


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch):
    """Undo whatever an earlier test (or an imported library) did to the colour/terminal variables."""
    for name in _LEAKY_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in _STABLE_ENV.items():
        monkeypatch.setenv(name, value)
    yield


# --------------------------------------------------------------------------------------------
# redis-server
# --------------------------------------------------------------------------------------------

INSTALL_HINT = (
    "redis-server 7.0 is needed for the conformance tests (they compare the engine with it). "
    "Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), "
    "or point REDIS_SERVER_BIN at a redis-server binary; ./scripts/test installs it with apt-get "
    "when run as root."
)

EXPECTED_SERVER_VERSION = (7, 0)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(message: str):
    """Skip locally, fail under CI=true: CI must never silently skip the conformance suite."""
    if _in_ci():
        pytest.fail(f"{message} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def find_redis_server() -> str | None:
    """Return the path of a redis-server binary, or None."""
    explicit = os.environ.get("REDIS_SERVER_BIN")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    found = shutil.which("redis-server")
    if found:
        return found
    for candidate in (
        "/usr/bin/redis-server",
        "/usr/local/bin/redis-server",
        "/opt/homebrew/bin/redis-server",
        "/usr/sbin/redis-server",
    ):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _server_version(binary: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"v=(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ping(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A private redis-server process on a loopback port.

    Attributes:
        host, port: where it listens.
        version: the ``(major, minor, patch)`` of the binary.
        binary: path of the binary.
    """

    host = "127.0.0.1"

    def __init__(self, binary: str, workdir: Path):
        self.binary = binary
        self.version = _server_version(binary)
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.logfile = workdir / "redis-server.log"

    def start(self, attempts: int = 5) -> None:
        last_error = "no attempt made"
        for _ in range(attempts):
            self.port = _free_port()
            with open(self.logfile, "ab") as log:
                self.proc = subprocess.Popen(
                    [
                        self.binary,
                        "--port", str(self.port),
                        "--bind", "127.0.0.1",
                        "--save", "",
                        "--appendonly", "no",
                        "--daemonize", "no",
                        "--dir", str(self.workdir),
                        "--loglevel", "warning",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break  # exited: most likely the port was taken in between; try another one
                if _ping(self.host, self.port):
                    return
                time.sleep(0.02)
            last_error = self.logfile.read_text(errors="replace")[-2000:]
            self.stop()
        raise RuntimeError(f"redis-server did not start: {last_error}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    # -- helpers ---------------------------------------------------------------------------

    def connect(self, timeout: float = 5.0) -> socket.socket:
        """A new raw TCP connection to the server."""
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def session(self, *commands) -> list[bytes]:
        """Run commands on one throw-away connection; return each raw reply (one frame each).

        The connection ends with QUIT and waits for the server to close it, so it is gone from
        CLIENT LIST before this returns.
        """
        from redis_lab.protocol.resp import Incomplete, encode_command, parse

        replies: list[bytes] = []
        with self.connect() as sock:
            sock.sendall(b"".join(encode_command([_arg(a) for a in c]) for c in commands)
                         + encode_command([b"QUIT"]))
            buf = b""
            while True:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    break
                buf += chunk
            pos = 0
            while pos < len(buf):
                try:
                    _, end = parse(buf, pos)
                except Incomplete:
                    raise ConnectionError(f"truncated reply from redis-server: {buf[pos:]!r}")
                replies.append(buf[pos:end])
                pos = end
        if len(replies) != len(commands) + 1:
            raise ConnectionError(f"expected {len(commands) + 1} replies, got {replies!r}")
        return replies[:-1]

    def command(self, *args) -> bytes:
        """Run one command on a throw-away connection; return the raw reply bytes."""
        return self.session(args)[0]

    def flush(self) -> None:
        """Start from a clean server: other clients gone, no data, settings tests may change reset.

        CLIENT KILL frees other connections synchronously, so subscribers, blocked readers and
        connections left by an earlier scenario cannot leak into the next one (a closed socket
        alone is noticed by the server only later).
        """
        replies = self.session(
            ("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"),
            ("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes"),
            ("FLUSHALL",),
            ("CONFIG", "SET", "notify-keyspace-events", ""),
            ("CONFIG", "SET", "stream-node-max-entries", "100"),
            ("CONFIG", "SET", "stream-node-max-bytes", "4096"),
        )
        bad = [r for r in replies if r.startswith(b"-")]
        if bad:
            raise RuntimeError(f"flush failed: {bad!r}")


def _arg(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def _start_server(tmp_path_factory, name: str) -> RedisServer:
    binary = find_redis_server()
    if binary is None:
        _unavailable("no redis-server binary found. " + INSTALL_HINT)
    server = RedisServer(binary, tmp_path_factory.mktemp(name))
    if server.version is None or server.version[:2] != EXPECTED_SERVER_VERSION:
        _unavailable(
            f"{binary} is version {server.version}; the conformance suite compares against "
            f"redis-server {'.'.join(map(str, EXPECTED_SERVER_VERSION))}.x. " + INSTALL_HINT
        )
    try:
        server.start()
    except RuntimeError as exc:
        _unavailable(str(exc))
    return server


@pytest.fixture(scope="session")
def redis_server_factory(tmp_path_factory):
    """Start more private redis-servers: ``redis_server_factory("name")``; all stop at the end."""
    started: list[RedisServer] = []

    def start(name: str = "redis-server") -> RedisServer:
        server = _start_server(tmp_path_factory, name)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="session")
def redis_server(redis_server_factory):
    """A private redis-server 7.0 on a free loopback port, for the whole session."""
    return redis_server_factory("redis-server")


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------

#: Where every test engine's virtual clock starts (2023-11-14T22:13:20Z).
VIRTUAL_START_MS = 1_700_000_000_000


@pytest.fixture
def engine_factory():
    """A callable returning a fresh ``Engine(clock=VirtualClock(VIRTUAL_START_MS))`` each time."""
    from redis_lab import Engine, VirtualClock

    def make():
        return Engine(clock=VirtualClock(VIRTUAL_START_MS))

    return make


@pytest.fixture
def engine(engine_factory):
    """A fresh Engine on a VirtualClock: time moves only through ``engine.clock.advance(ms)``."""
    return engine_factory()

"""The one place tests start servers: real redis-server (standalone or a 3-master cluster)
and ``python -m redis_lab serve`` (:class:`LabServer`, used by tests/server and tests/classroom).

Fidelity is proven against a real redis-server 7.0, so every test that needs one gets it from
here: a free loopback port, persistence off, a private working directory, a PING before it is
handed out, and a stop by pid at the end. ``tests/conftest.py`` re-exports the fixtures
(``redis_server``, ``redis_server_factory``, ``redis_cluster``); plain functions
(:func:`running_redis_server`, :func:`start_redis_cluster`) serve module-scoped fixtures.

When a binary cannot be had the reason is one line saying how to get it: the test is skipped
locally and *fails* under ``CI=true`` (CI never passes by skipping). ``REDIS_SERVER_BIN`` and
``REDIS_CLI_BIN`` point at binaries that are not on ``PATH``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

INSTALL_HINT = (
    "Install redis-server 7.0 (Debian/Ubuntu: sudo apt-get install redis-server redis-tools; "
    "macOS: brew install redis), or point REDIS_SERVER_BIN / REDIS_CLI_BIN at the binaries; "
    "./scripts/test installs them with apt-get when run as root."
)

EXPECTED_SERVER_VERSION = (7, 0)

HOST = "127.0.0.1"

#: Binaries tests may need, and the variable that overrides where each one is.
_OVERRIDES = {"redis-server": "REDIS_SERVER_BIN", "redis-cli": "REDIS_CLI_BIN",
              "redis-benchmark": "REDIS_BENCHMARK_BIN"}


# --------------------------------------------------------------------------------------------
# Finding binaries, and saying clearly when there is none
# --------------------------------------------------------------------------------------------


def in_ci() -> bool:
    """True under ``CI=true`` (or 1/yes): a missing server is then a failure, never a skip."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(message: str) -> NoReturn:
    """Skip the test with ``message`` locally; fail it (no traceback) under CI=true."""
    if in_ci():
        pytest.fail(f"{message} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def find_binary(name: str) -> str | None:
    """Path of ``name`` (redis-server, redis-cli...): its override variable, else PATH.

    The same rule as ./scripts/test's check, so the script and the fixtures agree on whether a
    server can be had. An override that is set but not executable gives None: a wrong REDIS_SERVER_BIN must not
    silently fall back to another binary.
    """
    explicit = os.environ.get(_OVERRIDES.get(name, ""), "")
    if explicit:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    return shutil.which(name)


def require_binary(name: str) -> str:
    """The binary's path, or skip (fail under CI) with a one-line reason saying how to get it."""
    found = find_binary(name)
    if found:
        return found
    variable = _OVERRIDES.get(name)
    if variable and os.environ.get(variable):
        unavailable(f"{variable}={os.environ[variable]} is not an executable file. "
                    + INSTALL_HINT)
    unavailable(f"no {name} binary found. " + INSTALL_HINT)


def server_version(binary: str) -> tuple[int, ...] | None:
    """``(major, minor, patch)`` from ``redis-server --version``, or None if it cannot say."""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"v=(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else None


def require_redis_server() -> str:
    """A redis-server 7.0.x binary, or skip/fail: the suite compares against 7.0 only."""
    binary = require_binary("redis-server")
    version = server_version(binary)
    if version is None or version[:2] != EXPECTED_SERVER_VERSION:
        wanted = ".".join(map(str, EXPECTED_SERVER_VERSION))
        unavailable(f"{binary} is version {version}; the tests compare against "
                    f"redis-server {wanted}.x. " + INSTALL_HINT)
    return binary


# --------------------------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def free_cluster_port() -> int:
    """A free port whose cluster-bus port (port + 10000) is free and valid too."""
    for _ in range(200):
        port = free_port()
        if port + 10000 <= 65535 and _bindable(port + 10000):
            return port
    raise RuntimeError("no free port pair (port, port + 10000) for a cluster node")


def ping(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    """True when a server on ``port`` answers PING with +PONG."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# One redis-server
# --------------------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server process on a loopback port, persistence off.

    Attributes:
        host, port: where it listens.
        version: the ``(major, minor, patch)`` of the binary.
        binary: path of the binary.
        pid: the process id it is stopped by.
    """

    host = HOST

    def __init__(self, binary: str, workdir: Path, extra_args: tuple[str, ...] = (),
                 port_picker=free_port):
        self.binary = binary
        self.version = server_version(binary)
        self.workdir = Path(workdir)
        self.extra_args = tuple(extra_args)
        self.port_picker = port_picker
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.logfile = self.workdir / "redis-server.log"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    #: Seconds a just-started process may take before it answers.
    start_seconds = 10

    def command_line(self) -> list[str]:
        """The command line, for the port just picked."""
        return [self.binary, "--port", str(self.port), "--bind", self.host,
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", str(self.workdir), "--loglevel", "warning", *self.extra_args]

    def popen_options(self) -> dict:
        """More ``subprocess.Popen`` keywords (environment, working directory)."""
        return {}

    def answering(self) -> bool:
        """True once the just-started process answers PING."""
        return ping(self.port, self.host)

    def describe(self) -> str:
        return "redis-server"

    def start(self, attempts: int = 5) -> None:
        """Start it and wait until PING answers; retry on another port if one was taken."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        last_error = "no attempt made"
        for _ in range(attempts):
            self.port = self.port_picker()
            with open(self.logfile, "ab") as log:
                self.proc = subprocess.Popen(
                    self.command_line(), stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, **self.popen_options())
            deadline = time.monotonic() + self.start_seconds
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break  # exited: most likely the port was taken in between; try another one
                if self.answering():
                    return
                time.sleep(0.02)
            last_error = self.logfile.read_text(errors="replace")[-2000:]
            self.stop()
        raise RuntimeError(f"{self.describe()} did not start: {last_error}")

    def stop(self, timeout: float = 5) -> None:
        """Stop the process by its pid (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
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


def start_redis_server(workdir: Path, *extra_args: str) -> RedisServer:
    """Start a standalone redis-server 7.0 in ``workdir`` (skip/fail if there is none).

    ``extra_args`` are appended to the command line (``"--maxmemory", "1mb"``...).
    """
    server = RedisServer(require_redis_server(), workdir, extra_args)
    try:
        server.start()
    except RuntimeError as exc:
        unavailable(" ".join(str(exc).split())[:300])
    return server


@contextmanager
def running_redis_server(*extra_args: str) -> Iterator[RedisServer]:
    """``with running_redis_server() as srv:`` a private server in a temp dir, stopped after."""
    with tempfile.TemporaryDirectory(prefix="redis-lab-test-") as workdir:
        server = start_redis_server(Path(workdir), *extra_args)
        try:
            yield server
        finally:
            server.stop()


# --------------------------------------------------------------------------------------------
# One redis-lab server (``python -m redis_lab serve``)
# --------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def answers(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    """True once a server answers PING at all: +PONG, or an error (-NOAUTH with a password)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64)[:1] in (b"+", b"-")
    except OSError:
        return False


class LabServer(RedisServer):
    """``python -m redis_lab serve --port P`` as a child process, spoken to like a redis-server.

    The same rules as :class:`RedisServer` (free port, retried if taken; answering PING before
    it is handed out; stopped by its pid), so a test can run one scenario against both.
    ``extra_args`` follow ``--port`` (``"--maxclients", "3"``, ``"--classroom", ...``).
    """

    start_seconds = 20

    def __init__(self, workdir: Path, extra_args: tuple[str, ...] = (), host: str | None = None):
        super().__init__(sys.executable, workdir, extra_args)
        self.version = (7, 0, 15)
        self.logfile = self.workdir / "serve.log"
        if host is not None:
            self.host = host

    def command_line(self) -> list[str]:
        return [sys.executable, "-m", "redis_lab", "serve", "--port", str(self.port),
                *self.extra_args]

    def popen_options(self) -> dict:
        return {"env": dict(os.environ, PYTHONPATH=str(ROOT)), "cwd": self.workdir}

    def answering(self) -> bool:
        return answers(self.port)   # -NOAUTH counts: the classroom asks for a password

    def describe(self) -> str:
        return " ".join(["redis-lab serve", *self.extra_args])

    def stop(self, timeout: float = 10) -> None:
        """Stop it by its pid: SIGTERM (it finishes writing its data), SIGKILL after 10 s."""
        super().stop(timeout)

    def log_text(self) -> str:
        return self.logfile.read_text(errors="replace")


@contextmanager
def stopped_at_end(make) -> Iterator:
    """Yield ``start(*args)``: ``make(*args)`` returns a started server; all stop at the end.

    The body of every ``..._factory`` fixture (redis-server, redis-lab serve, classroom).
    """
    started: list[RedisServer] = []

    def start(*args, **kwargs):
        server = make(*args, **kwargs)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


# --------------------------------------------------------------------------------------------
# A 3-master cluster
# --------------------------------------------------------------------------------------------


class RedisCluster:
    """Masters started with ``--cluster-enabled yes``, slots spread by ``redis-cli --cluster``.

    Attributes:
        nodes: the :class:`RedisServer` of each master.
        ports: their client ports (each node's bus port is port + 10000).
    """

    def __init__(self, nodes: list[RedisServer]) -> None:
        self.nodes = nodes

    @property
    def ports(self) -> list[int]:
        return [node.port for node in self.nodes]

    @property
    def addresses(self) -> list[str]:
        return [f"{node.host}:{node.port}" for node in self.nodes]

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def _cluster_state(node: RedisServer) -> str:
    try:
        info = node.command("CLUSTER", "INFO").decode(errors="replace")
    except OSError:
        return "unreachable"
    match = re.search(r"cluster_state:(\w+)", info)
    return match.group(1) if match else info.strip()


def start_redis_cluster(workdir: Path, masters: int = 3) -> RedisCluster:
    """Start ``masters`` cluster nodes in ``workdir``, create the cluster, wait for state ok.

    Skips (fails under CI) when redis-server or redis-cli is missing. The caller stops it with
    :meth:`RedisCluster.stop`; on any failure here the nodes already started are stopped.
    """
    binary = require_redis_server()
    cli = require_binary("redis-cli")
    nodes: list[RedisServer] = []
    try:
        for i in range(masters):
            node = RedisServer(binary, Path(workdir) / f"node-{i}",
                               ("--cluster-enabled", "yes",
                                "--cluster-config-file", "nodes.conf",
                                "--cluster-node-timeout", "5000"),
                               port_picker=free_cluster_port)
            nodes.append(node)
            node.start()
        cluster = RedisCluster(nodes)
        created = subprocess.run(
            [cli, "--cluster", "create", *cluster.addresses, "--cluster-replicas", "0",
             "--cluster-yes"],
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
        if created.returncode != 0:
            raise RuntimeError("redis-cli --cluster create failed: "
                               + (created.stderr or created.stdout).strip()[-500:])
        deadline = time.monotonic() + 30
        while True:
            states = [_cluster_state(node) for node in nodes]
            if all(state == "ok" for state in states):
                return cluster
            if time.monotonic() > deadline:
                raise RuntimeError(f"cluster never reached cluster_state:ok: {states}")
            time.sleep(0.05)
    except BaseException:
        for node in nodes:
            node.stop()
        raise


# --------------------------------------------------------------------------------------------
# Fixtures (re-exported by tests/conftest.py)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server_factory(tmp_path_factory):
    """Start more private redis-servers: ``redis_server_factory("name", *extra_args)``."""

    def make(name: str = "redis-server", *extra_args: str) -> RedisServer:
        return start_redis_server(tmp_path_factory.mktemp(name), *extra_args)

    with stopped_at_end(make) as start:
        yield start


@pytest.fixture(scope="session")
def redis_server(redis_server_factory):
    """A private redis-server 7.0 on a free loopback port, for the whole session."""
    return redis_server_factory("redis-server")


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory):
    """Three cluster-enabled masters holding all 16384 slots, for the whole session."""
    cluster = start_redis_cluster(tmp_path_factory.mktemp("redis-cluster"))
    try:
        yield cluster
    finally:
        cluster.stop()

"""A running ``redis-lab serve`` for the server tests, beside the session's real redis-server.

``lab_server`` starts ``python -m redis_lab serve --port P`` as a subprocess on a free loopback
port (the same launcher rules as tests/servers.py: PING before it is handed out, stopped by its
pid at the end) and offers the same helpers as the redis-server object (``connect``,
``session``, ``command``, ``flush``), so a test can run one scenario against both.
``lab_server_factory`` starts more of them with other options (``--maxclients 3``...).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]


class LabServer(RedisServer):
    """``redis-lab serve`` as a child process, spoken to like a redis-server."""

    def __init__(self, workdir: Path, extra_args: tuple[str, ...] = (), host: str | None = None):
        super().__init__(sys.executable, workdir, extra_args)
        self.version = (7, 0, 15)
        if host is not None:
            self.host = host

    def start(self, attempts: int = 5) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        for _ in range(attempts):
            self.port = free_port()
            with open(self.logfile, "ab") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "redis_lab", "serve", "--port", str(self.port),
                     *self.extra_args],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                    cwd=self.workdir)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                if _answers(self.port):
                    return
                time.sleep(0.05)
            self.stop()
        raise RuntimeError("redis-lab serve did not start: "
                           + self.logfile.read_text(errors="replace")[-2000:])

    def log_text(self) -> str:
        return self.logfile.read_text(errors="replace")


def _answers(port: int) -> bool:
    """True once the server answers PING at all (-NOAUTH with --requirepass counts)."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64)[:1] in (b"+", b"-")
    except OSError:
        return False


@pytest.fixture(scope="session")
def lab_server_factory(tmp_path_factory):
    """Start ``redis-lab serve`` processes: ``lab_server_factory("--maxclients", "3")``."""
    started: list[LabServer] = []

    def start(*extra_args: str, host: str | None = None) -> LabServer:
        server = LabServer(tmp_path_factory.mktemp("redis-lab-serve"), extra_args, host)
        server.start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="session")
def lab_server(lab_server_factory):
    """One ``redis-lab serve`` on a free loopback port for the whole session."""
    return lab_server_factory()

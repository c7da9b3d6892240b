"""A running ``redis-lab serve --classroom`` for the classroom tests.

``classroom`` starts ``python -m redis_lab serve --classroom`` as a subprocess on a free loopback
port (answering PING, even with NOAUTH, before it is handed out) and stops it by its pid.
``classroom_factory`` starts more with other options (a roster, small limits). Clients are
redis-py connections logged in as a user: ``server.as_user("alice")``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from servers import free_port

ROOT = Path(__file__).resolve().parents[2]
CLASS_PASSWORD = "class-pass"
TEACHER_PASSWORD = "teacher-pass"


class ClassServer:
    """One ``redis-lab serve --classroom`` child process."""

    def __init__(self, workdir: Path, extra_args: tuple[str, ...]) -> None:
        self.workdir = workdir
        self.extra_args = extra_args
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.logfile = workdir / "serve.log"

    def start(self, attempts: int = 5) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        for _ in range(attempts):
            self.port = free_port()
            with open(self.logfile, "ab") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "redis_lab", "serve", "--port", str(self.port),
                     "--classroom", "--class-password", CLASS_PASSWORD,
                     "--teacher-password", TEACHER_PASSWORD, *self.extra_args],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                    cwd=self.workdir)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                if _answers(self.port):
                    return
                time.sleep(0.05)
            self.stop()
        raise RuntimeError("redis-lab serve --classroom did not start: "
                           + self.logfile.read_text(errors="replace")[-2000:])

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()

    def url(self, user: str, password: str = CLASS_PASSWORD) -> str:
        return f"redis://{user}:{password}@127.0.0.1:{self.port}/0"

    def as_user(self, user: str, password: str | None = None, **kwargs) -> redis.Redis:
        if password is None:
            password = TEACHER_PASSWORD if user == "teacher" else CLASS_PASSWORD
        kwargs.setdefault("retry", Retry(NoBackoff(), 0))   # a refusal is seen as it happens
        return redis.Redis(port=self.port, username=user, password=password,
                           single_connection_client=True, **kwargs)

    def login_refused(self, user: str, password: str) -> bool:
        """True if AUTH user password is refused (WRONGPASS), tried once (no retries)."""
        try:   # a single-connection client logs in as it is made
            self.as_user(user, password).close()
        except redis.AuthenticationError:
            return True
        return False

    def raw(self) -> redis.Redis:
        """A connection that has not logged in."""
        return redis.Redis(port=self.port, single_connection_client=True)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64)[:1] in (b"+", b"-")
    except OSError:
        return False


@pytest.fixture(scope="session")
def classroom_factory(tmp_path_factory):
    """Start classroom servers: ``classroom_factory("--max-keys", "3")``."""
    started: list[ClassServer] = []

    def start(*extra_args: str) -> ClassServer:
        server = ClassServer(tmp_path_factory.mktemp("classroom"), extra_args)
        server.start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="session")
def classroom(classroom_factory):
    """One classroom server (no roster, default limits) for the whole session."""
    return classroom_factory()

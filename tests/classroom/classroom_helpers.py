"""``python -m redis_lab serve --classroom`` as a child process, for the classroom tests.

A module of its own (not conftest.py) so the tests can import its names unambiguously:
several test folders have a conftest module. The fixtures are in conftest.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

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

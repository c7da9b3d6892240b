"""A private redis-server for the benchmark: started on a free loopback port, stopped at the end."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Self


def find_redis_server() -> str | None:
    """The redis-server binary: $REDIS_SERVER_BIN, then PATH, then the usual places."""
    explicit = os.environ.get("REDIS_SERVER_BIN")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    found = shutil.which("redis-server")
    if found:
        return found
    for candidate in ("/usr/bin/redis-server", "/usr/local/bin/redis-server",
                      "/opt/homebrew/bin/redis-server", "/usr/sbin/redis-server"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def server_version(binary: str) -> str | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for word in out.split():
        if word.startswith("v="):
            return word[2:]
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def wait_until_answering(proc: subprocess.Popen, port: int, seconds: float,
                         interval: float = 0.05) -> bool:
    """True once the server just started answers PING on ``port``; False if it exits first
    (the free port was probably taken in between) or stays silent for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if _ping(port):
            return True
        time.sleep(interval)
    return False


def stop_process(proc: subprocess.Popen, timeout: float = 5) -> None:
    """Stop a server this bench started, by its pid: SIGTERM, then SIGKILL if it has not
    exited within ``timeout`` seconds (every bench launcher stops its children this way)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


class RedisServer:
    """``redis-server --port P --bind 127.0.0.1 --save '' --appendonly no`` in a temp dir."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.version = server_version(binary)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.workdir = tempfile.mkdtemp(prefix="redis-lab-bench-")

    def start(self, attempts: int = 5) -> None:
        log_path = os.path.join(self.workdir, "redis-server.log")
        for _ in range(attempts):
            self.port = _free_port()
            with open(log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--daemonize", "no",
                     "--dir", self.workdir, "--loglevel", "warning"],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if wait_until_answering(self.proc, self.port, 10, interval=0.02):
                return
            self.stop()
        with open(log_path, errors="replace") as log:
            raise RuntimeError(f"redis-server did not start: {log.read()[-2000:]}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_process(proc)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

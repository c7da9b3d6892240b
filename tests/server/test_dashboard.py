"""``redis-lab dashboard URL --once``: the picture a teacher sees, on redis-lab serve and on a
real redis-server alike (it reads only through commands)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redis_lab.protocol.resp import encode_command

ROOT = Path(__file__).resolve().parents[2]   # the checkout: children import redis_lab from it


def send(port: int, *commands: list[bytes]) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"".join(encode_command(c) for c in commands))
    return sock


@pytest.mark.parametrize("which", ["redis-lab serve", "redis-server"])
def test_dashboard_shows_connections_groups_and_channels(redis_server, lab_server, which):
    server = lab_server if which == "redis-lab serve" else redis_server
    server.flush()
    server.session(("XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"),
                   ("XADD", "jobs", "1-1", "task", "resize"),
                   ("XADD", "jobs", "2-1", "task", "crop"))
    socks = [send(server.port, [b"CLIENT", b"SETNAME", b"worker-1"],
                  [b"XREADGROUP", b"GROUP", b"workers", b"w1", b"COUNT", b"1", b"STREAMS",
                   b"jobs", b">"]),
             send(server.port, [b"CLIENT", b"SETNAME", b"listener"], [b"SUBSCRIBE", b"news"]),
             send(server.port, [b"CLIENT", b"SETNAME", b"waiter"],
                  [b"XREAD", b"BLOCK", b"0", b"STREAMS", b"jobs", b"$"])]
    try:
        deadline = time.monotonic() + 10
        while b"blocked_clients:1\r\n" not in server.command("INFO", "clients") \
                or b"listener" not in server.command("CLIENT", "LIST", "TYPE", "pubsub"):
            assert time.monotonic() < deadline
        done = subprocess.run(
            [sys.executable, "-m", "redis_lab", "dashboard", f"redis://127.0.0.1:{server.port}",
             "--once", "--width", "110"], capture_output=True, text=True, timeout=30,
            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    finally:
        for sock in socks:
            sock.close()
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "3 connections" in out and "redis-lab-dashboard" not in out
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 5}
    assert "blocked" in rows["waiter"] and "xread" in rows["waiter"]
    assert "subscribed" in rows["listener"] and "1/0/0" in rows["listener"]
    assert "xreadgroup" in rows["worker-1"]
    assert "news (1 subscribers)" in out
    assert "consumer lag jobs" in out and "workers" in out
    consumer = [line for line in out.splitlines() if " w1 " in line]
    assert consumer and " 1 " in consumer[0]  # w1 holds one pending entry

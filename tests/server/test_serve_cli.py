"""``redis-lab serve`` as a user starts it: the ready line, a clean stop, the virtual clock."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_port

from redis_lab.protocol.resp import encode_command

ROOT = Path(__file__).resolve().parents[2]   # the checkout: children import redis_lab from it


def start(*args: str) -> tuple[subprocess.Popen, str]:
    """Start the server; return it and its ready line (read from its log on stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "redis_lab", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdin=subprocess.DEVNULL)
    for line in proc.stderr:
        if "Ready to accept connections" in line:
            return proc, line
    proc.wait(10)
    raise AssertionError(f"no ready line; exit status {proc.returncode}")


def call(sock: socket.socket, *args: bytes) -> bytes:
    sock.sendall(encode_command(list(args)))
    return sock.recv(1 << 16)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_ready_line_and_clean_stop(sig):
    port = free_port()
    proc, ready = start("--port", str(port))
    try:
        assert f"127.0.0.1 port {port}" in ready
        subscriber = socket.create_connection(("127.0.0.1", port), timeout=10)
        assert call(subscriber, b"SUBSCRIBE", b"news").startswith(b"*3\r\n$9\r\nsubscribe")
        proc.send_signal(sig)
        assert proc.wait(10) == 0
        assert subscriber.recv(100) == b""  # the client was disconnected
        subscriber.close()
        log = proc.stderr.read()
        assert "Traceback" not in log and "bye bye" in log
        with socket.socket() as probe:  # nothing is left listening on the port
            assert probe.connect_ex(("127.0.0.1", port)) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_virtual_clock_moves_with_lab_clock_advance():
    port = free_port()
    proc, _ = start("--port", str(port), "--virtual-clock")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            assert call(sock, b"LAB", b"CLOCK") == b"*2\r\n:1\r\n:1700000000000\r\n"
            assert call(sock, b"XADD", b"s", b"*", b"f", b"v") == b"$15\r\n1700000000000-0\r\n"
            with socket.create_connection(("127.0.0.1", port), timeout=10) as reader:
                reader.sendall(encode_command([b"XREAD", b"BLOCK", b"5000", b"STREAMS", b"s",
                                               b"$"]))
                while b"blocked_clients:1\r\n" not in call(sock, b"INFO", b"clients"):
                    pass  # the reader's XREAD has not been read yet
                assert call(sock, b"LAB", b"CLOCK", b"ADVANCE", b"4999") == b":1700000004999\r\n"
                assert call(sock, b"LAB", b"CLOCK", b"ADVANCE", b"1") == b":1700000005000\r\n"
                assert reader.recv(100) == b"*-1\r\n"  # the BLOCK timeout, on the lab's clock
            assert call(sock, b"LAB", b"NOSUCH").startswith(b"-ERR unknown subcommand")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0


def test_port_in_use_is_one_line_not_a_traceback():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "redis_lab", "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=30,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 1
    assert f"could not listen on 127.0.0.1 port {port}" in done.stderr
    assert "Traceback" not in done.stderr

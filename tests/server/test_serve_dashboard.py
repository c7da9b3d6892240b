"""``redis-lab serve --dashboard`` in a pseudo-terminal: the server and its live dashboard.

A real client (redis-py) connects, names itself, subscribes and writes a stream; the dashboard
drawn in the server's own terminal shows that connection, its channel and the stream. Ctrl-C
then stops both: exit status 0, the server's goodbye line, nothing left listening.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import time
from pathlib import Path

import pexpect
import redis
from servers import free_port

ROOT = Path(__file__).resolve().parents[2]
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>()][0-9A-Za-z]?|\r")


class Screen:
    """What the pty printed, escape sequences dropped; ``expect`` waits for a text in it."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child, self.text = child, ""

    def expect(self, *wanted: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not all(w in self.text for w in wanted):
            if time.monotonic() > deadline or not self.child.isalive():
                missing = [w for w in wanted if w not in self.text]
                raise AssertionError(f"{missing} not on the screen:\n{self.text[-3000:]}")
            try:
                self.text += _ESCAPES.sub("", self.child.read_nonblocking(65536, timeout=0.1))
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_serve_dashboard_shows_the_clients_and_stops_on_ctrl_c():
    port = free_port()
    child = pexpect.spawn(sys.executable, ["-m", "redis_lab", "serve", "--port", str(port),
                                           "--dashboard"],
                          cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          dimensions=(40, 120), encoding="utf-8", codec_errors="replace")
    screen = Screen(child)
    try:
        screen.expect(f"Ready to accept connections on 127.0.0.1 port {port}")
        client = redis.Redis(port=port)
        client.client_setname("watcher")
        pubsub = client.pubsub()
        pubsub.subscribe("news")
        pubsub.get_message(timeout=5)                  # the subscribe confirmation
        client.xadd("orders", {"item": "book"})
        screen.expect("watcher", "news", "orders")
        screen.text = ""
        child.sendintr()
        child.expect(pexpect.EOF, timeout=10)
        child.close()
        assert child.exitstatus == 0, screen.text + (child.before or "")
        assert "ready to exit, bye bye" in _ESCAPES.sub("", child.before or "")
        assert not _listening(port)
        pubsub.close()
        client.close()
    finally:
        if child.isalive():
            child.kill(9)

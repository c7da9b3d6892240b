"""The shell in a real pseudo-terminal, on the embedded engine and on a real redis-server.

Each test runs once per backend with the same keystrokes and the same expected screen; only
the "outside" differs: on a real server it is redis-cli, on the embedded engine (which nobody
else can reach) another named client typed at the prompt.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "_pty", Path(__file__).resolve().parents[1] / "shell" / "_pty.py")
_pty = sys.modules.get("_pty") or importlib.util.module_from_spec(_spec)
if "_pty" not in sys.modules:
    _spec.loader.exec_module(_pty)
    sys.modules["_pty"] = _pty


class Lab:
    """A terminal on one backend, and a way to act from outside the shell."""

    def __init__(self, terminal, server=None):
        self.t = terminal
        self.server = server

    def outside(self, *args: str) -> None:
        if self.server is None:
            self.t.line("@outside " + " ".join(args))
        else:
            subprocess.run(["redis-cli", "-p", str(self.server.port), *args], check=True,
                           capture_output=True, timeout=10)


@pytest.fixture(params=["embedded", "redis-server"])
def lab(request, tmp_path):
    started = []

    def start() -> Lab:
        server, args = None, []
        if request.param == "redis-server":
            server = request.getfixturevalue("server")
            args = ["--redis", request.getfixturevalue("url")]
        terminal = _pty.Terminal(tmp_path / "state", *args)
        started.append(terminal)
        terminal.expect("default>", timeout=10)
        return Lab(terminal, server)

    yield start
    for terminal in started:
        terminal.close()


def test_a_blocked_reader_is_woken_by_a_producer(lab):
    t = lab().t
    t.line("@worker XREAD BLOCK 0 STREAMS s $")
    t.expect("(worker is blocked: XREAD on s, no timeout)")
    t.line("XADD s 5-1 temp 21")
    t.expect('"5-1"')
    t.expect('worker ◂ 1) 1) "s"\n            2) 1) 1) "5-1"')
    assert t.quit() == 0


def test_a_subscriber_receives_a_publish_from_outside(lab):
    session = lab()
    t = session.t
    t.line("@alice SUBSCRIBE news")
    t.expect("3) (integer) 1")
    session.outside("PUBLISH", "news", "hello")
    t.expect('alice ◂ 1) "message"\n        2) "news"\n        3) "hello"')
    assert t.quit() == 0


def test_the_pel_view_shows_a_group_made_outside(lab):
    session = lab()
    for args in (["XADD", "jobs", "1-1", "task", "a"], ["XADD", "jobs", "2-1", "task", "b"],
                 ["XGROUP", "CREATE", "jobs", "workers", "0"],
                 ["XREADGROUP", "GROUP", "workers", "w1", "STREAMS", "jobs", ">"]):
        session.outside(*args)
    t = session.t
    t.line(":show pel jobs workers")
    t.expect("PEL jobs › workers")
    t.expect("2 pending · lowest 1-1 · highest 2-1")
    t.expect("│ 2-1  w1 ")
    t.expect("default>")
    assert t.quit() == 0


def test_the_banner_says_where_the_shell_is(lab):
    session = lab()
    t = session.t
    t.pos = 0   # look from the start of the screen's history
    if session.server is None:
        t.expect("redis-lab 0.1.0 (Redis 7.0 in-process, wall clock)")
    else:
        t.expect(f"redis-lab 0.1.0 (redis://127.0.0.1:{session.server.port}/0 · Redis 7.0.")
    assert t.quit() == 0


def test_the_toolbar_says_where_the_shell_is(url):
    # (prompt_toolkit draws the toolbar only when the terminal answers cursor-position
    # requests, which the pty tests turn off, so the toolbar's text is checked here)
    from redis_lab.app import make_session
    from redis_lab.settings import Environment, Settings
    from redis_lab.shell.toolbar import toolbar_text

    session = make_session(Settings(redis_url=url), interactive=True, env=Environment())
    session.run_line("@alice SUBSCRIBE chat")
    assert toolbar_text(session).startswith(
        f" *default  alice (subscribed: 1) | {url} · Redis 7.0.")
    session.backend.close()


def test_ctrl_c_cancels_the_current_clients_blocked_read(lab):
    t = lab().t
    t.line("XREAD BLOCK 0 STREAMS s $")
    t.expect("default is waiting for s (no timeout); Ctrl-C to cancel")
    t.send(_pty.CTRL_C)
    t.expect("(cancelled: default stopped waiting")
    t.line("PING")
    t.expect("PONG")
    assert t.quit() == 0

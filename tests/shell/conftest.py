"""Fixtures for the shell tests: a session on a virtual clock, wired like the real front door."""

from __future__ import annotations

import pytest
from _pty import Terminal


@pytest.fixture
def session():
    from redis_lab.cli import Settings, make_session

    return make_session(Settings(virtual_clock=True), interactive=True)


@pytest.fixture
def run(session):
    """Run lines in the session; return the plain text each printed."""
    from redis_lab.session import render

    def run_lines(*lines: str) -> list[str]:
        out: list[str] = []
        for line in lines:
            out.extend(render(p) for p in session.run_line(line).printed if p.kind != "exit")
        return out

    return run_lines


@pytest.fixture
def term(tmp_path):
    started: list[Terminal] = []

    def start(*args: str, **kw) -> Terminal:
        terminal = Terminal(tmp_path / "state", *args, **kw)
        started.append(terminal)
        terminal.expect("default>", timeout=10)
        return terminal

    yield start
    for terminal in started:
        terminal.close()

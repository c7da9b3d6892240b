"""Fixtures for the shell tests: a session on a virtual clock, wired like the real front door."""

from __future__ import annotations

import pytest


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

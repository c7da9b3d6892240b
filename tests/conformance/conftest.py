"""Fixtures for the differential conformance suite (see harness.py for the scenario language).

``conformance`` gives a :class:`harness.Conformance`: ``conformance.run(steps, name=...)``
replays a scenario on a fresh engine and on the session's redis-server and fails on the first
byte difference. With ``REDIS_LAB_CONFORMANCE_SELFTEST=1`` the engine is replaced by a second
redis-server, which checks the harness and the scenarios themselves (zero divergences expected).

At the end of the session one line reports how many commands were compared and how many
diverged.
"""

from __future__ import annotations

import os
import sys

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)  # scenario files do `from harness import ...`

import harness

SELFTEST = os.environ.get("REDIS_LAB_CONFORMANCE_SELFTEST", "") not in ("", "0")


@pytest.fixture(scope="session")
def reference_redis_server(redis_server_factory):
    """Self-test only: a second redis-server standing in for the engine."""
    return redis_server_factory("redis-server-b")


@pytest.fixture
def conformance(request, redis_server):
    """A Conformance runner: engine (or, in self-test mode, a second server) vs redis-server."""
    if SELFTEST:
        other = request.getfixturevalue("reference_redis_server")

        def factory():
            other.flush()
            return harness.ServerSide(other)
    else:
        make_engine = request.getfixturevalue("engine_factory")

        def factory():
            return harness.EngineSide(make_engine())

    runner = harness.Conformance(redis_server, factory)
    yield runner
    runner._close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = harness.STATS
    if stats.scenarios == 0:
        return
    mode = " (self-test: second redis-server instead of the engine)" if SELFTEST else ""
    terminalreporter.write_line(stats.summary() + mode)

"""Shared fixtures: a private redis-server for differential tests, a fresh engine, a calm environment.

``redis_server`` (session scope) starts its own ``redis-server`` on a free loopback port and stops
it at the end; ``redis_cluster`` does the same for three cluster masters. Both come from
``tests/servers.py``, the one launcher (see there for REDIS_SERVER_BIN and what happens when no
binary can be had: skip locally, fail under ``CI=true``). Under ``CI=true`` every other skip is
turned into a failure too, unless its reason says "not applicable on this platform".

``engine`` is a fresh ``Engine`` on a ``VirtualClock``, so time moves only when a test says so.

The environment is normalised before any test module is imported (and again around every test)
so colour and terminal variables from the developer's shell cannot change what renderers, the
CLI or child processes print.
"""

from __future__ import annotations

import os
import time

import pytest

# --------------------------------------------------------------------------------------------
# A deterministic environment
# --------------------------------------------------------------------------------------------

#: Variables that switch colour or terminal behaviour on or off in rich, click, prompt_toolkit
#: and friends. They are removed for the whole test session.
_LEAKY_ENV = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "PY_COLORS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERM_PROGRAM",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PROMPT_TOOLKIT_COLOR_DEPTH",
    "REDIS_LAB_THEME",
)

#: Values every test (and every child process it starts) sees.
_STABLE_ENV = {
    "TERM": "xterm-256color",
    "COLUMNS": "100",
    "LINES": "40",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONIOENCODING": "utf-8",
    "PROMPT_TOOLKIT_NO_CPR": "1",
    "TZ": "UTC",
    # No config file of the developer's (raw = true, a pager...) may change what tests see: the
    # shell looks for $XDG_CONFIG_HOME/redis-lab/config.toml, which does not exist here.
    "XDG_CONFIG_HOME": "/nonexistent/redis-lab-tests/config",
}


def _normalise_environment() -> None:
    for name in _LEAKY_ENV:
        os.environ.pop(name, None)
    os.environ.update(_STABLE_ENV)
    if hasattr(time, "tzset"):
        time.tzset()


_normalise_environment()


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch):
    """Undo whatever an earlier test (or an imported library) did to the colour/terminal variables."""
    for name in _LEAKY_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in _STABLE_ENV.items():
        monkeypatch.setenv(name, value)
    yield


# --------------------------------------------------------------------------------------------
# redis-server: one launcher for every test (tests/servers.py)
# --------------------------------------------------------------------------------------------

from servers import in_ci, redis_cluster, redis_server, redis_server_factory  # noqa: E402,F401

# --------------------------------------------------------------------------------------------
# Under CI=true a skip is a failure (CI never passes by skipping)
# --------------------------------------------------------------------------------------------

#: The one skip reason CI accepts: the test cannot mean anything on this machine's platform.
NOT_APPLICABLE = "not applicable on this platform"


def _fail_skip_under_ci(report) -> None:
    """Turn a skipped report into a failure under CI=true, unless the reason is NOT_APPLICABLE."""
    if not report.skipped or hasattr(report, "wasxfail") or not in_ci():
        return
    longrepr = report.longrepr
    reason = str(longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr)
    if NOT_APPLICABLE in reason:
        return
    report.outcome = "failed"
    report.longrepr = f"skipped under CI=true, and CI never passes by skipping: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------

#: Where every test engine's virtual clock starts (2023-11-14T22:13:20Z).
VIRTUAL_START_MS = 1_700_000_000_000


@pytest.fixture
def engine_factory():
    """A callable returning a fresh ``Engine(clock=VirtualClock(VIRTUAL_START_MS))`` each time."""
    from redis_lab import Engine, VirtualClock

    def make():
        return Engine(clock=VirtualClock(VIRTUAL_START_MS))

    return make


@pytest.fixture
def engine(engine_factory):
    """A fresh Engine on a VirtualClock: time moves only through ``engine.clock.advance(ms)``."""
    return engine_factory()

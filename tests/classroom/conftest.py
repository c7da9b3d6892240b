"""Fixtures: a running ``redis-lab serve --classroom`` for the classroom tests.

``classroom`` starts ``python -m redis_lab serve --classroom`` as a subprocess on a free loopback
port (answering PING, even with NOAUTH, before it is handed out) and stops it by its pid.
``classroom_factory`` starts more with other options (a roster, small limits). Clients are
redis-py connections logged in as a user: ``server.as_user("alice")`` (classroom_helpers.py).
"""

from __future__ import annotations

import pytest
from classroom_helpers import ClassServer


@pytest.fixture(scope="session")
def classroom_factory(tmp_path_factory):
    """Start classroom servers: ``classroom_factory("--max-keys", "3")``."""
    started: list[ClassServer] = []

    def start(*extra_args: str) -> ClassServer:
        server = ClassServer(tmp_path_factory.mktemp("classroom"), extra_args)
        server.start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="session")
def classroom(classroom_factory):
    """One classroom server (no roster, default limits) for the whole session."""
    return classroom_factory()

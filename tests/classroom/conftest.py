"""Fixtures: a running ``redis-lab serve --classroom`` for the classroom tests.

``classroom`` is a :class:`classroom_helpers.ClassServer`, the classroom flavour of
:class:`servers.LabServer` (free loopback port, answering PING, even with NOAUTH, before it is
handed out, stopped by its pid). ``classroom_factory`` starts more with other options (a roster,
small limits). Clients are redis-py connections logged in as a user: ``server.as_user("alice")``.
"""

from __future__ import annotations

import pytest
from classroom_helpers import ClassServer
from servers import stopped_at_end


@pytest.fixture(scope="session")
def classroom_factory(tmp_path_factory):
    """Start classroom servers: ``classroom_factory("--max-keys", "3")``."""

    def make(*extra_args: str) -> ClassServer:
        server = ClassServer(tmp_path_factory.mktemp("classroom"), extra_args)
        server.start()
        return server

    with stopped_at_end(make) as start:
        yield start


@pytest.fixture(scope="session")
def classroom(classroom_factory):
    """One classroom server (no roster, default limits) for the whole session."""
    return classroom_factory()

"""A running ``redis-lab serve`` for the server tests, beside the session's real redis-server.

``lab_server`` is a :class:`servers.LabServer` (``python -m redis_lab serve --port P`` on a free
loopback port, PING before it is handed out, stopped by its pid at the end) and offers the same
helpers as the redis-server object (``connect``, ``session``, ``command``, ``flush``), so a test
can run one scenario against both. ``lab_server_factory`` starts more of them with other
options (``--maxclients 3``...).
"""

from __future__ import annotations

import pytest
from servers import LabServer, stopped_at_end


@pytest.fixture(scope="session")
def lab_server_factory(tmp_path_factory):
    """Start ``redis-lab serve`` processes: ``lab_server_factory("--maxclients", "3")``."""

    def make(*extra_args: str, host: str | None = None) -> LabServer:
        server = LabServer(tmp_path_factory.mktemp("redis-lab-serve"), extra_args, host)
        server.start()
        return server

    with stopped_at_end(make) as start:
        yield start


@pytest.fixture(scope="session")
def lab_server(lab_server_factory):
    """One ``redis-lab serve`` on a free loopback port for the whole session."""
    return lab_server_factory()

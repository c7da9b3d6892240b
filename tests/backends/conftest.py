"""A private redis-server for the backend tests, clean before each test."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def server(redis_server_factory):
    return redis_server_factory("backends")


@pytest.fixture
def url(server) -> str:
    """``redis://127.0.0.1:PORT/0`` of a server with no data and no other clients."""
    server.flush()
    return f"redis://127.0.0.1:{server.port}/0"

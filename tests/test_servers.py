"""The one launcher (tests/servers.py) starts what it says and fails clearly when it cannot.

The cluster it starts must really be a cluster; what happens without a binary is tested in
tests/test_ci.py.
"""

from __future__ import annotations

import pytest
from servers import free_cluster_port, free_port, running_redis_server

pytestmark = pytest.mark.timeout(60)  # the cluster's creation takes ~2 s; 10 s per node start


def test_free_ports_are_free_and_leave_room_for_the_cluster_bus():
    port = free_port()
    assert 0 < port < 65536
    bus_port = free_cluster_port()
    assert bus_port + 10000 <= 65535


def test_standalone_server_takes_extra_args_and_stops_by_pid():
    with running_redis_server("--maxmemory", "1234567") as server:
        assert server.command("PING") == b"+PONG\r\n"
        assert server.command("CONFIG", "GET", "maxmemory") == (
            b"*2\r\n$9\r\nmaxmemory\r\n$7\r\n1234567\r\n")
        assert server.command("CONFIG", "GET", "save") == b"*2\r\n$4\r\nsave\r\n$0\r\n\r\n"
        proc = server.proc
    assert proc.poll() is not None  # stopped when the block ended


def test_cluster_has_three_masters_holding_every_slot(redis_cluster):
    assert len(redis_cluster.nodes) == 3
    for node in redis_cluster.nodes:
        info = node.command("CLUSTER", "INFO").decode()
        assert "cluster_state:ok" in info
        assert "cluster_slots_assigned:16384" in info
        assert "cluster_known_nodes:3" in info
        assert "cluster_size:3" in info
    # A key lives on exactly one node; the others redirect with -MOVED to its address.
    answers = [node.command("SET", "lesson", "1") for node in redis_cluster.nodes]
    assert answers.count(b"+OK\r\n") == 1, answers
    owner = redis_cluster.nodes[answers.index(b"+OK\r\n")]
    for answer in answers:
        if answer != b"+OK\r\n":
            assert answer.startswith(b"-MOVED ")
            assert answer.rstrip().endswith(f"127.0.0.1:{owner.port}".encode())

"""The one launcher (tests/servers.py) starts what it says and fails clearly when it cannot.

A missing binary must read as one line saying how to get it -- a skip locally, a failure under
CI=true -- never a FileNotFoundError traceback; the cluster it starts must really be a cluster.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_cluster_port, free_port, running_redis_server

TESTS = Path(__file__).resolve().parent

_PROBE = '''
def test_needs_a_server(redis_server):
    assert redis_server.command("PING") == b"+PONG\\r\\n"
'''


def _run_probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run a one-test pytest session that asks for ``redis_server`` under the given env."""
    probe = tmp_path / "test_probe.py"
    probe.write_text(_PROBE)
    # The probe lives outside tests/, so load tests/conftest.py as a plugin for its fixtures.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "-p", "conftest", "--rootdir", str(tmp_path), str(probe)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)]),
             **env},
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize("ci", ["true", ""])
def test_nonexistent_server_binary_is_one_clear_line(tmp_path, ci):
    done = _run_probe(tmp_path, REDIS_SERVER_BIN="/nonexistent", CI=ci)
    out = done.stdout + done.stderr
    assert "FileNotFoundError" not in out and "Traceback" not in out, out
    assert "REDIS_SERVER_BIN=/nonexistent is not an executable file" in out, out
    assert "apt-get install redis-server" in out, out
    if ci:
        assert done.returncode == 1 and "1 error" in out, out
        assert "failure, not a skip" in out, out
    else:
        assert done.returncode == 0 and "1 skipped" in out, out


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

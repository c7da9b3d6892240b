"""The AOF benchmark's parts work and check their replies (figures are not asserted)."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from redis_lab.bench import aof


@pytest.mark.parametrize("policy", aof.POLICIES)
def test_the_engine_rows_run_with_each_policy(policy):
    assert aof.bench_engine(policy, 50) > 0


def test_the_tcp_rows_run_against_redis_lab_serve_with_an_aof():
    folder = tempfile.mkdtemp(prefix="redis-lab-aof-bench-test-")
    server = aof.Process(aof._serve_argv(folder, "no"), folder)
    try:
        assert aof.bench_tcp(server.port, 150, 1) > 0
        assert aof.bench_tcp(server.port, 150, 100) > 0
    finally:
        server.stop()
    try:
        logged = os.path.join(folder, "data", "appendonly.aof")
        assert open(logged, "rb").read().count(b"XADD") == 300
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_table_has_one_column_per_policy():
    rows = [{"target": t, "policy": p, "pipeline": pl, "ops_per_sec": 1000.0 * i}
            for i, (t, pl) in enumerate([("engine", None), ("redis", 100)], 1)
            for p in aof.POLICIES]
    table = aof.markdown({"rows": rows, "redis_server_version": "7.0.15"})
    assert table.splitlines()[2:] == ["| lab engine (in-process) | 1,000 | 1,000 | 1,000 |",
                                      "| redis-server 7.0.15, P=100 | 2,000 | 2,000 | 2,000 |"]

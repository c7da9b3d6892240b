"""Redis's own Tcl tests (streams, consumer groups, pub/sub of 7.0.15) against both servers.

See tcl_suite.py: the suite is extracted at run time from a git mirror of redis/redis (none of
its code is in this repository). Without a mirror or tclsh the test is reported as not run,
with how to get one -- never passed silently. Tests needing what the lab does not implement are
skipped on both servers and listed in tcl_suite.OUT_OF_SCOPE.
"""

from __future__ import annotations

import shutil

import pytest
import tcl_suite


def test_redis_tcl_suite_passes_as_on_redis_server(redis_server_factory, lab_server_factory):
    if shutil.which("tclsh") is None:
        pytest.skip("not run: tclsh 8.6 is needed for Redis's Tcl tests (apt-get install tcl)")
    if tcl_suite.find_mirror() is None:
        pytest.skip(f"not run: {tcl_suite.HOW_TO_GET}")
    redis = redis_server_factory("redis-tcl")
    lab = lab_server_factory()
    results = tcl_suite.run_all({"redis-server": redis.port, "redis-lab serve": lab.port})
    summary = {server: {unit: (r["ok"], r["err"], r["exception"]) for unit, r in units.items()}
               for server, units in results.items()}
    print(summary)
    for unit in tcl_suite.UNITS:
        ok, err, exc = summary["redis-server"][unit]
        assert ok > 0 and not err and not exc, (unit, summary["redis-server"][unit])
        assert summary["redis-lab serve"][unit] == (ok, [], []), \
            (unit, results["redis-lab serve"][unit]["output"][-3000:])

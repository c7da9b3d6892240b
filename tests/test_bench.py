"""The benchmark runs and its workloads check their answers. No test here asserts a time.

``--tiny`` runs every workload on every target at a few hundred entries (a few seconds); the
child processes verify every reply, so a green run means the numbers came from right answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redis_lab.bench import main, workloads
from redis_lab.bench.config import sizes_for
from redis_lab.bench.report import GROWTH, THROUGHPUT, compute_checks, compute_ratios, render
from redis_lab.bench.server import find_redis_server
from redis_lab.bench.targets import BenchError, EngineTarget

ROOT = Path(__file__).resolve().parent.parent


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


needs_clients = pytest.mark.skipif(not (_has("hiredis") and _has("redis") and _has("fakeredis")),
                                   reason="the test extras (redis, hiredis, fakeredis) are needed")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "redis_lab.bench", "--tiny", "--quiet", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc, (json.loads(out.read_text()) if out.exists() else None)


@needs_clients
def test_tiny_run_succeeds_and_prints_the_tables(tiny_run):
    proc, report = tiny_run
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert report is not None
    for heading in ("W1 XADD", "W2 XRANGE", "W3 XREADGROUP+XACK", "W4 XPENDING", "W5 PUBLISH",
                    "W6 XADD+XTRIM", "W7 memory", "engine/fake", "Targets:"):
        assert heading in proc.stdout, heading


@needs_clients
def test_every_target_ran_every_workload(tiny_run):
    _, report = tiny_run
    targets = report["targets"]
    expected = ["engine", "fakeredis"]
    if find_redis_server() is not None:
        expected += ["redis", "redis-pipe"]
    for name in expected:
        info = targets[name]
        assert info["status"] == "ok", (name, info.get("error"), info.get("traceback"))
        for key in THROUGHPUT:
            metric = info["metrics"][key]
            assert metric["median"] > 0, (name, key)
            assert len(metric["samples"]) == report["sizes"]["repeats"], (name, key)
        for key in GROWTH:
            assert info["metrics"][key]["median"] > 0, (name, key)
        if name != "redis-pipe":
            assert info["metrics"]["w7_memory"]["median"] > 0, name


@needs_clients
def test_report_has_ratios_checks_and_machine(tiny_run):
    _, report = tiny_run
    assert report["ratios"]["w1_xadd"]["engine/fakeredis"] > 0
    assert len(report["checks"]) == 25
    assert {c["met"] for c in report["checks"]} <= {True, False, None}
    for field in ("nproc", "python", "cpu", "date"):
        assert report["meta"][field]
    # The shell and the views are someone else's work: a number, or n/a with a reason.
    for key in ("shell_startup", "views_pel", "views_lag"):
        metric = report["targets"]["engine"]["metrics"][key]
        assert metric["median"] is not None or metric["na"], key


# -- the workloads catch wrong answers ---------------------------------------------------------

class _ForgetfulEngine(EngineTarget):
    """An engine whose XACK acknowledges nothing: the group cycle must notice."""

    def run(self, cmds):
        return [0 if cmd[0] == b"XACK" else reply
                for cmd, reply in zip(cmds, super().run(cmds))]


class _LossyEngine(EngineTarget):
    """An engine whose XRANGE loses the last entry of every reply."""

    def run(self, cmds):
        return [reply[:-1] if cmd[0] == b"XRANGE" else reply
                for cmd, reply in zip(cmds, super().run(cmds))]


@pytest.mark.skipif(not _has("hiredis"), reason="hiredis is needed")
@pytest.mark.parametrize("target_class, workload", [
    (_ForgetfulEngine, workloads.w3_group_cycle),
    (_ForgetfulEngine, workloads.growth_xack),
    (_LossyEngine, workloads.w2_xrange),
])
def test_wrong_replies_fail_the_workload(target_class, workload):
    sizes = sizes_for(0.0005, repeats=1)
    ctx = workloads.Context(target_class(), sizes, log=lambda text: None)
    if workload is workloads.growth_xack:
        workloads.w4_xpending(ctx)
    with pytest.raises(BenchError):
        workload(ctx)


@pytest.mark.skipif(not _has("hiredis"), reason="hiredis is needed")
def test_engine_workloads_in_process():
    """Every main workload runs on the engine in this process and records its metrics."""
    sizes = sizes_for(0.0005, repeats=1)
    ctx = workloads.Context(EngineTarget(), sizes, log=lambda text: None)
    for workload in workloads.MAIN_WORKLOADS:
        workload(ctx)
    workloads.w7_memory(ctx)
    assert set(THROUGHPUT) <= set(ctx.metrics)
    assert 0 < ctx.metrics["w7_memory"]["median"]


# -- ratios, checks and the hook -----------------------------------------------------------------

def _fake_results(engine: float, fake: float, pipe: float) -> dict:
    def metrics(rate):
        out = {key: {"label": key, "unit": "ops/s", "median": rate, "samples": [rate]}
               for key in THROUGHPUT}
        out.update({key: {"label": key, "unit": "x", "median": 1.0, "samples": [1.0]}
                    for key in GROWTH})
        return out

    results = {"engine": {"status": "ok", "metrics": metrics(engine)},
               "fakeredis": {"status": "ok", "metrics": metrics(fake)},
               "redis-pipe": {"status": "ok", "metrics": metrics(pipe)}}
    results["engine"]["metrics"]["w7_memory"] = {"label": "mem", "unit": "bytes/entry",
                                                 "median": 150.0, "samples": [150.0]}
    return results


def test_ratios_and_checks():
    results = _fake_results(engine=1000.0, fake=100.0, pipe=2000.0)
    ratios = compute_ratios(results)
    assert ratios["w1_xadd"]["engine/fakeredis"] == pytest.approx(10.0)
    assert ratios["w1_xadd"]["engine/redis-pipe"] == pytest.approx(0.5)
    assert ratios["w1_xadd"]["engine/redis"] is None
    checks = {c["target"]: c for c in compute_checks(results, ratios)}
    assert checks["w1_xadd: engine >= 5x fakeredis"]["met"] is True
    assert checks["w4_xpending_range_large: engine >= 100x fakeredis"]["met"] is False
    assert checks["w1_xadd: engine >= redis-server pipelined"]["met"] is False
    assert checks["growth_xack (engine) <= 1.2"]["met"] is True
    assert checks["W7 memory per entry, 2 small fields (engine) <= 100 bytes"]["met"] is False
    assert checks["Shell start-up to first prompt <= 0.25 s"]["met"] is None
    text = render({"targets": results, "ratios": ratios,
                   "checks": list(checks.values())}, markdown=True)
    assert "| w1_xadd" in text and "10.0x" in text


def test_main_hook_arguments(capsys):
    assert main(["--help"]) == 0
    assert "--quick" in capsys.readouterr().out
    assert main(["--targets", "nope"]) == 2

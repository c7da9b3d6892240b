"""The harness's end-of-scenario fence: an extra frame from either side never goes unseen.

Each test runs a scenario whose last declared step compares equal, with one side owing a frame
that only arrives later. Without the fence the scenario would pass; with it, it must fail.
"""

from __future__ import annotations

import dataclasses

import harness
import pytest


@pytest.fixture
def quiet_stats():
    """These scenarios diverge on purpose: keep them out of the session's divergence count."""
    saved = dataclasses.replace(harness.STATS)
    yield
    for f in dataclasses.fields(saved):
        setattr(harness.STATS, f.name, getattr(saved, f.name))


class LateFrameEngine(harness.EngineSide):
    """The engine, except that after ``owed_after`` calls it emits one extra frame to ``alice``."""

    def __init__(self, engine, owed_after: int):
        super().__init__(engine)
        self.calls = 0
        self.owed_after = owed_after

    def execute(self, client, args):
        out = super().execute(client, args)
        self.calls += 1
        if self.calls > self.owed_after and "alice" in out:
            direct, oob = out["alice"]
            out["alice"] = (direct, b">2\r\n$7\r\nmessage\r\n$5\r\nextra\r\n" + oob)
            self.owed_after = 10**9
        return out


def test_an_engine_frame_after_the_last_step_is_caught(redis_server, engine_factory, quiet_stats):
    runner = harness.Conformance(redis_server, lambda: LateFrameEngine(engine_factory(), 2))
    scenario = [("alice", "SET", "k", "v"), ("bob", "GET", "k")]
    with pytest.raises(AssertionError) as failure:
        runner.run(scenario, name="late-engine-frame")
    report = str(failure.value)
    assert ">>   2  alice> PING   [fence: end of scenario]" in report, report
    assert "extra" in report


def test_a_server_frame_after_the_last_step_is_caught(redis_server, engine_factory, quiet_stats):
    # The engine's clock never moves, so its reader stays blocked; the server's times out
    # after 100 ms and sends a nil that no declared step waits for.
    runner = harness.Conformance(redis_server, lambda: harness.EngineSide(engine_factory()))
    scenario = [("reader", "XREAD", "BLOCK", "100", "STREAMS", "s", "$")]
    with pytest.raises(AssertionError) as failure:
        runner.run(scenario, name="late-server-timeout")
    report = str(failure.value)
    assert ">>   1  reader> PING   [fence: end of scenario]" in report, report
    assert "redis-server bytes:  b'*-1\\r\\n" in report, report


def test_a_clean_scenario_passes_its_fences(redis_server, engine_factory):
    runner = harness.Conformance(redis_server, lambda: harness.EngineSide(engine_factory()))
    before = harness.STATS.fences
    runner.run([("alice", "SUBSCRIBE", "news"), ("bob", "PUBLISH", "news", "hi"),
                ("carol", "XREAD", "BLOCK", "0", "STREAMS", "s", "$")], name="clean")
    assert harness.STATS.fences == before + 3  # alice (subscribed), bob, carol (blocked)

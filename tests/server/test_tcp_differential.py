"""The conformance scenarios over TCP: redis-server and ``redis-lab serve``, byte for byte.

The scenarios of tests/conformance (transactions, pub/sub, blocking reads, consumer groups)
are replayed on a socket to the session's redis-server and on a socket to a running
``redis-lab serve``; every client's bytes (replies, pushes, late replies of blocked reads) must
be equal. How many frames to wait for on each socket comes from a shadow in-process engine fed
the same steps, so no step waits for a quiet period; a frame the shadow did not predict still
shows up in the comparison (drain, then the harness's closing PING fence).

Scenarios naming client ids (``ClientId``) are left to the in-process suite: the ids of the
shadow engine and of the server differ, and substituting one for the other is guesswork.
"""

from __future__ import annotations

import os
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "conformance"))

import harness  # noqa: E402
import test_pubsub  # noqa: E402
import test_stream_blocking  # noqa: E402
import test_stream_groups  # noqa: E402
import test_transactions  # noqa: E402


class LabSide:
    """The model side of the harness: sockets to ``redis-lab serve``, frame counts from a shadow
    engine."""

    label = "redis-lab serve"
    exact_counts = True

    def __init__(self, lab, shadow_engine):
        self.lab = lab
        self.shadow = harness.EngineSide(shadow_engine)
        self.wire = harness.Wire(lab)

    def open(self, name: str) -> None:
        self.shadow.open(name)
        self.wire.open(name)

    def forget(self, name: str) -> None:
        self.shadow.forget(name)
        self.wire.forget(name)

    def _collect(self, predicted: harness.Output) -> harness.Output:
        counts = {name: len(harness.split_frames(direct + oob)[0])
                  for name, (direct, oob) in predicted.items()}
        got = self.wire.collect_counted(counts)
        return {name: (raw, b"") for name, raw in got.items()}

    def execute(self, client: str, args: list[bytes]) -> harness.Output:
        predicted = self.shadow.execute(client, args)
        self.wire.send(client, args)
        return self._collect(predicted)

    def advance(self, ms: int) -> harness.Output:
        predicted = self.shadow.advance(ms)
        time.sleep(ms / 1000)
        return self._collect(predicted)

    def sleep(self, ms: int) -> harness.Output:
        predicted = self.shadow.sleep(ms)
        time.sleep(ms / 1000)
        return self._collect(predicted)

    def close(self) -> None:
        self.wire.close()
        self.shadow.close()


def _uses_client_ids(steps) -> bool:
    return any(isinstance(arg, harness.ClientId) for step in steps
               if isinstance(step, harness.Command) for arg in step.args)


MODULES = (test_transactions, test_pubsub, test_stream_blocking, test_stream_groups)
#: Scenarios that mostly wait out wall-clock timeouts (seconds each): run in-process only.
SLOW = {"stream_blocking:xread-blocked-default-count-is-1000",
        "stream_groups:consumer-seen-time-refresh-rules-7-0", "stream_blocking:client-unblock",
        "stream_groups:delivery-counts-times-and-idle-filter"}
SCENARIOS = {key: steps for module in MODULES for name, steps in sorted(module.SCENARIOS.items())
             if not _uses_client_ids(steps)
             and (key := f"{module.__name__.removeprefix('test_')}:{name}") not in SLOW}


@pytest.fixture(scope="module")
def over_tcp(redis_server, lab_server, engine_factory_module):
    def factory():
        lab_server.flush()
        return LabSide(lab_server, engine_factory_module())

    runner = harness.Conformance(redis_server, factory)
    yield runner
    runner._close()


@pytest.fixture(scope="module")
def engine_factory_module():
    from redis_lab import Engine, VirtualClock

    return lambda: Engine(clock=VirtualClock(1_700_000_000_000))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_over_tcp(over_tcp, name):
    over_tcp.run(SCENARIOS[name], name=name)


def test_enough_scenarios_run_over_tcp():
    """The selection above must not quietly shrink to nothing."""
    assert len(SCENARIOS) >= 60, sorted(SCENARIOS)

"""Workload sizes. Full sizes are the issue's; ``--quick`` divides them by 10, ``--tiny`` (tests)
by a few hundred. Sizes never drop below a floor at which every workload still means something."""

from __future__ import annotations

from dataclasses import asdict, dataclass

TARGETS = ("engine", "engine-redis-py", "fakeredis", "redis", "redis-pipe")
TARGET_TITLES = {
    "engine": "bare engine (in-process, client.call + a hiredis.Reader, no redis-py)",
    "engine-redis-py": "engine through redis-py (in-process EngineConnection)",
    "fakeredis": "fakeredis through redis-py (in-process)",
    "redis": "redis-server through redis-py, 1 cmd/round trip",
    "redis-pipe": "redis-server through redis-py, pipelines of 100",
}
#: redis-benchmark runs against the same redis-server: (label key, clients, pipeline depth).
REDIS_BENCHMARK_RUNS = (("c1_p100", 1, 100), ("c50_p16", 50, 16))
PIPELINE = 100
QUICK_SCALE = 0.1
TINY_SCALE = 0.002


@dataclass
class Sizes:
    scale: float
    repeats: int
    ping_ops: int
    xadd_entries: int          # W1
    xrange_large: int          # W2: entries of the big stream (1M)
    xrange_small: int          # W2: entries of the small stream (10k)
    xrange_ops: int            # W2: XRANGE calls per size per repeat
    group_entries: int         # W3
    consumers: int             # W3 / W4
    pending_large: int         # W4 (50k)
    pending_small: int         # W4 (1k)
    xpending_ops: int          # W4: calls per form per size per repeat
    subscribers: int           # W5
    publish_ops: int           # W5
    trim_maxlen: int           # W6
    trim_ops: int              # W6
    memory_entries: int        # W7 (1M)
    xdel_ops: int              # growth: XDEL per size per repeat
    xack_ops: int              # growth: XACK per size per round
    xack_rounds: int           # growth: rounds (PEL rebuilt in between) per repeat
    view_pending: int          # views: pending entries (10k)
    view_consumers: int        # views: consumers (100)
    time_cap: float            # seconds: a read-only measurement stops after this (slow targets)

    def to_dict(self) -> dict:
        return asdict(self)


def _n(base: int, scale: float, floor: int) -> int:
    return max(int(base * scale), floor)


def sizes_for(scale: float, repeats: int = 5) -> Sizes:
    pending_small = _n(1_000, scale, 20)
    xrange_small = _n(10_000, scale, 100)
    return Sizes(
        scale=scale,
        repeats=repeats,
        ping_ops=_n(50_000, scale, 200),
        xadd_entries=_n(100_000, scale, 200),
        xrange_large=_n(1_000_000, scale, 2_000),
        xrange_small=xrange_small,
        xrange_ops=_n(20_000, scale, 100),
        group_entries=_n(100_000, scale, 400),
        consumers=4,
        pending_large=_n(50_000, scale, 1_000),
        pending_small=pending_small,
        xpending_ops=_n(5_000, scale, 40),
        subscribers=100,
        publish_ops=_n(2_000, scale, 100),
        trim_maxlen=1_000,
        trim_ops=_n(20_000, scale, 200),
        memory_entries=_n(1_000_000, scale, 2_000),
        xdel_ops=min(_n(2_000, scale, 20), xrange_small // 5),
        xack_ops=pending_small // 2,
        xack_rounds=2,
        view_pending=_n(10_000, scale, 200),
        view_consumers=100,
        time_cap=max(2.0 * min(scale * 10, 1.0), 0.2),
    )

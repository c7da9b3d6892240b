"""The workloads, written once against the Target interface and run in a child process.

Every workload checks its replies (outside the timed region) and raises BenchError when one is
wrong, so a fast number can never come from a wrong answer. Timed regions contain only
``target.run`` (plus, for PUBLISH, the subscribers reading their messages).

Read-only workloads stop after ``sizes.time_cap`` seconds of timed work per repeat, so a slow
target (fakeredis on a 50k-entry PEL) cannot stretch the run; ops/s is ops done / time taken.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from collections.abc import Callable

from .config import PIPELINE, Sizes
from .targets import BenchError, Target

ID = b"%d-0"


def fmt_size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


class Context:
    def __init__(self, target: Target, sizes: Sizes, log: Callable[[str], None] | None = None):
        self.target = target
        self.sizes = sizes
        self.metrics: dict[str, dict] = {}
        self._log = log or (lambda text: print(text, file=sys.stderr, flush=True))

    def log(self, text: str) -> None:
        self._log(f"[{self.target.name}] {text}")

    def record(self, key: str, label: str, samples: list[float], unit: str = "ops/s",
               **extra) -> dict:
        metric = {"label": label, "unit": unit, "samples": samples,
                  "median": statistics.median(samples) if samples else None, **extra}
        self.metrics[key] = metric
        if metric["median"] is not None:
            value = metric["median"]
            self.log(f"{label}: {value:,.0f} {unit}" if value >= 100 else
                     f"{label}: {value:.3g} {unit}")
        return metric

    @property
    def chunk(self) -> int:
        return PIPELINE if self.target.pipelined else 20


def measure(ctx: Context, series: dict[str, list], verify: dict[str, Callable],
            cap: float | None = None, chunk: int | None = None,
            timed: Callable | None = None, weight: dict[str, float] | None = None) -> dict:
    """Run the series chunk by chunk, interleaved (one chunk of each in turn), timing each chunk.

    Returns {label: (ops, seconds)}. ``weight`` turns commands into ops (W6: 2 commands = 1 op).
    """
    chunk = chunk or ctx.chunk
    run = timed or ctx.target.run
    gc.collect()  # garbage from the untimed setup is not collected inside a timed chunk
    clock = time.perf_counter
    pos = dict.fromkeys(series, 0)
    ops = dict.fromkeys(series, 0.0)
    secs = dict.fromkeys(series, 0.0)
    total = 0.0
    while True:
        progressed = False
        for label, cmds in series.items():
            i = pos[label]
            if i >= len(cmds):
                continue
            part = cmds[i:i + chunk]
            t0 = clock()
            replies = run(part)
            dt = clock() - t0
            verify[label](part, replies)
            pos[label] = i + len(part)
            ops[label] += len(part) * (weight or {}).get(label, 1.0)
            secs[label] += dt
            total += dt
            progressed = True
        if not progressed or (cap is not None and total >= cap):
            break
    return {label: (ops[label], secs[label]) for label in series}


def _fail(what: str, got) -> None:
    text = repr(got)
    raise BenchError(f"{what}: got {text[:300]}")


def build_stream(target: Target, key: bytes, n: int) -> None:
    target.setup((b"XADD", key, ID % i, b"user", b"%d" % i, b"action", b"click")
                 for i in range(1, n + 1))
    got = target.one(b"XLEN", key)
    if got != n:
        _fail(f"XLEN {key!r} after building {n} entries", got)


def build_pel(target: Target, key: bytes, n: int, consumers: int) -> None:
    """Group g on key (entries 1..n) with every entry pending, spread over the consumers."""
    target.setup([(b"XGROUP", b"DESTROY", key, b"g"), (b"XGROUP", b"CREATE", key, b"g", b"0")])
    per = -(-n // consumers)
    target.setup((b"XREADGROUP", b"GROUP", b"g", b"c%d" % c, b"COUNT", b"%d" % per,
                  b"STREAMS", key, b">") for c in range(consumers))
    summary = target.one(b"XPENDING", key, b"g")
    if summary[0] != n:
        _fail(f"XPENDING {key!r} after building a PEL of {n}", summary)


# ---------------------------------------------------------------------------------------------
# W0 .. W6
# ---------------------------------------------------------------------------------------------

def w0_ping(ctx: Context) -> None:
    n = ctx.sizes.ping_ops
    cmds = [(b"PING",)] * n

    def check(part, replies):
        for reply in replies:
            if reply != b"PONG":
                _fail("PING", reply)

    samples = []
    for _ in range(ctx.sizes.repeats):
        (ops, secs), = measure(ctx, {"ping": cmds}, {"ping": check}).values()
        samples.append(ops / secs)
    ctx.record("w0_ping", "W0 PING", samples, ops=n)


def w1_xadd(ctx: Context) -> None:
    n = ctx.sizes.xadd_entries
    cmds = [(b"XADD", b"w1", b"*", b"user", b"%d" % i, b"action", b"click") for i in range(n)]

    def check(part, replies):
        for reply in replies:
            if type(reply) is not bytes or b"-" not in reply:
                _fail("XADD *", reply)

    samples = []
    for _ in range(ctx.sizes.repeats):
        ctx.target.setup([(b"DEL", b"w1")])
        (ops, secs), = measure(ctx, {"xadd": cmds}, {"xadd": check}).values()
        got = ctx.target.one(b"XLEN", b"w1")
        if got != n:
            _fail(f"XLEN after {n} XADD", got)
        samples.append(ops / secs)
    ctx.target.setup([(b"DEL", b"w1")])
    ctx.record("w1_xadd", f"W1 XADD ({fmt_size(n)} entries)", samples, ops=n)


def _interleaved(ctx: Context, key: str, label: str, series_for_repeat: Callable,
                 verify: dict, names: dict[str, str], cap: bool = True,
                 between: Callable | None = None, **extra) -> None:
    """Repeat an interleaved measurement; record each series and the large/small ratios."""
    per_series: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(ctx.sizes.repeats):
        series = series_for_repeat()
        result = measure(ctx, series, verify, cap=ctx.sizes.time_cap if cap else None)
        for name in names:
            ops, secs = result[name]
            per_series[name].append(ops / secs)
        if between is not None:
            between()
    for name, title in names.items():
        ctx.record(f"{key}_{name}", f"{label} {title}", per_series[name], **extra)
    return per_series


def _growth(ctx: Context, key: str, label: str, small: list[float], large: list[float]) -> None:
    """Cost at the large size / cost at the small size, per repeat (same noise), then median."""
    ratios = [s / l for s, l in zip(small, large)]
    ctx.record(key, label, ratios, unit="x")


def w2_xrange(ctx: Context) -> None:
    s = ctx.sizes
    build_stream(ctx.target, b"w2:large", s.xrange_large)
    build_stream(ctx.target, b"w2:small", s.xrange_small)
    rng = random.Random(2)

    def cmds_for(key, n):
        starts = [rng.randint(1, n - 10) for _ in range(s.xrange_ops)]
        return [(b"XRANGE", key, b"%d" % ms, b"+", b"COUNT", b"10") for ms in starts]

    def check(part, replies):
        for cmd, reply in zip(part, replies):
            if len(reply) != 10 or reply[0][0] != cmd[2] + b"-0" or len(reply[0][1]) != 4:
                _fail(f"XRANGE {cmd[1]!r} {cmd[2]!r} + COUNT 10", reply)

    names = {"large": f"(COUNT 10 at {fmt_size(s.xrange_large)} entries)",
             "small": f"(COUNT 10 at {fmt_size(s.xrange_small)} entries)"}
    per = _interleaved(ctx, "w2_xrange", "W2 XRANGE",
                       lambda: {"large": cmds_for(b"w2:large", s.xrange_large),
                                "small": cmds_for(b"w2:small", s.xrange_small)},
                       {"large": check, "small": check}, names)
    _growth(ctx, "growth_xrange", f"XRANGE seek: time per op at {fmt_size(s.xrange_large)} / "
            f"at {fmt_size(s.xrange_small)}", per["small"], per["large"])


def growth_xdel(ctx: Context) -> None:
    """XDEL of random live IDs at 10k vs 1M entries (the W2 streams)."""
    s = ctx.sizes
    rng = random.Random(7)
    large_ids = list(range(1, s.xrange_large + 1))
    rng.shuffle(large_ids)

    def series():
        ctx.target.setup([(b"DEL", b"w2:small")])
        build_stream(ctx.target, b"w2:small", s.xrange_small)
        small = rng.sample(range(1, s.xrange_small + 1), s.xdel_ops)
        large = [large_ids.pop() for _ in range(s.xdel_ops)]
        return {"large": [(b"XDEL", b"w2:large", ID % i) for i in large],
                "small": [(b"XDEL", b"w2:small", ID % i) for i in small]}

    def check(part, replies):
        for cmd, reply in zip(part, replies):
            if reply != 1:
                _fail(f"XDEL {cmd[1]!r} {cmd[2]!r}", reply)

    names = {"large": f"(at {fmt_size(s.xrange_large)} entries)",
             "small": f"(at {fmt_size(s.xrange_small)} entries)"}
    done = 0

    def check_large(part, replies):
        nonlocal done
        check(part, replies)
        done += len(part)

    # XDEL changes the streams: the small one is rebuilt each repeat, the large one loses a few
    # random entries per repeat (never the same twice).
    per = _interleaved(ctx, "g_xdel", "XDEL", series, {"large": check_large, "small": check},
                       names)
    got = ctx.target.one(b"XLEN", b"w2:large")
    if got != s.xrange_large - done:
        _fail(f"XLEN after {done} XDEL", got)
    _growth(ctx, "growth_xdel", f"XDEL: time per op at {fmt_size(s.xrange_large)} / "
            f"at {fmt_size(s.xrange_small)}", per["small"], per["large"])
    ctx.target.setup([(b"DEL", b"w2:large"), (b"DEL", b"w2:small")])


def w3_group_cycle(ctx: Context) -> None:
    s = ctx.sizes
    n = s.group_entries
    build_stream(ctx.target, b"w3", n)
    cmds = []
    for k in range(n // 10):
        ids = [ID % (10 * k + j + 1) for j in range(10)]
        cmds.append((b"XREADGROUP", b"GROUP", b"g", b"c%d" % (k % s.consumers), b"COUNT", b"10",
                     b"STREAMS", b"w3", b">"))
        cmds.append((b"XACK", b"w3", b"g", *ids))

    def check(part, replies):
        for i in range(0, len(part), 2):
            reply = replies[i]
            if isinstance(reply, dict):  # fakeredis answers XREADGROUP with a dict
                reply = [[key, value] for key, value in reply.items()]
            expected = list(part[i + 1][3:])
            try:
                got = [entry[0] for entry in reply[0][1]]
            except (TypeError, IndexError):
                got = reply
            if got != expected:
                _fail(f"XREADGROUP {part[i][3]!r} (expected {expected[0]!r}..)", reply)
            if replies[i + 1] != 10:
                _fail("XACK of 10 delivered IDs", replies[i + 1])

    samples = []
    for _ in range(s.repeats):
        ctx.target.setup([(b"XGROUP", b"DESTROY", b"w3", b"g"),
                          (b"XGROUP", b"CREATE", b"w3", b"g", b"0")])
        (ops, secs), = measure(ctx, {"cycle": cmds}, {"cycle": check}).values()
        summary = ctx.target.one(b"XPENDING", b"w3", b"g")
        if summary[0] != 0:
            _fail("XPENDING after acknowledging everything", summary)
        rest = ctx.target.one(b"XREADGROUP", b"GROUP", b"g", b"c0", b"STREAMS", b"w3", b">")
        if rest not in (None, {}):  # fakeredis: {}
            _fail("XREADGROUP after the last entry", rest)
        samples.append(ops / secs)
    ctx.target.setup([(b"DEL", b"w3")])
    ctx.record("w3_group_cycle", f"W3 XREADGROUP+XACK ({fmt_size(n)} entries, "
               f"{s.consumers} consumers; commands/s)", samples, ops=len(cmds))


def w4_xpending(ctx: Context) -> None:
    s = ctx.sizes
    sizes = {"large": s.pending_large, "small": s.pending_small}
    for name, n in sizes.items():
        build_stream(ctx.target, b"w4:" + name.encode(), n)
        build_pel(ctx.target, b"w4:" + name.encode(), n, s.consumers)

    def check_summary(n):
        def check(part, replies):
            for reply in replies:
                if (reply[0] != n or reply[1] != b"1-0" or reply[2] != ID % n
                        or len(reply[3]) != s.consumers):
                    _fail(f"XPENDING summary of {n}", reply)
        return check

    def check_range(part, replies):
        for reply in replies:
            if len(reply) != 10 or reply[0][0] != b"1-0" or reply[0][3] != 1:
                _fail("XPENDING - + 10", reply)

    def series():
        out = {}
        for name in sizes:
            key = b"w4:" + name.encode()
            out[f"summary_{name}"] = [(b"XPENDING", key, b"g")] * s.xpending_ops
            out[f"range_{name}"] = [(b"XPENDING", key, b"g", b"-", b"+", b"10")] * s.xpending_ops
        return out

    verify = {"summary_large": check_summary(s.pending_large),
              "summary_small": check_summary(s.pending_small),
              "range_large": check_range, "range_small": check_range}
    large, small = fmt_size(s.pending_large), fmt_size(s.pending_small)
    names = {"summary_large": f"summary ({large} pending)",
             "summary_small": f"summary ({small} pending)",
             "range_large": f"- + 10 ({large} pending)",
             "range_small": f"- + 10 ({small} pending)"}
    per = _interleaved(ctx, "w4_xpending", "W4 XPENDING", series, verify, names)
    _growth(ctx, "growth_xpending_summary", f"XPENDING summary: time per op at {large} / "
            f"at {small} pending", per["summary_small"], per["summary_large"])
    _growth(ctx, "growth_xpending_range", f"XPENDING - + 10: time per op at {large} / "
            f"at {small} pending", per["range_small"], per["range_large"])


def growth_xack(ctx: Context) -> None:
    """XACK of random pending IDs with 1k vs 50k pending (the W4 groups, rebuilt each round)."""
    s = ctx.sizes
    rng = random.Random(11)
    sizes = {"large": s.pending_large, "small": s.pending_small}

    def check(part, replies):
        for cmd, reply in zip(part, replies):
            if reply != 1:
                _fail(f"XACK {cmd[1]!r} g {cmd[3]!r}", reply)

    per: dict[str, list[float]] = {"large": [], "small": []}
    for _ in range(s.repeats):
        totals = {name: [0.0, 0.0] for name in sizes}
        for _ in range(s.xack_rounds):
            series = {}
            for name, n in sizes.items():
                key = b"w4:" + name.encode()
                series[name] = [(b"XACK", key, b"g", ID % i)
                                for i in rng.sample(range(1, n + 1), s.xack_ops)]
            result = measure(ctx, series, {"large": check, "small": check},
                             cap=s.time_cap / s.xack_rounds)
            for name, n in sizes.items():
                ops, secs = result[name]
                totals[name][0] += ops
                totals[name][1] += secs
                key = b"w4:" + name.encode()
                summary = ctx.target.one(b"XPENDING", key, b"g")
                if summary[0] != n - ops:
                    _fail(f"XPENDING after {ops:.0f} XACK of {n}", summary)
                build_pel(ctx.target, key, n, s.consumers)
        for name in sizes:
            per[name].append(totals[name][0] / totals[name][1])
    large, small = fmt_size(s.pending_large), fmt_size(s.pending_small)
    ctx.record("g_xack_large", f"XACK ({large} pending)", per["large"])
    ctx.record("g_xack_small", f"XACK ({small} pending)", per["small"])
    _growth(ctx, "growth_xack", f"XACK: time per op at {large} / at {small} pending",
            per["small"], per["large"])
    ctx.target.setup([(b"DEL", b"w4:large"), (b"DEL", b"w4:small")])


def w5_publish(ctx: Context) -> None:
    n = ctx.sizes.subscribers
    _publish(ctx, "channels", b"bench.chan", None)
    _publish(ctx, "patterns", b"bench.pat.0123456789",
             [b"bench.pat.*[%02d]*" % i for i in range(n)])


def _publish(ctx: Context, kind: str, channel: bytes, patterns: list[bytes] | None) -> None:
    """PUBLISH to n subscribers; each timed chunk includes every subscriber reading its messages."""
    s = ctx.sizes
    n = s.subscribers
    subs = ctx.target.subscribers(n, channel, patterns)
    run = ctx.target.run
    cmds = [(b"PUBLISH", channel, b"payload-%d" % i) for i in range(s.publish_ops)]
    delivered = 0

    def timed(part):
        nonlocal delivered
        replies = run(part)
        delivered += subs.drain(len(part))
        return replies

    def check(part, replies):
        for reply in replies:
            if reply != n:
                _fail(f"PUBLISH to {n} {kind}", reply)

    samples = []
    try:
        for _ in range(s.repeats):
            delivered = 0
            (ops, secs), = measure(ctx, {"pub": cmds}, {"pub": check}, cap=s.time_cap,
                                   chunk=PIPELINE, timed=timed).values()
            if delivered != ops * n:
                _fail(f"deliveries for {ops:.0f} PUBLISH to {n} subscribers", delivered)
            samples.append(ops / secs)
    finally:
        subs.close()
    what = "channel subscribers" if patterns is None else "pattern subscriptions"
    ctx.record(f"w5_publish_{kind}", f"W5 PUBLISH ({n} {what}; all deliveries read)",
               samples, deliveries_per_publish=n)


def w6_trim(ctx: Context) -> None:
    s = ctx.sizes
    m = s.trim_maxlen
    n = s.trim_ops
    exact = []
    for i in range(n):
        exact.append((b"XADD", b"w6:exact", b"*", b"user", b"%d" % i, b"action", b"click"))
        exact.append((b"XTRIM", b"w6:exact", b"MAXLEN", b"%d" % m))
    approx = [(b"XADD", b"w6:approx", b"MAXLEN", b"~", b"%d" % m, b"*", b"user", b"%d" % i,
               b"action", b"click") for i in range(n)]

    def check_exact(part, replies):
        for cmd, reply in zip(part, replies):
            if cmd[0] == b"XTRIM":
                if reply != 1:
                    _fail("XTRIM MAXLEN in steady state", reply)
            elif type(reply) is not bytes:
                _fail("XADD *", reply)

    def check_approx(part, replies):
        for reply in replies:
            if type(reply) is not bytes or b"-" not in reply:
                _fail("XADD MAXLEN ~", reply)

    samples = {"exact": [], "approx": []}
    for _ in range(s.repeats):
        for key in (b"w6:exact", b"w6:approx"):
            ctx.target.setup([(b"DEL", key)])
            ctx.target.setup((b"XADD", key, b"*", b"user", b"0", b"action", b"click")
                             for _ in range(m))
        result = measure(ctx, {"exact": exact, "approx": approx},
                         {"exact": check_exact, "approx": check_approx},
                         weight={"exact": 0.5})
        for name, (ops, secs) in result.items():
            samples[name].append(ops / secs)
        got = ctx.target.one(b"XLEN", b"w6:exact")
        if got != m:
            _fail(f"XLEN after XADD+XTRIM MAXLEN {m}", got)
        got = ctx.target.one(b"XLEN", b"w6:approx")
        if not m <= got <= m + 100:
            _fail(f"XLEN after XADD MAXLEN ~ {m}", got)
    ctx.target.setup([(b"DEL", b"w6:exact"), (b"DEL", b"w6:approx")])
    ctx.record("w6_xadd_xtrim", f"W6 XADD+XTRIM MAXLEN {m} (entries/s)", samples["exact"])
    ctx.record("w6_xadd_maxlen_approx", f"W6 XADD MAXLEN ~ {m}", samples["approx"])


MAIN_WORKLOADS = [w0_ping, w1_xadd, w2_xrange, growth_xdel, w3_group_cycle, w4_xpending,
                  growth_xack, w5_publish, w6_trim]


# ---------------------------------------------------------------------------------------------
# W7: memory (its own child process)
# ---------------------------------------------------------------------------------------------

def _memory_cmds(n: int):
    return ((b"XADD", b"w7", b"*", b"user", b"%d" % i, b"action", b"click") for i in range(n))


def w7_memory(ctx: Context) -> None:
    n = ctx.sizes.memory_entries
    target = ctx.target
    if target.name in ("redis", "redis-pipe"):
        target.setup([(b"DEL", b"w7")])
        before = _used_memory(target)
        target.setup(_memory_cmds(n))
        after = _used_memory(target)
        method = "INFO memory used_memory delta"
    else:
        import tracemalloc

        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        target.setup(_memory_cmds(n))
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        method = "tracemalloc delta in the child"
    got = target.one(b"XLEN", b"w7")
    if got != n:
        _fail(f"XLEN after {n} XADD", got)
    per_entry = (after - before) / n
    ctx.record("w7_memory", f"W7 memory per entry ({fmt_size(n)} entries, 2 small fields)",
               [per_entry], unit="bytes/entry", method=method, entries=n,
               total_bytes=after - before)
    target.setup([(b"DEL", b"w7")])


def _used_memory(target: Target) -> int:
    info = target.one(b"INFO", b"memory")
    for line in info.decode().splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":", 1)[1])
    raise BenchError("INFO memory has no used_memory")

"""Turn the children's results into ratios, target checks, a printed table and JSON."""

from __future__ import annotations

from .config import TARGETS

#: Metrics measured in ops/s, in table order.
THROUGHPUT = [
    "w0_ping", "w1_xadd", "w2_xrange_large", "w2_xrange_small", "w3_group_cycle",
    "w4_xpending_summary_large", "w4_xpending_summary_small", "w4_xpending_range_large",
    "w4_xpending_range_small", "w5_publish_channels", "w5_publish_patterns", "w6_xadd_xtrim",
    "w6_xadd_maxlen_approx", "g_xdel_large", "g_xdel_small", "g_xack_large", "g_xack_small",
]
GROWTH = ["growth_xrange", "growth_xpending_summary", "growth_xpending_range", "growth_xack",
          "growth_xdel"]
STREAM_WORKLOADS = ["w1_xadd", "w2_xrange_large", "w2_xrange_small", "w3_group_cycle",
                    "w4_xpending_summary_large", "w4_xpending_summary_small",
                    "w4_xpending_range_large", "w4_xpending_range_small", "w6_xadd_xtrim",
                    "w6_xadd_maxlen_approx"]
RATIO_PAIRS = [("engine", "fakeredis"), ("engine-redis-py", "fakeredis"), ("engine", "redis"),
               ("engine", "redis-pipe")]
#: Column titles: who is measured, and through which client.
SHORT = {"engine": "bare engine", "engine-redis-py": "engine via redis-py",
         "fakeredis": "fakeredis via redis-py", "redis": "redis-py 1/RT",
         "redis-pipe": "redis-py pipe100"}
RATIO_TITLES = {"engine/fakeredis": "bare/fake", "engine-redis-py/fakeredis": "via-py/fake",
                "engine/redis": "bare/1RT", "engine/redis-pipe": "bare/pipe"}
#: The workloads on which the engine through redis-py must be >= 2x fakeredis through redis-py.
SAME_STACK_WORKLOADS = ["w1_xadd", "w2_xrange_large", "w2_xrange_small", "w3_group_cycle"]
#: The reference row the bare engine's W1 XADD is compared with.
REFERENCE_KEY = "rb_xadd_c1_p100"


def median_of(results: dict, target: str, key: str):
    metric = results.get(target, {}).get("metrics", {}).get(key)
    return None if metric is None else metric.get("median")


FALLBACK_LABELS = {
    "w7_memory": "W7 memory per entry (2 small fields)",
    "shell_startup": "Shell start-up to first prompt",
    "views_pel": "PEL view frame (10k pending, 100 consumers)",
    "views_lag": "Lag view frame (10k pending, 100 consumers)",
}


def label_of(results: dict, key: str) -> str:
    for target in TARGETS:
        metric = results.get(target, {}).get("metrics", {}).get(key)
        if metric is not None:
            return metric["label"]
    return FALLBACK_LABELS.get(key, key)


def reference_median(reference: dict | None, key: str = REFERENCE_KEY):
    metric = (reference or {}).get("metrics", {}).get(key)
    return None if metric is None else metric.get("median")


def compute_ratios(results: dict, reference: dict | None = None) -> dict:
    ratios = {}
    for key in THROUGHPUT:
        row = {}
        for a, b in RATIO_PAIRS:
            x, y = median_of(results, a, key), median_of(results, b, key)
            row[f"{a}/{b}"] = x / y if x and y else None
        ratios[key] = row
    x, y = median_of(results, "engine", "w1_xadd"), reference_median(reference)
    ratios["w1_xadd"]["engine/redis-benchmark"] = x / y if x and y else None
    return ratios


def compute_checks(results: dict, ratios: dict, reference: dict | None = None) -> list[dict]:
    checks = []

    def add(name, measured, limit, op, unit=""):
        met = None if measured is None else (measured >= limit if op == ">=" else measured <= limit)
        checks.append({"target": name, "measured": measured, "limit": limit, "op": op,
                       "unit": unit, "met": met})

    for key in STREAM_WORKLOADS:
        add(f"{label_of(results, key)}: bare engine >= 5x fakeredis",
            ratios[key]["engine/fakeredis"], 5.0, ">=", "x")
    for key in ("w4_xpending_summary_large", "w4_xpending_range_large"):
        add(f"{label_of(results, key)}: bare engine >= 100x fakeredis",
            ratios[key]["engine/fakeredis"], 100.0, ">=", "x")
    for key in ("w1_xadd", "w2_xrange_large", "w2_xrange_small", "w3_group_cycle"):
        add(f"{label_of(results, key)}: bare engine >= redis-py pipelined to redis-server",
            ratios[key]["engine/redis-pipe"], 1.0, ">=", "x")
    for key in SAME_STACK_WORKLOADS:
        add(f"{label_of(results, key)}: engine via redis-py >= 2x fakeredis via redis-py",
            ratios[key]["engine-redis-py/fakeredis"], 2.0, ">=", "x")
    for key in ("w6_xadd_xtrim", "w6_xadd_maxlen_approx"):
        add(f"{label_of(results, key)}: engine via redis-py >= 5x fakeredis via redis-py",
            ratios[key]["engine-redis-py/fakeredis"], 5.0, ">=", "x")
    add(f"{label_of(results, 'w1_xadd')}: bare engine >= 0.25x redis-benchmark -c 1 -P 100 XADD",
        ratios["w1_xadd"]["engine/redis-benchmark"], 0.25, ">=", "x")
    for key in GROWTH:
        add(f"{label_of(results, key)} (engine) <= 1.2", median_of(results, "engine", key),
            1.2, "<=", "x")
    add("W7 memory per entry, 2 small fields (engine) <= 100 bytes",
        median_of(results, "engine", "w7_memory"), 100.0, "<=", "bytes")
    _hot_path_checks(results, ratios, add)
    add("Shell start-up to first prompt <= 0.25 s", median_of(results, "engine", "shell_startup"),
        0.25, "<=", "s")
    for key in ("views_pel", "views_lag"):
        add(f"{label_of(results, key)} <= 30 ms per frame", median_of(results, "engine", key),
            30.0, "<=", "ms")
    return checks


#: Issue 18's stricter targets for the hot path: (metric, what it must be, ratio key or None
#: for the engine's own median, limit, op).
HOT_PATH_TARGETS = [
    ("w3_group_cycle", "bare engine >= 6x fakeredis", "engine/fakeredis", 6.0, ">="),
    ("w3_group_cycle", "bare engine >= 1.5x redis-py pipelined to redis-server",
     "engine/redis-pipe", 1.5, ">="),
    ("w6_xadd_maxlen_approx", "bare engine >= 6x fakeredis", "engine/fakeredis", 6.0, ">="),
    ("w6_xadd_xtrim", "bare engine >= 6x fakeredis", "engine/fakeredis", 6.0, ">="),
    ("w4_xpending_range_large", "bare engine >= redis-py pipelined to redis-server",
     "engine/redis-pipe", 1.0, ">="),
    ("growth_xack", "(engine) <= 1.1", None, 1.1, "<="),
    ("growth_xdel", "(engine) <= 1.1", None, 1.1, "<="),
    ("growth_xrange", "(engine) <= 1.1", None, 1.1, "<="),
]


def _hot_path_checks(results: dict, ratios: dict, add) -> None:
    """The hot-path targets (issue 18), reported beside the first ones they tighten."""
    for key, rule, ratio, limit, op in HOT_PATH_TARGETS:
        measured = median_of(results, "engine", key) if ratio is None else ratios[key][ratio]
        add(f"hot path: {label_of(results, key)} {rule}", measured, limit, op, "x")
    add("hot path: W7 memory per entry, 2 small fields (engine) <= 85 bytes",
        median_of(results, "engine", "w7_memory"), 85.0, "<=", "bytes")


# -- formatting ---------------------------------------------------------------------------------

def fmt_rate(value) -> str:
    if value is None:
        return "n/a"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e3:
        return f"{value / 1e3:.1f}k"
    return f"{value:.0f}"


def fmt_ratio(value) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}x"
    if value >= 10:
        return f"{value:.1f}x"
    return f"{value:.2f}x"


def fmt_value(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ops/s":
        return fmt_rate(value)
    if unit == "x":
        return fmt_ratio(value)
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms/frame" or unit == "ms":
        return f"{value:.1f} ms"
    if unit in ("bytes/entry", "bytes"):
        return f"{value:.1f} B"
    return f"{value:.4g}"


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    if markdown:
        lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
                 "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":"
                                for i, w in enumerate(widths)) + "|"]
        for row in rows:
            lines.append("| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                           for i, (c, w) in enumerate(zip(row, widths))) + " |")
        return "\n".join(lines)
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                       for i, (h, w) in enumerate(zip(header, widths))),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)


def render(report: dict, markdown: bool = False) -> str:
    results = report["targets"]
    ratios = report["ratios"]
    targets = [t for t in TARGETS if t in results]
    out = []
    header = ["workload (ops/s, median of repeats)", *[SHORT[t] for t in targets],
              *RATIO_TITLES.values()]
    rows = []
    for key in THROUGHPUT:
        if not any(key in results[t].get("metrics", {}) for t in targets):
            continue
        row = [label_of(results, key)]
        row += [fmt_rate(median_of(results, t, key)) for t in targets]
        row += [fmt_ratio(ratios[key].get(pair)) for pair in RATIO_TITLES]
        rows.append(row)
    out.append(_table(header, rows, markdown))

    reference = report.get("reference") or {}
    if reference.get("metrics"):
        engine_w1 = median_of(results, "engine", "w1_xadd")
        rows = [[metric["label"], fmt_rate(metric["median"]),
                 fmt_ratio(engine_w1 / metric["median"] if engine_w1 else None)]
                for metric in reference["metrics"].values()]
        out.append("")
        out.append(_table(["physical reference: redis-server driven by redis-benchmark (C)",
                           "ops/s", "bare engine W1 / this"], rows, markdown))

    header = ["growth: time per op, large / small size", *[SHORT[t] for t in targets]]
    rows = [[label_of(results, key), *[fmt_ratio(median_of(results, t, key)) for t in targets]]
            for key in GROWTH if any(key in results[t].get("metrics", {}) for t in targets)]
    if rows:
        out.append("")
        out.append(_table(header, rows, markdown))

    header = ["memory", *[SHORT[t] for t in targets]]
    rows = []
    if any("w7_memory" in results[t].get("metrics", {}) for t in targets):
        rows.append([label_of(results, "w7_memory"),
                     *[fmt_value(median_of(results, t, "w7_memory"), "bytes")
                       if "w7_memory" in results[t].get("metrics", {}) else "-"
                       for t in targets]])
    for key in ("shell_startup", "views_pel", "views_lag"):
        metric = results.get("engine", {}).get("metrics", {}).get(key)
        if metric is None:
            continue
        value = fmt_value(metric["median"], metric["unit"])
        if metric.get("na"):
            value = "n/a"
        rows.append([metric["label"], value, *["-" for _ in targets[1:]]])
    if rows:
        out.append("")
        out.append(_table(["other", *[SHORT[t] for t in targets]], rows, markdown))

    notes = []
    if reference.get("status") not in (None, "ok"):
        notes.append(f"redis-benchmark: {reference['status']}: {reference.get('error') or ''}")
    for t in targets:
        info = results[t]
        if info.get("status") != "ok":
            notes.append(f"{t}: {info.get('status')}: {info.get('error') or ''}".rstrip(": "))
        notes.extend(info.get("notes", []))
    if notes:
        out.append("")
        out += [f"note: {n}" for n in notes]

    out.append("")
    met = sum(1 for c in report["checks"] if c["met"] is True)
    unknown = sum(1 for c in report["checks"] if c["met"] is None)
    out.append(f"Targets: {met} of {len(report['checks'])} met"
               + (f" ({unknown} not measured)" if unknown else ""))
    if markdown:
        out.append("")
    rows = []
    for c in report["checks"]:
        mark = {True: "met", False: "MISSED", None: "n/a"}[c["met"]]
        measured = "n/a" if c["measured"] is None else (
            fmt_ratio(c["measured"]) if c["unit"] == "x" else fmt_value(c["measured"], c["unit"]))
        rows.append([c["target"], measured, mark])
    out.append(_table(["target", "measured", "status"], rows, markdown))
    return "\n".join(out)

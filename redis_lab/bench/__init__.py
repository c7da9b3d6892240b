"""``redis-lab bench`` / ``./scripts/bench``: the engine beside fakeredis and redis-server.

Runs the same workloads (PING, XADD, XRANGE, consumer-group cycles, XPENDING, PUBLISH fan-out,
trimming, memory, growth checks, shell start-up, view rendering) against five targets, each in a
fresh child process:

- ``engine``           the bare engine in-process: ``client.call``, replies parsed with hiredis;
- ``engine-redis-py``  the engine through redis-py (``inprocess.EngineConnection``);
- ``fakeredis``        fakeredis through redis-py (FakeRedis, decode_responses=False);
- ``redis``            a private redis-server through redis-py, one command per round trip;
- ``redis-pipe``       the same server, redis-py pipelines of 100.

and, as the physical reference, Redis's own C load generator on the same server
(``rbench``: redis-benchmark XADD with ``-c 1 -P 100`` and ``-c 50 -P 16``).

Prints a table of ops/s (medians of 5 repeats), the ratios between targets and which
performance targets are met (the first ones, and beside them the stricter hot-path targets of
issue 18, each row named "hot path: ..."), and writes everything as JSON. Every workload
checks its replies inside the child: the exit status is 1 if any reply was wrong (never
because a target was missed: this is a benchmark, not a timed test).

    main(["--quick", "--json", "out.json"]) -> 0
"""

from __future__ import annotations

import argparse
import json
import sys

from .config import QUICK_SCALE, TARGETS, TINY_SCALE

DEFAULT_JSON = "bench-results.json"


def build_parser(prog: str = "redis-lab bench") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Benchmark the engine against fakeredis and a private redis-server "
                    "(started and stopped on a free loopback port).")
    parser.add_argument("--quick", action="store_true",
                        help="scale every size down 10x (about a minute)")
    parser.add_argument("--json", metavar="FILE", default=None,
                        help=f"write the results as JSON to FILE (default: {DEFAULT_JSON}; "
                             f"'-' for stdout, 'none' to skip)")
    parser.add_argument("--repeats", type=int, default=None, metavar="N",
                        help="repeats per workload; the median is reported (default: 5)")
    parser.add_argument("--targets", default=None, metavar="LIST",
                        help=f"comma-separated subset of: {','.join(TARGETS)}")
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables as Markdown (for docs/PERFORMANCE.md)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--report", metavar="FILE", default=None,
                        help="print the tables of a saved JSON result instead of running")
    # Hidden: for tests and for profiling one workload.
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--only", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-extras", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-memory", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``redis-lab bench`` and ``./scripts/bench``; returns the exit status.

    0: every workload ran and verified its replies (targets met or not); 1: a reply was wrong
    or a target failed to run; 2: bad arguments.
    ``aof`` as the first argument runs the AOF table instead (bench/aof.py); ``serve`` the
    TCP server table (bench/serve.py: redis-benchmark against redis-lab serve, fakeredis, Redis);
    ``classroom`` thirty students on one ``serve --classroom`` (bench/classroom.py).
    """
    words = sys.argv[1:] if argv is None else argv
    if words and words[0] == "aof":
        from .aof import main as aof_main

        return aof_main(words[1:])
    if words and words[0] == "serve":
        from .serve import main as serve_main

        return serve_main(words[1:])
    if words and words[0] == "classroom":
        from .classroom import main as classroom_main

        return classroom_main(words[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from .report import render
    from .runner import run_all

    if args.report:
        with open(args.report, encoding="utf-8") as fh:
            saved = json.load(fh)
        print(_headline(saved))
        print(render(saved, markdown=args.markdown))
        return 0
    if args.scale is not None:
        scale = args.scale
    elif args.tiny:
        scale = TINY_SCALE
    elif args.quick:
        scale = QUICK_SCALE
    else:
        scale = 1.0
    repeats = args.repeats or (2 if args.tiny else 5)
    targets = None
    if args.targets:
        targets = [t.strip() for t in args.targets.split(",") if t.strip()]
        unknown = [t for t in targets if t not in TARGETS]
        if unknown:
            parser.print_usage(sys.stderr)
            print(f"unknown target(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
    only = args.only.split(",") if args.only else None
    _terminate_cleanly()
    report = run_all(scale, repeats, targets, only=only, quiet=args.quiet,
                     extras=not args.no_extras, memory=not args.no_memory)
    print(_headline(report))
    print(render(report, markdown=args.markdown))
    destination = args.json if args.json is not None else DEFAULT_JSON
    if destination == "-":
        json.dump(report, sys.stdout, indent=1)
        print()
    elif destination.lower() != "none":
        with open(destination, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1)
        print(f"results written to {destination}")
    entries = {**report["targets"], "redis-benchmark": report.get("reference") or {}}
    failed = [t for t, info in entries.items() if info.get("status") == "failed"]
    for t in failed:
        print(f"FAILED {t}: {entries[t].get('error')}", file=sys.stderr)
    return 1 if failed else 0


def _headline(report: dict) -> str:
    meta, sizes = report["meta"], report["sizes"]
    return (f"redis-lab bench: scale {sizes['scale']:g}, {sizes['repeats']} repeats, "
            f"{meta['nproc']} CPUs ({meta['cpu']}), Python {meta['python']}, {meta['date']}, "
            f"{meta['seconds']:.0f} s")


def _terminate_cleanly() -> None:
    """SIGTERM unwinds like Ctrl-C, so the child and the redis-server are stopped too."""
    import signal
    import threading

    def handler(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


__all__ = ["build_parser", "main"]

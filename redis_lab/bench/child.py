"""One target's run, in a fresh process: ``python -m redis_lab.bench.child --target T ...``.

Writes {"target", "part", "versions", "metrics", "error"} as JSON to --out. Exit status 0 when
every workload ran and verified its replies, 1 otherwise (the error says which reply was wrong).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import traceback

from .config import sizes_for


def run_child(target_name: str, part: str, scale: float, repeats: int, port: int | None,
              only: list[str] | None = None, log=None) -> dict:
    from . import extras, workloads
    from .targets import make_target

    sizes = sizes_for(scale, repeats)
    result = {"target": target_name, "part": part, "versions": {}, "metrics": {}, "error": None,
              "notes": []}
    started = time.perf_counter()
    target = None
    try:
        if part == "extras":
            ctx = extras.ExtrasContext(sizes, log)
            for fn in extras.EXTRAS:
                if only and fn.__name__ not in only:
                    continue
                fn(ctx)
            result["metrics"] = ctx.metrics
            result["notes"] = ctx.notes
        else:
            target = make_target(target_name, port)
            result["versions"] = target.versions()
            ctx = workloads.Context(target, sizes, log)
            todo = workloads.MAIN_WORKLOADS if part == "main" else [workloads.w7_memory]
            try:
                for fn in todo:
                    if only and fn.__name__ not in only:
                        continue
                    fn(ctx)
            finally:
                result["metrics"] = ctx.metrics
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the run
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()
    finally:
        if target is not None:
            with contextlib.suppress(Exception):
                target.close()
    result["seconds"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m redis_lab.bench.child")
    parser.add_argument("--target", required=True)
    parser.add_argument("--part", choices=("main", "memory", "extras"), default="main")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--only", default=None, help="comma-separated workload function names")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else None
    result = run_child(args.target, args.part, args.scale, args.repeats, args.port, only)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    if result["error"]:
        print(f"[{args.target}] FAILED: {result['error']}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every target in its own fresh child process, one after the other, and collect results."""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from .config import TARGETS, sizes_for
from .rbench import find_redis_benchmark, run_redis_benchmark
from .rbench import version as rbench_version
from .report import compute_checks, compute_ratios
from .server import RedisServer, find_redis_server
from .targets import BenchError

ROOT = Path(__file__).resolve().parents[2]

#: Python modules each target needs, and the pip package that brings each.
NEEDS = {"engine": [("hiredis", "hiredis")],
         "engine-redis-py": [("redis", "redis"), ("hiredis", "hiredis")],
         "fakeredis": [("fakeredis", "fakeredis"), ("redis", "redis")],
         "redis": [("redis", "redis"), ("hiredis", "hiredis")],
         "redis-pipe": [("redis", "redis"), ("hiredis", "hiredis")]}


def machine_info() -> dict:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5,
                                check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    date = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return {"commit": commit or None, "date": date,
            "nproc": os.cpu_count(), "python": platform.python_version(),
            "python_executable": sys.executable, "cpu": cpu, "platform": platform.platform()}


def _loadavg() -> list[float] | None:
    """1/5/15-minute load averages: other work on the machine makes every number noisier."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _missing(target: str) -> list[str]:
    return [pkg for module, pkg in NEEDS[target] if importlib.util.find_spec(module) is None]


def _spawn(target: str, part: str, scale: float, repeats: int, port: int | None,
           only: list[str] | None, quiet: bool) -> dict:
    """Run one child; stream its progress lines; return its JSON result."""
    fd, out = tempfile.mkstemp(prefix=f"bench-{target}-{part}-", suffix=".json")
    os.close(fd)
    argv = [sys.executable, "-m", "redis_lab.bench.child", "--target", target, "--part", part,
            "--scale", repr(scale), "--repeats", str(repeats), "--out", out]
    if port:
        argv += ["--port", str(port)]
    if only:
        argv += ["--only", ",".join(only)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    tail: deque[str] = deque(maxlen=40)
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, env=env, cwd=str(ROOT))
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                tail.append(line)
                if not quiet:
                    sys.stderr.write(line)
                    sys.stderr.flush()
            code = proc.wait()
        except BaseException:
            proc.kill()  # interrupted: leave no child behind (run_all stops the server)
            proc.wait()
            raise
        try:
            with open(out, encoding="utf-8") as fh:
                result = json.load(fh)
        except (OSError, ValueError):
            result = {"target": target, "part": part, "metrics": {}, "versions": {},
                      "error": f"child exited {code} without results: {''.join(tail)[-2000:]}"}
        if code != 0 and not result.get("error"):
            result["error"] = f"child exited {code}: {''.join(tail)[-2000:]}"
        return result
    finally:
        try:
            os.unlink(out)
        except OSError:
            pass


def run_all(scale: float, repeats: int, targets: list[str] | None = None,
            only: list[str] | None = None, quiet: bool = False,
            extras: bool = True, memory: bool = True) -> dict:
    """Run the benchmark; return the report dict (see report.render)."""
    sizes = sizes_for(scale, repeats)
    load_before = _loadavg()
    chosen = [t for t in TARGETS if targets is None or t in targets]
    results: dict[str, dict] = {t: {"status": "ok", "metrics": {}, "versions": {}, "notes": [],
                                    "seconds": 0.0} for t in chosen}
    started = time.perf_counter()
    for t in chosen:
        missing = _missing(t)
        if missing:
            results[t]["status"] = "skipped"
            results[t]["error"] = f"not installed: pip install {' '.join(missing)}"
    server = None
    wants_server = [t for t in chosen if t.startswith("redis") and results[t]["status"] == "ok"]
    if wants_server:
        binary = find_redis_server()
        if binary is None:
            for t in wants_server:
                results[t]["status"] = "skipped"
                results[t]["error"] = "no redis-server binary (apt-get install redis-server)"
        else:
            server = RedisServer(binary)
            try:
                server.start()
            except RuntimeError as exc:
                server = None
                for t in wants_server:
                    results[t]["status"] = "skipped"
                    results[t]["error"] = str(exc)
    jobs = []
    for t in chosen:
        jobs.append((t, "main"))
        if memory and t not in ("redis-pipe", "engine-redis-py"):  # same memory as their twin
            jobs.append((t, "memory"))
        if extras and t == "engine":
            jobs.append((t, "extras"))
    try:
        for t, part in jobs:
            if results[t]["status"] != "ok":
                continue
            if only and part == "memory" and "w7_memory" not in only:
                continue
            if only and part == "main" and not any(not o.startswith(("w7", "shell", "views"))
                                                   for o in only):
                continue
            if only and part == "extras" and not any(o in ("shell_startup", "views_render")
                                                     for o in only):
                continue
            result = _spawn(t, part, scale, repeats, server.port if server else None, only,
                            quiet)
            entry = results[t]
            entry["metrics"].update(result.get("metrics", {}))
            entry["versions"].update(result.get("versions", {}))
            entry["notes"] += result.get("notes", [])
            entry["seconds"] += result.get("seconds", 0.0)
            if result.get("error"):
                entry["status"] = "failed"
                entry["error"] = f"{part}: {result['error']}"
                entry["traceback"] = result.get("traceback")
        reference = _reference(server, sizes, quiet) if server is not None else None
    finally:
        if server is not None:
            server.stop()
    ratios = compute_ratios(results, reference)
    report = {
        "meta": {**machine_info(), "seconds": time.perf_counter() - started,
                 "loadavg_before": load_before, "loadavg_after": _loadavg(),
                 "redis_server_version": server.version if server else None},
        "sizes": sizes.to_dict(),
        "targets": results,
        "reference": reference,
        "ratios": ratios,
    }
    report["checks"] = compute_checks(results, ratios, reference)
    return report


def _reference(server: RedisServer, sizes, quiet: bool) -> dict:
    """redis-benchmark's XADD rows on the same server (after the targets, which FLUSHALL it)."""
    binary = find_redis_benchmark(server.binary)
    if binary is None:
        return {"status": "skipped", "metrics": {},
                "error": "no redis-benchmark binary (apt-get install redis-tools)"}
    log = None if quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    try:
        metrics = run_redis_benchmark(binary, server.port, sizes, log)
    except BenchError as exc:
        return {"status": "failed", "metrics": {}, "error": str(exc)}
    return {"status": "ok", "metrics": metrics, "version": rbench_version(binary)}

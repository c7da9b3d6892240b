"""``./scripts/bench classroom``: thirty students on one ``redis-lab serve --classroom``.

Each student is a separate process (so the load generator's own GIL is not what is measured)
with its own redis-py connection, logged in as ``studentN``: it creates a group and then runs
N rounds of XADD + XREADGROUP COUNT 1 + XACK, timing every command. Meanwhile the teacher's
dashboard (``redis-lab dashboard``) refreshes every half second on the same server, as in a
real lesson. Reported: every student's commands answered and checked (each round reads and
acknowledges exactly the entry it added), latency percentiles over all commands, and each
student's throughput against the class mean (no student starved: all within 2x of the mean).

The same workload then runs on a real redis-server (one stream per student, one keyspace) as
the physical reference.

    ./scripts/bench classroom [--students 30] [--rounds 1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

from .server import _free_port, server_version

CLASS_PASSWORD = "bench-class"
TEACHER_PASSWORD = "bench-teacher"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64)[:1] in (b"+", b"-")
    except OSError:
        return False


def start_server(port: int, redis_server: str | None = None) -> subprocess.Popen:
    """``redis-lab serve --classroom`` on ``port`` (or the ``redis_server`` binary, the
    reference), answering once this returns."""
    if redis_server is not None:
        command = [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no"]
    else:
        command = [sys.executable, "-m", "redis_lab", "serve", "--classroom", "--port",
                   str(port), "--class-password", CLASS_PASSWORD, "--teacher-password",
                   TEACHER_PASSWORD, "--max-commands-per-second", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{command[0]} exited at start")
        if _answers(port):
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{command[0]} did not answer within 20 s")


def student(port: int, number: int, rounds: int, barrier, results, classroom: bool) -> None:
    """One student's workload (in its own process); puts (number, latencies, seconds, ok).
    On the reference redis-server students share one keyspace: each gets its own stream."""
    import redis

    if classroom:
        r = redis.Redis(port=port, username=f"student{number}", password=CLASS_PASSWORD,
                        single_connection_client=True)
    else:
        r = redis.Redis(port=port, single_connection_client=True)
    jobs = "jobs" if classroom else f"jobs:{number}"
    r.xgroup_create(jobs, "workers", id="0", mkstream=True)
    latencies: list[float] = []
    ok = True
    barrier.wait()
    clock = time.perf_counter
    start = clock()
    for i in range(rounds):
        t0 = clock()
        added = r.xadd(jobs, {"n": i})
        t1 = clock()
        read = r.xreadgroup("workers", "c", {jobs: ">"}, count=1)
        t2 = clock()
        acked = r.xack(jobs, "workers", added)
        t3 = clock()
        latencies += [t1 - t0, t2 - t1, t3 - t2]
        ok = ok and read[0][1][0][0] == added and acked == 1
    seconds = clock() - start
    ok = ok and r.xlen(jobs) == rounds and r.xpending(jobs, "workers")["pending"] == 0
    results.put((number, latencies, seconds, ok))


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def run(students: int, rounds: int, dashboard: bool = True,
        redis_server: str | None = None) -> dict:
    """Run the workload; return the figures (see the module docstring). With
    ``redis_server`` (a binary), on that server instead, without the dashboard."""
    port = _free_port()
    server = start_server(port, redis_server)
    classroom = redis_server is None
    dashboard = dashboard and classroom
    board = None
    try:
        if dashboard:
            board = subprocess.Popen(
                [sys.executable, "-m", "redis_lab", "dashboard",
                 f"redis://teacher:{TEACHER_PASSWORD}@127.0.0.1:{port}", "--interval", "0.5"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(students)
        results = ctx.Queue()
        procs = [ctx.Process(target=student,
                             args=(port, n, rounds, barrier, results, classroom))
                 for n in range(students)]
        wall = time.perf_counter()
        for proc in procs:
            proc.start()
        got = [results.get(timeout=600) for _ in procs]
        wall = time.perf_counter() - wall
        for proc in procs:
            proc.join()
    finally:
        for proc in (board, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
    latencies = sorted(x for _, lat, _, _ in got for x in lat)
    rates = {n: 3 * rounds / seconds for n, _, seconds, _ in got}
    mean = statistics.fmean(rates.values())
    return {
        "students": students, "rounds": rounds, "dashboard": dashboard,
        "commands": len(latencies), "all_answered": all(ok for *_, ok in got),
        "wall_seconds": wall,
        "total_ops_per_sec": len(latencies) / max(seconds for _, _, seconds, _ in got),
        "latency_ms": {"p50": 1000 * percentile(latencies, 0.50),
                       "p99": 1000 * percentile(latencies, 0.99),
                       "max": 1000 * latencies[-1]},
        "per_student_ops_per_sec": {"mean": mean, "min": min(rates.values()),
                                    "max": max(rates.values())},
        "within_2x_of_mean": all(mean / 2 <= rate <= 2 * mean for rate in rates.values()),
        "server": ("redis-lab serve --classroom (one embedded engine per student)" if classroom
                   else f"{_version(redis_server)} (one stream per student)") + ", loopback",
        "cpus": os.cpu_count(),
    }


def _version(binary: str) -> str:
    found = server_version(binary)
    return f"redis-server {found}" if found else "redis-server"


def render(figures: dict) -> str:
    lat, per = figures["latency_ms"], figures["per_student_ops_per_sec"]
    return "\n".join([
        f"classroom: {figures['students']} students x {figures['rounds']} rounds of "
        f"XADD + XREADGROUP + XACK ({figures['commands']} commands"
        f"{', dashboard refreshing' if figures['dashboard'] else ''}) on "
        f"{figures['server']}, {figures['cpus']} CPUs",
        f"  every command answered and checked: {'yes' if figures['all_answered'] else 'NO'}",
        f"  latency per command: p50 {lat['p50']:.2f} ms, p99 {lat['p99']:.2f} ms, "
        f"max {lat['max']:.2f} ms",
        f"  throughput: {figures['total_ops_per_sec']:,.0f} commands/s in all; per student "
        f"mean {per['mean']:,.0f}, min {per['min']:,.0f}, max {per['max']:,.0f} commands/s",
        f"  no student starved (each within 2x of the mean): "
        f"{'yes' if figures['within_2x_of_mean'] else 'NO'}",
    ])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="redis-lab bench classroom",
                                     description="Thirty students on one classroom server.")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--no-dashboard", action="store_true")
    parser.add_argument("--json", metavar="FILE", default=None)
    parser.add_argument("--redis-server", metavar="BINARY", default=shutil.which("redis-server"),
                        help="the reference run's server (default: redis-server on PATH; "
                             "'none' to skip it)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    runs = [run(args.students, args.rounds, dashboard=not args.no_dashboard)]
    if args.redis_server and args.redis_server != "none":
        runs.append(run(args.students, args.rounds, redis_server=args.redis_server))
    print("\n".join(render(figures) for figures in runs))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(runs, out, indent=1)
    return 0 if all(figures["all_answered"] for figures in runs) else 1

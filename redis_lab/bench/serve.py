"""``./scripts/bench serve``: redis-benchmark against redis-lab serve, fakeredis's TCP server and
redis-server, in one run, with the same explicit commands.

Each server is a process of its own on a free loopback port: ``python -m redis_lab serve``,
fakeredis's ``TcpFakeServer`` (a thread per connection), and a private redis-server. Every
workload runs twice: ``-c 50 -P 16`` (fifty clients, sixteen commands in flight each: the
server's throughput) and ``-c 1`` (one command per round trip: latency, where the network and
not the engine should dominate). After each XADD run the stream's length is checked against the
number of commands sent, so a server that answers without doing the work cannot score.

Targets (issue 15): redis-lab >= 10x fakeredis on XADD and PUBLISH at -c 50 -P 16; >= 0.15x
redis-server on XADD at -c 50 -P 16; >= 0.5x redis-server at -c 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from .rbench import _command, find_redis_benchmark, rate_from_csv
from .server import (RedisServer, _free_port, find_redis_server, stop_process,
                     wait_until_answering)
from .targets import BenchError

WORKLOADS = {
    "XADD": ("XADD", "bench:s", "*", "user", "1", "action", "click"),
    "PUBLISH": ("PUBLISH", "bench:ch", "hello"),
    "XRANGE COUNT 10": ("XRANGE", "bench:r", "-", "+", "COUNT", "10"),
    "PING": ("PING",),
}
MODES = {"-c 50 -P 16": (50, 16), "-c 1": (1, 1)}
#: Commands per run: enough for redis-benchmark's millisecond clock, few enough for fakeredis.
COUNTS = {("redis-server", 50): 400_000, ("redis-lab serve", 50): 160_000,
          ("fakeredis TCP", 50): 16_000, ("redis-server", 1): 20_000,
          ("redis-lab serve", 1): 20_000, ("fakeredis TCP", 1): 8_000}

FAKEREDIS_MAIN = ("import sys; from fakeredis import TcpFakeServer; "
                  "TcpFakeServer(('127.0.0.1', int(sys.argv[1])), server_version=(7, 0))"
                  ".serve_forever()")


class ChildServer:
    """A server started as ``argv + [port]`` on a free port, stopped by its pid."""

    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.argv = argv
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen([*self.argv, str(self.port)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until_answering(self.proc, self.port, 20):
            self.stop()
            raise BenchError(f"{self.name} did not start")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_process(proc)


def run_workload(binary: str, port: int, name: str, clients: int, pipeline: int, n: int) -> float:
    """One redis-benchmark run of one workload; its rate (XADD's work is checked)."""
    args = WORKLOADS[name]
    _command(port, "DEL", "bench:s")
    if name.startswith("XRANGE"):
        for i in range(100):
            _command(port, "XADD", "bench:r", f"{i + 1}-1", "user", "1", "action", "click")
    argv = [binary, "-h", "127.0.0.1", "-p", str(port), "-c", str(clients), "-P", str(pipeline),
            "-n", str(n), "--csv", *args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0:
        raise BenchError(f"redis-benchmark exited {proc.returncode}: {proc.stderr[-300:]}")
    rate = rate_from_csv(proc.stdout)
    if name == "XADD":
        length = _command(port, "XLEN", "bench:s")
        if length != n:
            raise BenchError(f"XLEN after {n} XADDs is {length}: the server skipped work")
    return rate


def measure(quick: bool = False) -> dict:
    """Every workload, mode and server; ``{"rates": {server: {mode: {workload: rps}}}}``."""
    binary = find_redis_benchmark(find_redis_server())
    redis_binary = find_redis_server()
    if binary is None or redis_binary is None:
        raise BenchError("redis-benchmark and redis-server are needed (apt-get install "
                         "redis-server redis-tools)")
    servers = [("redis-lab serve", ChildServer("redis-lab serve", [
        sys.executable, "-m", "redis_lab", "serve", "--port"])),
        ("fakeredis TCP", ChildServer("fakeredis TCP", [sys.executable, "-c", FAKEREDIS_MAIN])),
        ("redis-server", RedisServer(redis_binary))]
    rates: dict = {}
    for label, server in servers:
        server.start()
        try:
            for mode, (clients, pipeline) in MODES.items():
                n = COUNTS[(label, clients)] // (4 if quick else 1)
                n = -(-n // (clients * pipeline)) * clients * pipeline
                for name in WORKLOADS:
                    rate = run_workload(binary, server.port, name, clients, pipeline, n)
                    rates.setdefault(label, {}).setdefault(mode, {})[name] = rate
        finally:
            server.stop()
    return {"rates": rates, "cpus": os.cpu_count()}


def verdicts(rates: dict) -> list[tuple[str, float, float, bool]]:
    """(target, measured ratio, wanted ratio, met) for the issue's four targets."""
    lab, fake, redis = rates["redis-lab serve"], rates["fakeredis TCP"], rates["redis-server"]
    out = []
    for name in ("XADD", "PUBLISH"):
        ratio = lab["-c 50 -P 16"][name] / fake["-c 50 -P 16"][name]
        out.append((f"{name} -c 50 -P 16 vs fakeredis TCP", ratio, 10.0, ratio >= 10))
    ratio = lab["-c 50 -P 16"]["XADD"] / redis["-c 50 -P 16"]["XADD"]
    out.append(("XADD -c 50 -P 16 vs redis-server", ratio, 0.15, ratio >= 0.15))
    for name in WORKLOADS:
        ratio = lab["-c 1"][name] / redis["-c 1"][name]
        out.append((f"{name} -c 1 vs redis-server", ratio, 0.5, ratio >= 0.5))
    return out


def render(report: dict) -> str:
    rates = report["rates"]
    labels = ["redis-lab serve", "fakeredis TCP", "redis-server"]
    lines = ["| workload | mode | " + " | ".join(labels) + " | lab / fakeredis | lab / redis |",
             "|---|---|" + "---:|" * (len(labels) + 2)]
    for mode in MODES:
        for name in WORKLOADS:
            row = [rates[label][mode][name] for label in labels]
            lines.append(f"| {name} | `{mode}` | " + " | ".join(f"{r:,.0f}/s" for r in row)
                         + f" | {row[0] / row[1]:.1f}x | {row[0] / row[2]:.2f}x |")
    lines.append("")
    for target, ratio, wanted, met in verdicts(rates):
        lines.append(f"- {target}: {ratio:.2f}x (target >= {wanted}x) "
                     f"{'met' if met else 'NOT met'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``./scripts/bench serve [--quick] [--json FILE]``; 0 when every run verified its work."""
    parser = argparse.ArgumentParser(prog="bench serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the commands")
    parser.add_argument("--json", metavar="FILE", help="also write the rates as JSON")
    args = parser.parse_args(argv)
    try:
        report = measure(args.quick)
    except BenchError as exc:
        print(f"bench serve: {exc}", file=sys.stderr)
        return 1
    print(render(report))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1)
    return 0

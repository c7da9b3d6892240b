"""redis-benchmark against the benchmark's redis-server: the physical reference.

The redis-py rows measure redis-server *through a Python client*; most of their time is
redis-py's. redis-benchmark is Redis's own C load generator, so its XADD rate is what the C
server itself sustains on this machine: ``-c 1 -P 100`` (one connection, 100 commands in flight,
the closest to one in-process caller) and ``-c 50 -P 16`` (many clients, the server's best).
Each run XADDs W1's number of entries (at least 20k, so that redis-benchmark's millisecond
clock can time it; rounded up to a multiple of clients x pipeline, because redis-benchmark
sends whole pipelines) to a fresh stream, and the stream's XLEN afterwards must equal the number
of commands sent.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import statistics
import subprocess

from .config import REDIS_BENCHMARK_RUNS, Sizes
from .targets import BenchError

#: The command every run sends (the same entry shape as W1).
XADD = ("XADD", "{key}", "*", "user", "1", "action", "click")


def find_redis_benchmark(server_binary: str | None = None) -> str | None:
    """$REDIS_BENCHMARK_BIN, then the redis-benchmark beside redis-server, then PATH."""
    explicit = os.environ.get("REDIS_BENCHMARK_BIN")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if server_binary:
        beside = os.path.join(os.path.dirname(server_binary), "redis-benchmark")
        if os.access(beside, os.X_OK):
            return beside
    return shutil.which("redis-benchmark")


def _command(port: int, *args: str):
    """One command on a fresh connection; the reply's integer, or None for anything else."""
    payload = b"*%d\r\n" % len(args) + b"".join(
        b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        line = sock.makefile("rb").readline()
    return int(line[1:]) if line.startswith(b":") else None


def rate_from_csv(text: str) -> float:
    """The ``rps`` column of redis-benchmark's ``--csv`` output (one test)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if len(rows) != 1 or "rps" not in rows[0]:
        raise BenchError(f"unexpected redis-benchmark output: {text[:300]!r}")
    rate = float(rows[0]["rps"])
    if not 0 < rate < float("inf"):
        raise BenchError(f"redis-benchmark could not time the run: rps {rows[0]['rps']!r}")
    return rate


def commands_for(sizes: Sizes, clients: int, pipeline: int) -> int:
    """W1's entry count, at least 20k, rounded up to whole pipelines of every client."""
    batch = clients * pipeline
    return -(-max(sizes.xadd_entries, 20_000) // batch) * batch


def run_once(binary: str, port: int, key: str, clients: int, pipeline: int, n: int) -> float:
    """One redis-benchmark run; its XADD rate, after checking that n entries were added."""
    _command(port, "DEL", key)
    argv = [binary, "-h", "127.0.0.1", "-p", str(port), "-c", str(clients),
            "-P", str(pipeline), "-n", str(n), "--csv", *[a.format(key=key) for a in XADD]]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0:
        raise BenchError(f"redis-benchmark exited {proc.returncode}: {proc.stderr[-300:]}")
    rate = rate_from_csv(proc.stdout)
    length = _command(port, "XLEN", key)
    _command(port, "DEL", key)
    if length != n:
        raise BenchError(f"XLEN after redis-benchmark sent {n} XADD: got {length!r}")
    return rate


def version(binary: str) -> str | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    words = out.split()
    return words[1] if len(words) > 1 else None


def run_redis_benchmark(binary: str, port: int, sizes: Sizes, log=None) -> dict:
    """Every REDIS_BENCHMARK_RUNS configuration, ``sizes.repeats`` times: metrics like a child's."""
    metrics = {}
    for name, clients, pipeline in REDIS_BENCHMARK_RUNS:
        n = commands_for(sizes, clients, pipeline)
        samples = [run_once(binary, port, f"rb:{name}", clients, pipeline, n)
                   for _ in range(sizes.repeats)]
        label = f"redis-benchmark -c {clients} -P {pipeline}: XADD ({n} commands)"
        metrics[f"rb_xadd_{name}"] = {"label": label, "unit": "ops/s", "samples": samples,
                                      "median": statistics.median(samples), "ops": n,
                                      "clients": clients, "pipeline": pipeline}
        if log is not None:
            log(f"[redis-benchmark] {label}: {metrics[f'rb_xadd_{name}']['median']:,.0f} ops/s")
    return metrics

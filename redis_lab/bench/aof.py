"""``./scripts/bench aof``: XADD throughput with an AOF, appendfsync no / everysec / always.

Three ways of writing, each with the three policies, the AOF in a fresh directory on the disk
that holds the system's temporary directory (fsync reaches a real disk there):

- ``engine``  the lab's engine in-process with ``open_durable_engine`` (``client.call``);
- ``serve``   ``redis-lab serve --data DIR --appendfsync P`` over TCP;
- ``redis``   ``redis-server --appendonly yes --appendfsync P --aof-use-rdb-preamble no``.

Over TCP both servers get the same raw-RESP client, one command per round trip (``P=1``) and
pipelines of 100 (``P=100``). Every reply is checked to be an ID. What the figures mean:
Redis fsyncs once per event-loop iteration (all the commands of a pipeline share one fsync
under ``always``), the lab once per command; everysec and no never fsync in the write path.

    python -m redis_lab.bench.aof [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from ..protocol.resp import Incomplete, encode_command, parse
from .server import (_free_port, find_redis_server, server_version, stop_process,
                     wait_until_answering)

POLICIES = ("no", "everysec", "always")
PIPELINES = (1, 100)


def _xadds(count: int) -> list[bytes]:
    return [encode_command([b"XADD", b"s", b"*", b"n", b"%d" % i]) for i in range(count)]


def bench_engine(policy: str, count: int) -> float:
    """XADDs per second through the in-process engine with the AOF attached."""
    from ..persistence import open_durable_engine

    folder = tempfile.mkdtemp(prefix="redis-lab-aof-bench-")
    try:
        engine = open_durable_engine(folder, policy)
        client = engine.client("bench")
        started = time.perf_counter()
        for i in range(count):
            reply = client.call(b"XADD", b"s", b"*", b"n", b"%d" % i)
            if not reply.startswith(b"$"):
                raise RuntimeError(f"XADD answered {reply!r}")
        seconds = time.perf_counter() - started
        engine.aof.close()
        return count / seconds
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Process:
    """A server process on a free loopback port, in its own directory, stopped by its pid."""

    def __init__(self, argv_for_port, folder: str) -> None:
        self.folder = folder
        for _ in range(5):
            self.port = _free_port()
            with open(os.path.join(folder, "server.log"), "ab") as log:
                self.proc = subprocess.Popen(argv_for_port(self.port), stdout=log,
                                             stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, cwd=folder)
            if wait_until_answering(self.proc, self.port, 20):
                return
            self.stop()
        raise RuntimeError(f"server did not start: {argv_for_port(0)}")

    def stop(self) -> None:
        stop_process(self.proc, timeout=10)


def bench_tcp(port: int, count: int, pipeline: int) -> float:
    """XADDs per second over one connection, ``pipeline`` commands per round trip."""
    commands = _xadds(count)
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    started = time.perf_counter()
    try:
        for at in range(0, count, pipeline):
            batch = commands[at:at + pipeline]
            sock.sendall(b"".join(batch))
            got = 0
            while got < len(batch):
                try:
                    value, end = parse(buf)
                except Incomplete:
                    chunk = sock.recv(1 << 16)
                    if not chunk:
                        raise RuntimeError("the server closed the connection") from None
                    buf += chunk
                    continue
                if not isinstance(value, bytes):
                    raise RuntimeError(f"XADD answered {value!r}")
                buf = buf[end:]
                got += 1
        return count / (time.perf_counter() - started)
    finally:
        sock.close()


def _serve_argv(folder: str, policy: str):
    return lambda port: [sys.executable, "-m", "redis_lab", "serve", "--port", str(port),
                         "--data", os.path.join(folder, "data"), "--appendfsync", policy]


def _redis_argv(binary: str, folder: str, policy: str):
    return lambda port: [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                         "--appendonly", "yes", "--appendfsync", policy,
                         "--aof-use-rdb-preamble", "no", "--dir", folder,
                         "--daemonize", "no", "--loglevel", "warning"]


def run(count: int, always_count: int, log=print) -> dict:
    """Every row: {target, policy, pipeline, ops_per_sec}."""
    rows = []
    redis = find_redis_server()
    for policy in POLICIES:
        n = always_count if policy == "always" else count
        rows.append({"target": "engine", "policy": policy, "pipeline": None,
                     "ops_per_sec": bench_engine(policy, n)})
        log(f"engine  {policy:8} {rows[-1]['ops_per_sec']:>10,.0f} XADD/s")
        servers = [("serve", lambda folder, p=policy: _serve_argv(folder, p))]
        if redis is not None:
            servers.append(("redis", lambda folder, p=policy: _redis_argv(redis, folder, p)))
        for target, argv in servers:
            for pipeline in PIPELINES:
                folder = tempfile.mkdtemp(prefix=f"redis-lab-aof-bench-{target}-")
                server = Process(argv(folder), folder)
                try:
                    ops = bench_tcp(server.port, n, pipeline)
                finally:
                    server.stop()
                    shutil.rmtree(folder, ignore_errors=True)
                rows.append({"target": target, "policy": policy, "pipeline": pipeline,
                             "ops_per_sec": ops})
                log(f"{target:7} {policy:8} P={pipeline:<4} {ops:>10,.0f} XADD/s")
    return {"rows": rows, "count": count, "always_count": always_count,
            "redis_server_version": server_version(redis) if redis else None,
            "tmpdir": tempfile.gettempdir(), "machine": platform.platform(),
            "cpus": os.cpu_count()}


def markdown(result: dict) -> str:
    """The rows as a Markdown table: one line per target and pipeline, one column per policy."""
    lines = ["| XADD/s | appendfsync no | everysec | always |", "|---|---:|---:|---:|"]
    keys = []
    for row in result["rows"]:
        key = (row["target"], row["pipeline"])
        if key not in keys:
            keys.append(key)
    for target, pipeline in keys:
        cells = []
        for policy in POLICIES:
            ops = next(r["ops_per_sec"] for r in result["rows"] if r["target"] == target
                       and r["pipeline"] == pipeline and r["policy"] == policy)
            cells.append(f"{ops:,.0f}")
        name = {"engine": "lab engine (in-process)", "serve": "redis-lab serve",
                "redis": f"redis-server {result['redis_server_version'] or ''}".strip()}[target]
        if pipeline is not None:
            name += f", P={pipeline}"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./scripts/bench aof", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer commands")
    parser.add_argument("--count", type=int, default=20_000, help="XADDs per row (no, everysec)")
    parser.add_argument("--always-count", type=int, default=2_000,
                        help="XADDs per row with appendfsync always")
    parser.add_argument("--json", metavar="FILE", default=None, help="also write JSON here")
    args = parser.parse_args(argv)
    count, always = args.count, args.always_count
    if args.quick:
        count, always = max(count // 10, 100), max(always // 10, 100)
    result = run(count, always, log=lambda text: print(text, file=sys.stderr, flush=True))
    print(markdown(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

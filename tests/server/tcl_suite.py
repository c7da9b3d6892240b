"""Redis's own Tcl tests for streams and pub/sub, run against any server in external mode.

Redis 7.0.15's ``tests/unit/type/stream.tcl``, ``stream-cgroups.tcl`` and ``pubsub.tcl`` are the
test suite Redis itself must pass. None of Redis's code is kept in this repository: the suite is
extracted at run time (``git archive 7.0.15 tests``) from a git mirror of github.com/redis/redis
into a temporary directory, and run with ``tclsh tests/test_helper.tcl --host H --port P``
(external-server mode), skipping the tags that need DEBUG, replication or local server
processes, exactly as one runs it against a remote Redis.

    python tests/server/tcl_suite.py [--port P]   # both servers side by side, or one server

The mirror is found through ``$REDIS_SOURCE`` (a git mirror or clone of redis/redis), then
``.cache/redis.git`` in this repository. Get one with::

    git clone --mirror https://github.com/redis/redis .cache/redis.git
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAG = "7.0.15"
UNITS = ("unit/type/stream", "unit/type/stream-cgroups", "unit/pubsub")
SKIPPED_TAGS = ("needs:debug", "needs:repl", "external:skip", "needs:save",
                "needs:config-maxmemory")
#: Tests that need what the lab does not implement (lists, sets, hashes, zsets, RENAME, RESTORE,
#: EXPIRE, key expiry and eviction events): skipped on both servers so that the counts compare
#: like with like, and listed here so that what is not run is never hidden. Everything else in
#: the three units runs.
OUT_OF_SCOPE = ("XREAD: XADD + DEL + LPUSH should not awake client",
                "Blocking XREADGROUP: key type changed with transaction",
                "RENAME can unblock XREADGROUP with data",
                "RENAME can unblock XREADGROUP with -NOGROUP",
                "/^Loading from legacy",           # RESTORE of an RDB payload
                "Keyspace notifications: we are able to mask events",       # LPUSH
                "Keyspace notifications: general events test",              # EXPIRE
                "/^Keyspace notifications: (list|set|zset|hash) events",
                "/^Keyspace notifications: (expired|evicted) events",
                # needs the FLUSHALL of the eviction test before it (fails on Redis without it)
                "Keyspace notifications: new key test")
HOW_TO_GET = ("no git mirror of github.com/redis/redis with tag 7.0.15: run `git clone --mirror "
              "https://github.com/redis/redis .cache/redis.git` (or set REDIS_SOURCE to a "
              "mirror or clone)")
_DEFAULT_MIRRORS = (ROOT / ".cache" / "redis.git", Path("/work/.mirror/redis+redis/repo"))


def find_mirror() -> str | None:
    """A git directory holding tag 7.0.15 of redis/redis, or None."""
    candidates = [os.environ["REDIS_SOURCE"]] if os.environ.get("REDIS_SOURCE") else []
    candidates += [str(p) for p in _DEFAULT_MIRRORS]
    for candidate in candidates:
        for git_dir in (candidate, os.path.join(candidate, ".git")):
            done = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "--verify", "-q",
                                   f"refs/tags/{TAG}"], capture_output=True, check=False)
            if done.returncode == 0:
                return git_dir
    return None


def extract(git_dir: str, dest: Path) -> Path:
    """Write the 7.0.15 ``tests/`` tree into ``dest``; return it."""
    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", "--format=tar", TAG,
                              "tests"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def run_unit(suite: Path, unit: str, port: int, host: str = "127.0.0.1") -> dict:
    """Run one unit against host:port; count ok / err / exception lines."""
    argv = ["tclsh", "tests/test_helper.tcl", "--host", host, "--port", str(port),
            "--single", unit, "--clients", "1", "--timeout", "120"]
    for tag in SKIPPED_TAGS:
        argv += ["--tags", f"-{tag}"]
    for name in OUT_OF_SCOPE:
        argv += ["--skiptest", name]
    done = subprocess.run(argv, cwd=suite, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL, check=False)
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    lines = text.splitlines()
    return {
        "ok": sum(line.startswith("[ok]:") for line in lines),
        "err": [line for line in lines if line.startswith("[err]:")],
        "exception": [line for line in lines
                      if line.startswith(("[exception]:", "[TIMEOUT]:"))],
        "completed": "All tests passed" in text or "[1/1 done]" in text,
        "output": text,
    }


def run_all(ports: dict[str, int]) -> dict[str, dict[str, dict]]:
    """Every unit against every named server: ``{server: {unit: counts}}``."""
    git_dir = find_mirror()
    if git_dir is None:
        raise LookupError(HOW_TO_GET)
    tmp = Path(tempfile.mkdtemp(prefix="redis-tcl-"))
    try:
        suite = extract(git_dir, tmp)
        return {name: {unit: run_unit(suite, unit, port) for unit in UNITS}
                for name, port in ports.items()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    """Print the pass counts for the given server, or for redis-server and redis-lab serve."""
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tests" / "server"))
    if shutil.which("tclsh") is None:
        print("not run: tclsh 8.6 is needed (apt-get install tcl)")
        return 1
    if find_mirror() is None:
        print(f"not run: {HOW_TO_GET}")
        return 1
    if argv[:1] == ["--port"]:
        results = run_all({f"port {argv[1]}": int(argv[1])})
    else:
        from servers import LabServer, running_redis_server

        with running_redis_server() as redis, tempfile.TemporaryDirectory() as workdir:
            lab = LabServer(Path(workdir))
            lab.start()
            try:
                results = run_all({"redis-server": redis.port, "redis-lab serve": lab.port})
            finally:
                lab.stop()
    for server, units in results.items():
        for unit, counts in units.items():
            print(f"{server:16s} {unit:26s} ok={counts['ok']:3d} err={len(counts['err'])} "
                  f"exception={len(counts['exception'])}")
            for line in counts["err"] + counts["exception"]:
                print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``:restart-server`` in the shell and ``--data`` on the command line, as a learner uses them.

A script is what the shell runs line by line (app.script.run_lines, the same Session and
meta-commands); the CLI test starts ``redis-lab`` itself as a process, twice on one directory.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

from redis_lab.app.script import run_lines
from redis_lab.settings import Settings


def _run(lines, settings) -> str:
    out = io.StringIO()
    run_lines(lines, settings, out=out, err=out)
    return out.getvalue()


LESSON = [
    "@alice SUBSCRIBE news",
    "XGROUP CREATE jobs workers $ MKSTREAM",
    "XADD jobs * task resize",
    "XADD jobs * task crop",
    "@w1 XREADGROUP GROUP workers w1 COUNT 1 STREAMS jobs >",
    ":restart-server",
    "PUBSUB NUMSUB news",
    "PUBLISH news hello",
    "XLEN jobs",
    "XPENDING jobs workers - + 10",
    "@w1 XREADGROUP GROUP workers w1 STREAMS jobs >",
]


def test_restart_brings_streams_groups_and_pel_back_but_not_subscriptions(tmp_path):
    text = _run(LESSON, Settings(virtual_clock=True, data_dir=str(tmp_path)))
    after = text.split("engine restarted from its data directory", 1)[1]
    assert '1) "news"\n2) (integer) 0' in after          # alice's subscription is gone
    assert "(integer) 0\n(integer) 2" in after             # nobody got 'hello'; 2 entries kept
    assert '1) 1) "1700000000000-0"\n   2) "w1"' in after  # the PEL is back, owner and all
    assert '"1700000000000-1"' in after.split('"w1"', 1)[1]  # '>' goes on after the first
    assert (tmp_path / "appendonly.aof").exists()


def test_restart_without_data_loses_the_streams_too(tmp_path):
    text = _run(["XADD s * a 1", ":restart-server", "XLEN s"], Settings(virtual_clock=True))
    assert "nothing was written to disk" in text
    assert text.rstrip().endswith("(integer) 0")


def test_the_command_line_keeps_data_across_processes(tmp_path):
    env = {**os.environ, "NO_COLOR": "1"}

    def lab(*args, stdin: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "redis_lab", *args], input=stdin,
                              capture_output=True, text=True, env=env, timeout=60)

    first = lab("--data", str(tmp_path), "--appendfsync", "always",
                stdin="XADD s 5-1 k v\nXGROUP CREATE s g 0\nXREADGROUP GROUP g c STREAMS s >\n")
    assert first.returncode == 0, first.stderr
    second = lab("--data", str(tmp_path), stdin="XPENDING s g\n")
    assert second.stdout.startswith('1) (integer) 1\n2) "5-1"\n3) "5-1"'), second.stdout
    (tmp_path / "appendonly.aof").write_bytes(b"*2\r\n$3\r\nGET\r\n$1")
    refused = lab("--data", str(tmp_path), "--aof-load-truncated", "no", stdin="PING\n")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "appendonly.aof at offset 0" in refused.stderr
    checked = lab("check-aof", "--fix", str(tmp_path / "appendonly.aof"), stdin="")
    assert checked.returncode == 0
    assert checked.stdout.splitlines()[-1] == "Successfully truncated AOF appendonly.aof"


def test_reset_with_data_starts_over_on_disk_too(tmp_path):
    settings = Settings(virtual_clock=True, data_dir=str(tmp_path))
    text = _run(["XADD s * a 1", ":reset", "XLEN s", ":restart-server", "XLEN s"], settings)
    assert text.count("(integer) 0") == 2
    assert _run(["XLEN s"], settings).strip() == "(integer) 0"


def test_data_with_a_real_redis_is_refused_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "redis_lab", "--redis", "redis://127.0.0.1:1",
                           "--data", str(tmp_path), "-c", "PING"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "--data keeps the embedded engine's data" in done.stderr


def test_restore_with_data_rewrites_the_file_to_the_state_it_went_back_to(tmp_path):
    settings = Settings(virtual_clock=True, data_dir=str(tmp_path))
    text = _run(["XADD s * a 1", ":snapshot one", "XADD s * b 2", ":restore one",
                 ":restart-server", "XLEN s"], settings)
    assert text.rstrip().endswith("(integer) 1"), text

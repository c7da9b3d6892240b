"""Errors in ``redis-lab run FILE`` and ``-c`` say where they are; ``--strict`` stops there.

Lines read from stdin keep redis-cli's exact output (tests/test_cli.py compares it with the
real redis-cli), so only a named source gets the ``FILE:LINE:`` prefix.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """PING
# a comment

XADD s
GET "unclosed
:advance soon
XADD s 1-1 f v
"""


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redis_lab", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=30, input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def test_run_file_errors_name_the_file_and_line(tmp_path):
    demo = tmp_path / "demo.redis"
    demo.write_text(SCRIPT)
    done = run("run", str(demo), "--virtual-clock")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "PONG",
        f"{demo}:4: (error) ERR wrong number of arguments for 'xadd' command",
        f"{demo}:5: Invalid argument(s)",
        f"{demo}:6: not a duration: 'soon' (try 5000, 500ms, 65s, 2m or 1h)",
        '"1-1"',
    ]


def test_strict_stops_at_the_first_error(tmp_path):
    demo = tmp_path / "demo.redis"
    demo.write_text(SCRIPT)
    done = run("run", str(demo), "--strict")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "PONG", f"{demo}:4: (error) ERR wrong number of arguments for 'xadd' command"]


def test_c_errors_name_which_c(tmp_path):
    done = run("-c", "PING", "-c", "XADD s", "-c", "PING", "--strict")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "PONG", "-c:2: (error) ERR wrong number of arguments for 'xadd' command"]


def test_stdin_keeps_redis_cli_output():
    done = run(stdin="XADD s\n")
    assert done.stdout == "(error) ERR wrong number of arguments for 'xadd' command\n"

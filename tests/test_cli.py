"""The non-interactive front door, run as a learner runs it: ``python -m redis_lab ...``.

Output must be what redis-cli prints at its prompt (``--no-raw``), so the last tests feed the
same script to redis-cli against a real redis-server 7.0 and to redis-lab, and compare.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import require_binary

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str | None = None, timeout: float = 20) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    extra = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run([sys.executable, "-m", "redis_lab", *args], check=False,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout,
                          encoding="utf-8", **extra)


def test_ping_prints_pong_like_redis_cli():
    result = run("-c", "PING")
    assert (result.returncode, result.stdout, result.stderr) == (0, "PONG\n", "")


def test_repeated_c_runs_in_order():
    result = run("-c", "SET greeting hello", "-c", "GET greeting", "-c", "GET missing")
    assert result.stdout == 'OK\n"hello"\n(nil)\n'


def test_stdin_lines_when_not_a_terminal():
    result = run(stdin="PING\nECHO \"a b\"\n\nEXISTS nothing\n")
    assert result.stdout == 'PONG\n"a b"\n(integer) 0\n'


def test_run_file_skips_comments_and_blank_lines(tmp_path):
    script = tmp_path / "demo.redis"
    script.write_text("# a comment\n\nSET k v\n   # indented comment\nGET k\n")
    result = run("run", str(script))
    assert (result.returncode, result.stdout) == (0, 'OK\n"v"\n')


def test_run_dash_reads_stdin():
    assert run("run", "-", stdin="PING\n").stdout == "PONG\n"


def test_run_missing_file_is_a_usage_error(tmp_path):
    result = run("run", str(tmp_path / "nope.redis"))
    assert result.returncode == 2
    assert "nope.redis" in result.stderr
    assert "Traceback" not in result.stderr


def test_unbalanced_quote_prints_invalid_arguments_and_goes_on():
    result = run(stdin='SET k "open\nPING\n')
    assert result.stdout == "Invalid argument(s)\nPONG\n"
    assert result.returncode == 0


def test_strict_exit_status():
    assert run("-c", "NOSUCH").returncode == 0
    assert run("--strict", "-c", "NOSUCH").returncode == 1
    assert run("--strict", "-c", "PING").returncode == 0
    assert run("--strict", "-c", 'ECHO "x').returncode == 1
    assert run("--strict", "-c", ":nosuchmeta").returncode == 1


def test_strict_on_run_subcommand(tmp_path):
    script = tmp_path / "bad.redis"
    script.write_text("PING\nXADD s\n")
    result = run("run", "--strict", str(script))
    assert result.returncode == 1
    assert result.stdout == (f"PONG\n{script}:2: (error) ERR wrong number of arguments for "
                             "'xadd' command\n")


def test_messages_to_other_clients_are_labelled():
    result = run(stdin="@alice SUBSCRIBE chat\n@bob PUBLISH chat hi\n")
    assert result.stdout == (
        '1) "subscribe"\n'
        '2) "chat"\n'
        "3) (integer) 1\n"
        "(integer) 1\n"
        'alice ◂ 1) "message"\n'
        '        2) "chat"\n'
        '        3) "hi"\n'
    )


def test_pattern_subscribers_and_order_of_deliveries():
    script = "@a SUBSCRIBE news\n@b PSUBSCRIBE n*\nPUBLISH news x\n"
    lines = run(stdin=script).stdout.splitlines()
    assert lines[-8:] == [
        "(integer) 2",
        'a ◂ 1) "message"',
        '    2) "news"',
        '    3) "x"',
        'b ◂ 1) "pmessage"',
        '    2) "n*"',
        '    3) "news"',
        '    4) "x"',
    ]


def test_virtual_clock_makes_ids_deterministic():
    result = run("--virtual-clock", "-c", "XADD s * a 1", "-c", "XADD s * a 2")
    assert result.stdout == '"1700000000000-0"\n"1700000000000-1"\n'
    result = run("--clock-start", "5000", "-c", "XADD s * a 1")
    assert result.stdout == '"5000-0"\n'


def test_options_after_run_subcommand(tmp_path):
    script = tmp_path / "ids.redis"
    script.write_text("XADD s * a 1\n")
    assert run("run", "--virtual-clock", str(script)).stdout == '"1700000000000-0"\n'
    assert run("--virtual-clock", "run", str(script)).stdout == '"1700000000000-0"\n'


def test_blocked_client_is_served_by_a_later_line():
    script = ("@worker XREAD BLOCK 0 STREAMS s $\n"
              "XADD s 1-1 f v\n")
    result = run("--virtual-clock", stdin=script)
    assert result.stdout == (
        "(worker is blocked: XREAD on s, no timeout)\n"
        '"1-1"\n'
        'worker ◂ 1) 1) "s"\n'
        '            2) 1) 1) "1-1"\n'
        '                  2) 1) "f"\n'
        '                     2) "v"\n'
    )


def test_advance_expires_a_block_on_the_virtual_clock():
    script = "XREAD BLOCK 5000 STREAMS s $\n:advance 4999\n:advance 1ms\n"
    result = run("--virtual-clock", stdin=script)
    assert result.stdout == (
        "(default is blocked: XREAD on s, timeout 5 s)\n"
        "virtual clock +4.999 s: now 2023-11-14 22:13:24.999 UTC\n"
        "virtual clock +1 ms: now 2023-11-14 22:13:25.000 UTC\n"
        "default ◂ (nil)\n"
    )


def test_wall_clock_block_on_current_client_waits_like_redis_cli():
    started = time.monotonic()
    result = run("-c", "XREAD BLOCK 300 STREAMS s $", "-c", "PING")
    assert time.monotonic() - started >= 0.3
    assert result.stdout == "(nil)\nPONG\n"


def test_wall_clock_timeouts_of_other_clients_run_out_at_end_of_input():
    result = run("-c", "@w XREAD BLOCK 200 STREAMS s $")
    assert result.stdout == "(w is blocked: XREAD on s, timeout 200 ms)\nw ◂ (nil)\n"


def test_help_is_answered_locally():
    result = run("-c", "HELP XADD")
    assert result.stdout.startswith(
        "  XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value "
        "[field value ...]\n  summary: ")
    assert "  group: stream\n" in result.stdout
    assert "example: XADD" in result.stdout
    group = run("-c", "HELP @pubsub").stdout
    assert "PUBLISH channel message" in group and "XADD" not in group


def test_meta_commands_in_scripts():
    result = run("--virtual-clock", stdin=":as alice\nCLIENT SETNAME a1\n@bob PING\n:clients\n")
    lines = result.stdout.splitlines()
    assert lines[0] == "now typing as alice (new client)"
    assert lines[1] == "OK"
    assert lines[2] == "PONG"
    assert lines[3].split() == ["client", "id", "resp", "db", "state"]
    assert lines[4].split() == ["default", "1", "2", "0", "idle"]
    assert lines[5].split() == ["*", "alice", "2", "2", "0", "idle"]
    assert lines[6].split() == ["bob", "3", "2", "0", "idle"]


def test_quit_ends_the_script_like_redis_cli():
    assert run(stdin="PING\nquit\nPING\n").stdout == "PONG\n"
    # @name QUIT closes that client's connection instead
    assert run(stdin="@a QUIT\nPING\n").stdout == "OK\nPONG\n"


def test_echo_option(tmp_path):
    result = run("--echo", stdin="# comment\n:as alice\nPING\n")
    assert result.stdout == "default> :as alice\nnow typing as alice (new client)\nalice> PING\nPONG\n"


def test_bad_client_name_is_explained():
    result = run("-c", "@ PING", "-c", "@alice")
    assert result.stdout.splitlines() == [
        "-c:1: bad client name '@': use letters, digits and _ . : - (e.g. @alice)",
        "-c:2: @alice needs a command, e.g. @alice PING (to make alice the current client: "
        ":as alice)",
    ]


def test_c_and_subcommand_do_not_mix(tmp_path):
    result = run("-c", "PING", "run", "x")
    assert result.returncode == 2


def test_version_and_help():
    assert run("--version").stdout.startswith("redis-lab, version ")
    text = run("--help").stdout
    for option in ("--virtual-clock", "--strict", "--width", "--no-color", "-c"):
        assert option in text


# ------------------------------------------------------------------------------------------------
# Same script, same output as redis-cli against a real redis-server 7.0
# ------------------------------------------------------------------------------------------------

COMPARED_SCRIPT = r"""FLUSHALL
PING
PING "hello there"
ECHO "tab\there"
ECHO 'single \' quote'
ECHO "\x41\x00\xff"
SET greeting "hello world"
GET greeting
GET missing
SET greeting again NX
SET "unbalanced
ECHO "a"b
NOSUCHCOMMAND arg1 arg2
GET
EXISTS greeting missing greeting
TYPE greeting
XADD greeting 1-1 f v
XADD orders 1-1 item book qty 2
XADD orders 2-0 item pen qty 10
XADD orders 1-5 too late
XLEN orders
XRANGE orders - +
XREVRANGE orders + - COUNT 1
XREAD COUNT 10 STREAMS orders 0
XREAD STREAMS orders $
XGROUP CREATE orders shipping 0
XGROUP CREATE orders shipping 0
XREADGROUP GROUP shipping worker-1 COUNT 1 STREAMS orders >
XPENDING orders shipping
XACK orders shipping 1-1
XACK orders shipping 1-1
XDEL orders 2-0
XTRIM orders MAXLEN 0
XLEN orders
XINFO HELP
PUBLISH news nobody-listens
PUBSUB NUMSUB news
PUBSUB CHANNELS
MULTI
SET k v
GET k
EXEC
SELECT 1
DBSIZE
SELECT 0
DBSIZE
KEYS orders
DEL orders greeting k
DBSIZE
"""


def _redis_cli() -> str:
    return require_binary("redis-cli")


def test_script_output_matches_redis_cli(redis_server):
    cli = _redis_cli()
    redis_server.flush()
    expected = subprocess.run(
        [cli, "--no-raw", "-h", redis_server.host, "-p", str(redis_server.port)],
        input=COMPARED_SCRIPT, capture_output=True, text=True, timeout=30, check=False,
        encoding="utf-8", errors="surrogateescape",
    )
    assert expected.returncode == 0, expected.stderr
    ours = run(stdin=COMPARED_SCRIPT)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout.splitlines() == expected.stdout.splitlines()


def test_c_lines_match_redis_cli_arguments(redis_server):
    """``redis-lab -c "GET x"`` prints what ``redis-cli --no-raw GET x`` prints."""
    cli = _redis_cli()
    redis_server.flush()
    base = [cli, "--no-raw", "-h", redis_server.host, "-p", str(redis_server.port)]
    for words in (["PING"], ["GET", "nothing"], ["XRANGE", "nothing", "-", "+"],
                  ["ECHO", "two words"], ["XADD", "s", "1-1", "a", "1"], ["NOSUCH"]):
        expected = subprocess.run(base + words, capture_output=True, text=True, timeout=10,
                                  check=False)
        line = " ".join(f'"{w}"' if " " in w else w for w in words)
        ours = run("-c", line)
        where = "-c:1: " if expected.stdout.startswith("(error)") else ""  # errors say where
        assert ours.stdout == where + expected.stdout, words
    redis_server.flush()

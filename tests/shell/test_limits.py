"""Numbers and durations at their limits: refused with one line, nothing changed.

Redis keeps time in a signed 64-bit count of milliseconds; the largest time it can show is
2**63 - 1 ms. The engine's stream IDs accept exactly that (checked below through XADD), so the
shell refuses any clock move or start beyond it instead of breaking every later XADD.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from redis_lab.session import MAX_CLOCK_MS, parse_duration


@pytest.mark.parametrize("text, ms", [
    ("0.0005s", 1), ("1.5s", 1500), ("1.5m", 90_000), ("2h", 7_200_000),
    ("9223372036854775807", MAX_CLOCK_MS), ("0.1h", 360_000),
])
def test_parse_duration_is_exact(text, ms):
    assert parse_duration(text) == ms


@pytest.mark.parametrize("text", ["99999999999999999999999", "9223372036854775808",
                                  "2562047788015216h", "1" * 5000, "١٢", "1e3", "-5s"])
def test_parse_duration_refuses_what_no_clock_holds(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_advance_too_far_is_refused_and_changes_nothing(run, session):
    before = session.clock.now_ms()
    out = run(":advance 99999999999999999999999")
    assert len(out) == 1 and "duration too long" in out[0]
    assert session.clock.now_ms() == before
    assert run("XADD s * f v") == ['"1700000000000-0"']
    assert run(f":advance {MAX_CLOCK_MS - before}") != []
    assert session.clock.now_ms() == MAX_CLOCK_MS
    out = run(":advance 1")
    assert "cannot advance 1" in out[0] and "Nothing changed" in out[0]
    assert run("XADD s * f v") == [f'"{MAX_CLOCK_MS}-0"']   # Redis's last possible ms
    assert "292278994-08-17 07:12:55.807 UTC" in run(":clock")[0]


def test_clock_virtual_start_beyond_the_limit_is_refused(run, session):
    out = run(f":clock virtual {MAX_CLOCK_MS + 1}")
    assert out[0].startswith("usage: :clock virtual [START_MS] (0 to 9223372036854775807)")
    assert session.clock.now_ms() == 1_700_000_000_000


@pytest.mark.parametrize("args", [["--clock-start", "9223372036854775808"],
                                  ["--clock-start", "-1"], ["--width", "100000"],
                                  ["demo", "1", "--speed", "nan"]])
def test_out_of_range_options_get_a_usage_error_not_a_traceback(args):
    line = [] if args[0] == "demo" else ["-c", "PING"]
    done = subprocess.run([sys.executable, "-m", "redis_lab", *args, *line], capture_output=True,
                          text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Error: Invalid value for" in done.stderr

"""The teacher's class table: exact output from a recorded LAB ROOMS / LAB CLASS (the ages are
the server's, so a recording is a fixed clock), then ``redis-lab dashboard`` on a live
classroom: --once, --export class.html, and the live table in a pseudo-terminal.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from classroom_helpers import ROOT, TEACHER_PASSWORD
from rich.console import Console

from redis_lab.dashboard.classroom import ClassBoard, ago, decode, safe_title

GOLDEN = Path(__file__).parent / "golden"

#: LAB ROOMS and LAB CLASS as a teacher's connection received them (RESP2 values).
ROOMS = [
    [b"name", b"alice", b"clients", 2, b"keys", 3, b"lesson", b"05-consumer-groups", b"task", 3,
     b"tries", 1, b"hints", 0, b"last-command", b"xreadgroup", b"idle-ms", 1200,
     b"progress-age-ms", 45000],
    [b"name", b"bob", b"clients", 1, b"keys", 1, b"lesson", b"05-consumer-groups", b"task", 2,
     b"tries", 4, b"hints", 2, b"last-command", b"xack", b"idle-ms", 3000,
     b"progress-age-ms", 61000],
    [b"name", b"carol", b"clients", 0, b"keys", 0, b"lesson", b"05-consumer-groups", b"task", 1,
     b"tries", 0, b"hints", 0, b"last-command", b"xinfo|groups", b"idle-ms", 400000,
     b"progress-age-ms", 420000],
    [b"name", b"dave", b"clients", 1, b"keys", 0, b"lesson", b"", b"task", 0, b"tries", 0,
     b"hints", 0, b"last-command", b"", b"idle-ms", -1, b"progress-age-ms", -1],
    [b"name", b"class", b"clients", 4, b"keys", 1, b"lesson", b"", b"task", 0, b"tries", 0,
     b"hints", 0, b"last-command", b"publish", b"idle-ms", 10, b"progress-age-ms", -1],
]
CLASS = [[b"05-consumer-groups", 1, 2], [b"05-consumer-groups", 2, 1]]


def render(board, width: int = 100) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, _environ={}).print(board)
    return out.getvalue()


@pytest.mark.parametrize("sort", ["name", "stuck", "progress"])
def test_class_table_renders_exactly(sort):
    board = ClassBoard(decode(ROOMS, CLASS), "redis://teacher@127.0.0.1:6380", sort)
    assert render(board) == (GOLDEN / f"class_table_{sort}.txt").read_text(encoding="utf-8")


def test_ages_and_titles():
    assert [ago(ms) for ms in (-1, 0, 59_999, 60_000, 3_599_000, 3_600_000, 7_380_000)] == \
        ["-", "0s", "59s", "1m00s", "59m59s", "1h00m", "2h03m"]
    assert safe_title("redis://teacher:s3cret@host:6380") == "redis://teacher@host:6380"
    assert safe_title("127.0.0.1:6380") == "redis://127.0.0.1:6380"


def dashboard(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redis_lab", "dashboard", *args],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)


def test_dashboard_once_and_export_on_a_classroom(classroom_factory, tmp_path):
    server = classroom_factory()
    alice, bob = server.as_user("alice"), server.as_user("bob")
    alice.execute_command("LAB PROGRESS", "03-writing-a-stream", 2, 1, 1)
    alice.xadd("s", {"f": "v"})
    bob.execute_command("LAB PROGRESS", "03-writing-a-stream", 1, 0, 0)
    teacher_url = server.url("teacher", TEACHER_PASSWORD)
    done = dashboard(teacher_url, "--once", "--width", "110")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "2 students, 2 connected, 0 stuck" in out
    assert "03-writing-a-stream finished by: task 1: 1" in out
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
            for line in out.splitlines() if line.startswith("│")}
    assert rows["alice"][:6] == ["1", "03-writing-a-stream", "2", "1", "1", "xadd"]
    assert rows["bob"][:5] == ["1", "03-writing-a-stream", "1", "0", "0"]
    assert TEACHER_PASSWORD not in out
    # A student's URL shows the server picture of their own sandbox, not the class.
    student = dashboard(server.url("alice"), "--once", "--width", "110")
    assert student.returncode == 0 and "students" not in student.stdout
    assert "connections" in student.stdout
    page = tmp_path / "class.html"
    exported = dashboard(teacher_url, "--export", str(page), "--sort", "progress")
    assert exported.returncode == 0, exported.stderr
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert html.index("alice") < html.index("bob")   # furthest task first


def live_dashboard(server, interval: str, lines: int, **env: str) -> pexpect.spawn:
    """The live ``redis-lab dashboard`` as the teacher, in a ``lines`` x 110 pseudo-terminal."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm", COLUMNS="110", LINES=str(lines),
               **env)
    return pexpect.spawn(sys.executable, ["-m", "redis_lab", "dashboard",
                                          server.url("teacher", TEACHER_PASSWORD),
                                          "--interval", interval],
                         env=env, cwd=str(ROOT), dimensions=(lines, 110), encoding="utf-8",
                         timeout=30)


def test_live_class_table_in_a_pseudo_terminal(classroom_factory):
    server = classroom_factory()
    erin = server.as_user("erin")
    erin.execute_command("LAB PROGRESS", "01-pubsub-basics", 1, 0, 0)
    child = live_dashboard(server, "0.1", lines=30)
    try:
        child.expect("1 students, 1 connected")
        erin.execute_command("LAB PROGRESS", "01-pubsub-basics", 4, 2, 1)
        child.expect(r"01-pubsub-basics finished by: task 1: 1, task 2: 1, task 3: 1")
        erin.close()
        child.expect("1 students, 0 connected")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_teacher_looks_into_one_sandbox_read_only(classroom_factory):
    server = classroom_factory()
    gina = server.as_user("gina")
    gina.xgroup_create("orders", "billing", id="0", mkstream=True)
    gina.xadd("orders", {"n": "1"})
    gina.client_setname("gina-worker")
    server.as_user("hal").xadd("hal-only", {"n": "1"})
    teacher_url = server.url("teacher", TEACHER_PASSWORD)
    done = dashboard(teacher_url, "--once", "--width", "110", "--student", "gina")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "gina's sandbox (read-only)" in out and "1 connections" in out
    assert "gina-worker" in out and "orders" in out and "billing" in out
    assert "hal-only" not in out
    assert gina.xlen("orders") == 1 and gina.xinfo_groups("orders")[0]["pending"] == 0
    missing = dashboard(teacher_url, "--once", "--student", "nobody")
    assert missing.returncode == 1
    assert missing.stdout.strip() == \
        "redis-lab dashboard: cannot look into nobody's sandbox: ERR no such student 'nobody'"
    as_student = dashboard(server.url("gina"), "--once", "--student", "hal")
    assert as_student.returncode == 1 and "no permissions" in as_student.stdout


def test_live_table_keys_open_a_students_sandbox_and_come_back(classroom_factory):
    """Down moves the highlight, Enter opens that student's sandbox live (read-only), q and Esc
    go back to the table, s changes the sort, q on the table quits with status 0."""
    server = classroom_factory()
    ivy, jon = server.as_user("ivy"), server.as_user("jon")
    ivy.xadd("ivy-orders", {"n": "1"})
    jon.xgroup_create("jon-orders", "billing", id="0", mkstream=True)
    jon.xadd("jon-orders", {"n": "1"})
    jon.execute_command("LAB PROGRESS", "03-writing-a-stream", 2, 0, 0)
    child = live_dashboard(server, "0.2", lines=40, PROMPT_TOOLKIT_NO_CPR="1")
    try:
        child.expect("2 students, 2 connected")
        child.expect("> ivy")
        child.expect(r"Up/Down: choose · Enter: open the sandbox · s: sort \(by name\)")
        child.send("\x1b[B")                       # Down: jon
        child.expect("> jon")
        child.send("\r")                           # Enter
        child.expect(r"jon's sandbox \(read-only\)")
        child.expect("Esc or q: back to the class")
        assert "jon-orders" in child.before and "billing" in child.before
        assert "ivy-orders" not in child.before
        jon.xadd("jon-orders", {"n": "2"})          # live: the view follows the sandbox
        child.expect(r"entries-added (\x1b\[[0-9;]*m)*2")
        child.send("q")                            # back to the table, jon still chosen
        child.expect("> jon")
        child.expect("Up/Down: choose")
        child.send("\r")
        child.expect(r"jon's sandbox \(read-only\)")
        child.send("\x1b")                         # Esc: back too
        child.expect("2 students, 2 connected")
        child.send("s")                            # sort by progress: jon (task 2) first
        child.expect(r"s: sort \(by progress\)")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert jon.xlen("jon-orders") == 2 and jon.xinfo_groups("jon-orders")[0]["pending"] == 0

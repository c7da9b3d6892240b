"""A student's real shell on a classroom, in a pseudo-terminal: ``redis-lab --redis
redis://student:PASS@host:port lesson 3`` typed at as a learner would. The teacher's LAB ROOMS
follows: the task reached, a wrong try counted, then the next task after the right answer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shell"))
from _pty import Terminal  # noqa: E402

pexpect = pytest.importorskip("pexpect")


def progress(teacher, name: str) -> tuple:
    """(lesson, task, tries) of ``name`` in LAB ROOMS, once it has been reported."""
    deadline = time.monotonic() + 10
    while True:
        for row in teacher.execute_command("LAB ROOMS"):
            fields = dict(zip(row[::2], row[1::2]))
            if fields[b"name"] == name.encode() and fields[b"lesson"]:
                return fields[b"lesson"].decode(), fields[b"task"], fields[b"tries"]
        if time.monotonic() > deadline:
            return ()
        time.sleep(0.05)


def wait_for(teacher, name: str, wanted: tuple) -> tuple:
    """LAB ROOMS polled until it says ``wanted`` (the shell reports as it goes)."""
    deadline = time.monotonic() + 10
    seen = progress(teacher, name)
    while seen != wanted and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = progress(teacher, name)
    return seen


def test_the_students_shell_reports_progress_to_the_teacher(classroom_factory, tmp_path):
    server = classroom_factory()
    teacher = server.as_user("teacher")
    t = Terminal(tmp_path / "state", "--redis", server.url("ivy"), "lesson", "3",
                 cols=100, rows=40)
    try:
        t.expect("Lesson 3:", timeout=15)
        t.expect("default>")
        t.line("")
        t.expect("Task 1: your turn")
        assert wait_for(teacher, "ivy", ("03-writing-a-stream", 1, 0)) == \
            ("03-writing-a-stream", 1, 0)
        t.expect("default>")
        t.line("@app XADD notes * level error")   # the wrong stream
        t.expect("✗ Not yet")
        assert wait_for(teacher, "ivy", ("03-writing-a-stream", 1, 1)) == \
            ("03-writing-a-stream", 1, 1)
        t.expect("default>")
        t.line('@app XADD logs * level error msg "Disk 95% full"')
        t.expect("Well done")
        mark = t.pos
        for _ in range(10):              # Enter through the narration up to the next task
            t.expect("default>")
            if "Task 2: your turn" in t.text[mark:]:
                break
            t.line("")
        assert "Task 2: your turn" in t.text[mark:]
        assert wait_for(teacher, "ivy", ("03-writing-a-stream", 2, 0)) == \
            ("03-writing-a-stream", 2, 0)
        # The student's keys are in the student's sandbox only.
        assert teacher.execute_command("LAB PEEK", "ivy", "XLEN", "logs") >= 1
        assert server.as_user("someone-else").exists("logs") == 0
    finally:
        t.close()

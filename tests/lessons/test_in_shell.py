"""The course inside the shell: :lesson, judging after each line, hints, controls, progress,
and the front doors (`lessons --verify`, `lesson --export`, `demo --no-pause`)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redis_lab.cli import Settings, make_session
from redis_lab.session import render

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def shell_session():
    return make_session(Settings(virtual_clock=True), interactive=True)


def text_of(session, line: str) -> str:
    """What ``line`` printed, then Enter through the narration's pauses (test_tutor.py tests
    the pacing itself)."""
    out = "\n".join(render(p, 100) for p in session.run_line(line).printed)
    runner = session.course.get("runner")
    while runner is not None and runner.waiting:
        out += "\n" + "\n".join(render(p, 100) for p in session.run_line(":next").printed)
    return out


def test_a_learner_goes_through_lesson_1_with_a_wrong_try_and_a_hint(shell_session):
    s = shell_session
    start = text_of(s, ":lesson 1")
    assert "Lesson 1: Pub/Sub basics" in start and "Task 1: your turn" in start
    wrong = text_of(s, "@carol PUBLISH game:room2 hi")
    assert "(integer) 0" in wrong and "Not yet" in wrong and "hint:" in wrong
    hint = text_of(s, ":hint")
    assert "PUBLISH takes a channel and a message" in hint
    right = text_of(s, "@carol PUBLISH game:room1 hi")
    assert "Well done" in right and "Task 2: your turn" in right
    assert "Not yet" in text_of(s, "@carol PUBLISH game:room1 anyone?")
    assert "Task 3" in text_of(s, "@zoe PUBLISH game:room2 anyone?")  # any client will do
    progress = json.loads((Path(os.environ["XDG_DATA_HOME"]) / "redis-lab" / "progress.json")
                          .read_text())
    assert progress["01-pubsub-basics"]["tasks_done"] == 2
    assert "left lesson 1" in text_of(s, ":quit")
    assert text_of(s, "PING") == "PONG"


def test_meta_commands_do_not_count_as_wrong_tries_and_keep_the_last_reply(shell_session):
    s = shell_session
    text_of(s, ":lesson 1")
    assert text_of(s, ":clock").startswith("virtual clock")
    runner = s.course["runner"]
    assert runner.tries == 0
    text_of(s, "@carol PUBLISH game:room1 hi")
    assert runner.task_number(runner.task) == 2


def test_skip_back_restart_and_solution(shell_session):
    s = shell_session
    text_of(s, ":lesson 5")
    runner = s.course["runner"]
    assert "solution:" in text_of(s, ":solution")
    text_of(s, ":skip")
    assert runner.task_number(runner.task) == 2
    text_of(s, ":back")
    assert runner.task_number(runner.task) == 1
    text_of(s, ":restart")
    assert runner.task_number(runner.task) == 1 and runner.tries == 0


def test_controls_outside_a_lesson_explain_themselves(shell_session):
    assert "no lesson is running" in text_of(shell_session, ":hint")
    assert "no lesson" in text_of(shell_session, ":lesson 99")


def test_crash_and_repeat(shell_session):
    s = shell_session
    text_of(s, "XGROUP CREATE jobs g $ MKSTREAM")
    assert "(ran 150 times" in text_of(s, ":repeat 150 XADD jobs * f v")
    text_of(s, "@w1 XREADGROUP GROUP g w1 COUNT 3 STREAMS jobs >")
    assert "w1 crashed" in text_of(s, ":crash w1")
    assert "w1" not in s.engine.clients
    assert "3" in text_of(s, "XPENDING jobs g").split("\n")[0]
    assert "usage" in text_of(s, ":repeat lots PING")
    assert "no client named nobody" in text_of(s, ":crash nobody")


def test_clock_switches_between_wall_and_virtual(shell_session):
    s = shell_session
    assert "virtual clock: 2023-11-14 22:13:20.000 UTC" in text_of(s, ":clock")
    text_of(s, ":clock virtual 5000")
    assert text_of(s, "XADD s * a b") == '"5000-0"'
    assert text_of(s, ":clock wall").startswith("wall clock")
    assert not s.clock.virtual
    assert "usage" in text_of(s, ":clock sideways")


def test_an_unreadable_progress_file_is_kept_aside_with_a_warning(shell_session, tmp_path):
    path = Path(os.environ["XDG_DATA_HOME"]) / "redis-lab" / "progress.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    text = text_of(shell_session, ":lessons")
    assert "progress file" in text and "unreadable" in text
    assert (path.parent / "progress.json.unreadable").read_text() == "{not json"


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redis_lab", *args], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
                          capture_output=True, text=True, timeout=120)


def test_lessons_verify_exits_zero_and_names_every_lesson():
    proc = _cli("lessons", "--verify")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "14 lessons, 52 tasks" in proc.stdout and "; 0 problems" in proc.stdout
    assert "wrong answers rejected" in proc.stdout
    assert proc.stdout.count("    ok  ") == 14


def test_lessons_verify_fails_naming_a_broken_lesson(tmp_path):
    for path in (ROOT / "lessons").glob("0[12]-*.md"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "02-patterns-and-introspection.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("```solution\n", "```solution\nPING\n# ", 1),
                      encoding="utf-8")
    proc = _cli("lessons", "--verify", REDIS_LAB_LESSONS=str(tmp_path))
    assert proc.returncode == 1
    assert "    ok  01-pubsub-basics" in proc.stdout
    assert "FAILED  02-patterns-and-introspection" in proc.stdout
    assert f"{tmp_path.name}/02-patterns-and-introspection.md:" in proc.stdout


@pytest.mark.parametrize("suffix", ["md", "html", "svg"])
def test_lesson_export_writes_the_transcript(tmp_path, suffix):
    target = tmp_path / f"lesson1.{suffix}"
    proc = _cli("lesson", "1", "--export", str(target))
    assert proc.returncode == 0, proc.stderr
    text = target.read_text(encoding="utf-8")
    assert "PUBLISH" in text and ("Pub/Sub basics" in text or "Pub/Sub" in text)
    if suffix == "md":
        assert text == (ROOT / "tests/lessons/golden/01-pubsub-basics.md").read_text(encoding="utf-8")


def test_demo_autoplays_without_pausing_when_asked():
    from rich.console import Console

    from redis_lab.course.demo import DemoPresenter, run_demo
    from redis_lab.app import make_lesson_session
    from redis_lab.course.loader import load

    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    lesson = load(ROOT / "lessons" / "02-patterns-and-introspection.md")
    sleeps = []
    presenter = DemoPresenter(console, pause=False, sleep=sleeps.append)
    assert presenter.pause is False
    assert run_demo(lesson, make_lesson_session, console, speed=1000, pause=False)
    text = out.getvalue()
    assert "PSUBSCRIBE" in text and "Well done" in text and "press space" not in text


def test_lessons_reset_forgets_one_lesson_or_all(tmp_path):
    from redis_lab.course.progress import Progress

    progress = Progress()
    progress.record("01-pubsub-basics", 1, 3)
    progress.record("05-consumer-groups", 2, 4, skipped=True)
    proc = _cli("lessons", "--reset", "1")
    assert proc.returncode == 0 and "progress reset for lesson 1: Pub/Sub basics" in proc.stdout
    assert set(Progress().data) == {"05-consumer-groups"}
    listed = _cli("lessons").stdout
    assert "0/4 tasks, 1 skipped" in listed
    proc = _cli("lessons", "--reset")
    assert proc.returncode == 0 and "every lesson" in proc.stdout
    assert Progress().data == {}
    assert _cli("lessons", "--reset", "99").returncode == 1


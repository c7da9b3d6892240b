"""The course as a patient tutor, driven through the shell's session as a learner types.

Dead ends named in issue 12 are reproduced and recovered from (:retry, :skip, :undo); reading
commands are never graded wrong; a correct first half gets "Good"; feedback never shows a
Python repr; progress resumes at the first unfinished task and shows skipped tasks as skipped.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from redis_lab.app import make_session
from redis_lab.session import render
from redis_lab.settings import Settings

_REPR = re.compile(r"\[b?'|(?<!\w)b'|(?<!\w)b\"|\{'|<redis_lab")


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def s():
    return make_session(Settings(virtual_clock=True), interactive=True)


def say(session, line: str) -> str:
    text = "\n".join(render(p, 100) for p in session.run_line(line).printed)
    found = _REPR.search(text)
    assert not found, f"a Python repr ({found.group(0)}) reached the learner after {line!r}:\n{text}"
    return text


def until_task(session, out: str = "") -> str:
    """Press Enter through the narration until a task waits (the shell paces lessons)."""
    runner = session.course["runner"]
    while runner.waiting:
        out += "\n" + say(session, ":next")
    return out


def start(session, number: int) -> str:
    return until_task(session, say(session, f":lesson {number}"))


def task_of(session) -> int | None:
    runner = session.course["runner"]
    return runner.task_number(runner.task) if runner.task is not None else None


def test_lesson_5_group_created_at_dollar_is_a_dead_end_that_retry_and_skip_recover(s):
    start(s, 5)
    out = say(s, "XGROUP CREATE jobs workers $")
    assert "✗ Not yet" in out
    assert "cannot be finished" in out and ":retry" in out
    out = say(s, ":retry")
    assert "Back to the start of task 1" in out and "Task 1: your turn" in out
    out = until_task(s, say(s, "XGROUP CREATE jobs workers 0"))
    assert "Well done" in out and task_of(s) == 2
    # the same mistake, then :skip: it goes back to the task's start and applies the answer
    until_task(s, say(s, ":restart"))
    say(s, "XGROUP CREATE jobs workers $")
    out = until_task(s, say(s, ":skip"))
    assert "Skipping task 1" in out and "Skipped" in out and task_of(s) == 2


def test_lesson_11_claim_with_justid_is_detected_and_recovered(s):
    start(s, 11)
    until_task(s, say(s, ":skip"))
    until_task(s, say(s, ":skip"))
    assert task_of(s) == 3
    out = say(s, "@p2 XCLAIM payments processors p2 60000 1700000000000-0 1700000000000-1 JUSTID")
    assert "cannot be finished" in out and "delivered 1 time" in out
    say(s, ":retry")
    out = until_task(s, say(s, "@p2 XCLAIM payments processors p2 60000 1700000000000-0 "
                               "1700000000000-1"))
    assert "Well done" in out and task_of(s) == 4


def test_lesson_6_claiming_all_three_emails_is_rejected(s):
    start(s, 6)
    say(s, ":advance 30s")
    out = say(s, "@worker2 XAUTOCLAIM emails mailers worker2 60000 0-0")
    assert "✗ Not yet" in out and "worker2 has 3 pending entries" in out
    assert task_of(s) == 1
    say(s, ":undo")                       # takes back the XAUTOCLAIM, not the :advance
    out = until_task(s, say(s, "@worker2 XCLAIM emails mailers worker2 60000 1700000000000-0"))
    assert "Well done" in out and task_of(s) == 2


def test_lesson_8_a_blocked_auditor_is_told_and_recovered(s):
    start(s, 8)
    until_task(s, say(s, ":skip"))
    out = say(s, "@auditor XREAD BLOCK 0 STREAMS orders:log $")
    assert "blocked" in out and "waits forever" in out
    assert "cannot be finished" in out
    say(s, ":retry")
    out = say(s, "@auditor XREADGROUP GROUP audit auditor STREAMS orders:log >")
    assert "Well done" in out


def test_reading_is_never_wrong_and_costs_no_hint(s):
    start(s, 5)
    runner = s.course["runner"]
    out = say(s, "XINFO GROUPS jobs")
    assert "Not yet" not in out and runner.tries == 0 and runner.hints_shown == 0
    out = say(s, "XLEN jobs")
    assert "Not yet" not in out and runner.tries == 0


def test_inspection_that_is_the_task_is_graded(s):
    start(s, 7)
    until_task(s, say(s, ":skip"))
    out = say(s, "XRANGE orders - + COUNT 3")
    assert "✗ Not yet" in out and "from XINFO CONSUMERS" in out and "came from XRANGE" in out


def test_the_first_half_of_a_two_command_task_is_good_not_wrong(s):
    start(s, 13)
    out = say(s, "@admin SET product:42 '{\"name\":\"mug\",\"price\":10}'")
    assert "✓ Good. Next:" in out and "✗" not in out
    out = say(s, "@admin PUBLISH cache:invalidate:product product:42")
    assert "Well done" in out


def test_a_wrong_first_half_is_not_called_good(s):
    start(s, 3)
    out = say(s, "@app XADD logs * level error")
    assert "Good" not in out and "cannot be finished" in out


def test_two_wrong_tries_offer_retry(s):
    start(s, 1)
    first = say(s, "@carol PUBLISH game:room2 hi")
    assert "expected a reply of (integer) 2" in first and "Stuck?" not in first
    second = say(s, "@carol PUBLISH game:room2 hi")
    assert "Stuck? :retry" in second


def test_lesson_1_task_2_is_not_passed_by_a_zero_from_xlen(s):
    start(s, 1)
    until_task(s, say(s, ":skip"))
    out = say(s, "XLEN nothing")
    assert task_of(s) == 2 and "came from XLEN, not PUBLISH" in out


def test_undo_inside_a_task_and_not_past_its_start(s):
    start(s, 4)
    out = say(s, ":undo")
    assert "nothing to undo since this task began" in out
    say(s, "@app XADD logs * level info msg x")
    assert "undone" in say(s, ":undo")


def test_back_reprints_the_previous_task(s):
    start(s, 2)
    until_task(s, say(s, ":skip"))
    out = say(s, ":back")
    assert "User 42 logs in" in out and "Task 1: your turn" in out


def test_progress_resumes_at_the_first_unfinished_task_and_shows_skips(s, tmp_path):
    start(s, 8)
    say(s, "@shop PUBLISH orders:events \"order-1 paid\"")
    until_task(s, say(s, "@shop XADD orders:log * order 1 status paid"))
    until_task(s, say(s, ":skip"))
    assert task_of(s) == 3
    data = json.loads((tmp_path / "data" / "redis-lab" / "progress.json").read_text())
    assert data["08-pubsub-vs-streams"]["done"] == [1]
    assert data["08-pubsub-vs-streams"]["skipped"] == [2]
    listed = say(s, ":lessons")
    assert "1/3 tasks, 1 skipped" in listed
    again = make_session(Settings(virtual_clock=True), interactive=True)
    out = start(again, 8)
    assert "Welcome back: you are at task 3" in out and task_of(again) == 3
    until_task(again, say(again, ":restart"))
    assert task_of(again) == 1


def test_feedback_for_every_wrong_answer_is_in_words():
    """Every listed wrong answer, typed in the shell, gets feedback without a Python repr."""
    from redis_lab.course.loader import load_all

    lessons, _ = load_all()
    for lesson in lessons:
        session = make_session(Settings(virtual_clock=True), interactive=True)
        start(session, lesson.number)
        for number, step in enumerate(lesson.tasks, 1):
            for wrong in step.wrong:
                for _, line in wrong:
                    say(session, line)
                say(session, ":retry")
            until_task(session, say(session, ":skip"))


def test_the_shell_paces_the_narration_and_redraws_only_changed_views(s):
    out = say(s, ":lesson 5")
    assert "Enter (or :next) to go on" in out and "Task 1" not in out
    runner = s.course["runner"]
    assert runner.waiting and runner.task is None
    assert "Not yet" not in say(s, "XLEN jobs")       # typing while paused is not graded
    out = say(s, ":next")
    assert "Task 1: your turn" in out
    assert "[1] PEL jobs › workers" not in out        # nothing changed since it was drawn


def test_scripts_and_verify_are_not_paced():
    session = make_session(Settings(virtual_clock=True), interactive=False)
    out = "\n".join(render(p, 100) for p in session.run_line(":lesson 5").printed)
    assert "Task 1: your turn" in out and "Enter (or :next)" not in out


@pytest.mark.parametrize("number", range(1, 15))
def test_the_first_task_comes_within_three_screens_of_100x40(number):
    session = make_session(Settings(virtual_clock=True), interactive=True)
    text = "\n".join(render(p, 100) for p in session.run_line(f":lesson {number}").printed)
    runner = session.course["runner"]
    while runner.waiting:
        text += "\n" + "\n".join(render(p, 100) for p in session.run_line(":next").printed)
    assert runner.task is not None and runner.task_number(runner.task) == 1
    assert text.count("\n") + 1 <= 3 * 40


def test_undo_never_takes_back_the_lessons_own_commands(s):
    start(s, 8)
    say(s, '@shop PUBLISH orders:events "order-1 paid"')
    out = say(s, "@shop XADD orders:log * order 1 status paid")
    assert "Well done" in out and s.course["runner"].waiting
    assert "nothing to undo" in say(s, ":undo")      # neither the narration nor task 1
    until_task(s)
    out = until_task(s, say(s, "@auditor XREADGROUP GROUP audit auditor STREAMS orders:log >"))
    assert "Well done" in out


def test_scripts_keep_no_undo_history_but_snapshots_work():
    session = make_session(Settings(virtual_clock=True), interactive=False)
    session.run_line("XADD s * a 1")
    assert "scripts keep no undo history" in say(session, ":undo")
    say(session, ":snapshot one")
    session.run_line("XADD s * a 2")
    say(session, ":restore one")
    assert say(session, "XLEN s") == "(integer) 1"

"""The course itself: every lesson loads, its reference answers pass, its wrong answers fail,
and its replay matches the reviewed golden transcript."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from redis_lab.course.loader import load_all
from redis_lab.course.present import export
from redis_lab.course.runner import verify

from lessonkit import make_session

GOLDEN = Path(__file__).parent / "golden"
LESSONS, PROBLEMS = load_all()


def test_every_lesson_file_loads():
    assert PROBLEMS == []
    assert len(LESSONS) >= 13
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_every_task_has_a_wrong_answer_to_reject():
    for lesson in LESSONS:
        for step in lesson.tasks:
            assert step.wrong, f"{lesson.path}:{step.line}: task without a ```wrong block"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_reference_solutions_pass_and_wrong_answers_fail(lesson):
    assert verify(lesson, make_session) == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_transcript_matches_golden(lesson):
    text = export(lesson, make_session, "md")
    golden = GOLDEN / f"{lesson.name}.md"
    if os.environ.get("REDIS_LAB_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden transcript for {lesson.name}: review and create it"
    assert text == golden.read_text(encoding="utf-8")

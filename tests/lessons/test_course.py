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
    assert len(LESSONS) >= 14
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_every_task_has_two_wrong_answers_to_reject():
    for lesson in LESSONS:
        for step in lesson.tasks:
            assert len(step.wrong) >= 2, f"{lesson.path}:{step.line}: fewer than two ```wrong blocks"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_reference_solutions_pass_and_wrong_answers_fail_and_recover(lesson):
    problems, counts = verify(lesson, make_session)
    assert problems == []
    assert counts["tasks"] == len(lesson.tasks)
    assert counts["wrong"] == sum(len(step.wrong) for step in lesson.tasks)
    assert counts["recovered"] == counts["wrong"]


def test_verify_reports_a_wrong_answer_that_passes_and_one_too_few(tmp_path):
    from redis_lab.course.loader import parse

    lesson = parse("""---
title: t
summary: s
---
## Add an entry
```check
stream s length >= 1
```
```solution
XADD s * f v
```
```wrong
XADD s * f w
```
""", "99-t", "lessons/99-t.md")
    problems, counts = verify(lesson, make_session)
    assert any("the wrong answer passes task 1" in p for p in problems)
    assert any("lists 1 wrong answers (at least 2 are needed)" in p for p in problems)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_transcript_matches_golden(lesson):
    text = export(lesson, make_session, "md")
    golden = GOLDEN / f"{lesson.name}.md"
    if os.environ.get("REDIS_LAB_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden transcript for {lesson.name}: review and create it"
    assert text == golden.read_text(encoding="utf-8")

"""Lesson files: the format's errors point at the file and line, and checks judge results."""

from __future__ import annotations

from pathlib import Path

import pytest

from redis_lab.course.loader import LessonError, load_all, parse
from redis_lab.course.runner import LessonRunner

from lessonkit import make_session

GOOD = """---
title: T
summary: S
---
Intro.

## Add one

```check
stream s length 1
```

```solution
XADD s * f v
```
"""


def test_a_minimal_lesson_parses():
    lesson = parse(GOOD, "99-t", "lessons/99-t.md")
    assert lesson.title == "T" and len(lesson.tasks) == 1 and lesson.number == 99


@pytest.mark.parametrize("text, line, message", [
    ("title: T\n", 1, "front matter"),
    ("---\ntitle: T\n---\n## x\n", 1, "needs 'summary:'"),
    ("---\ntitle: T\nsummary: S\ncolour: red\n---\n", 4, "unknown front-matter line"),
    (GOOD.replace("stream s length 1", "stream s size 1"), 10, "use: stream KEY"),
    (GOOD.replace("stream s length 1", "frobnicate s"), 10, "unknown check 'frobnicate'"),
    (GOOD.replace("XADD s * f v", 'XADD s * f "v'), 14, "Invalid argument(s)"),
    (GOOD.replace("```solution\nXADD s * f v\n```\n", ""), 7, "has checks but no ```solution"),
    (GOOD + "\n```redis\nPING\n", 17, "never closed"),
    ("---\ntitle: T\nsummary: S\n---\n```redis\nPING\n```\n", 5, "before the first '## ' step"),
])
def test_broken_lessons_name_file_and_line(text, line, message):
    with pytest.raises(LessonError) as info:
        parse(text, "99-bad", "lessons/99-bad.md")
    assert str(info.value).startswith(f"lessons/99-bad.md:{line}: ")
    assert message in str(info.value)


def test_one_broken_file_does_not_hide_the_others(tmp_path: Path):
    (tmp_path / "01-good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "02-bad.md").write_text("no front matter\n", encoding="utf-8")
    lessons, problems = load_all(tmp_path)
    assert [lesson.name for lesson in lessons] == ["01-good"]
    assert [str(p) for p in problems] == [f"{tmp_path.name}/02-bad.md:1: a lesson starts with "
                                          "front matter: a '---' line, 'title: ...', "
                                          "'summary: ...', and '---'"]


def test_any_command_sequence_reaching_the_goal_passes():
    lesson = parse(GOOD, "99-t", "lessons/99-t.md")
    events = []
    runner = LessonRunner(lesson, make_session(), lambda *e: events.append(e[0]))
    runner.start()
    assert runner.task is not None
    assert not runner.after_learner_line(runner.run_line("XADD other * f v"))
    assert events[-1] == "not-yet"
    assert runner.after_learner_line(runner.run_line("XADD s 5-1 a b"))
    assert runner.finished and events[-2:] == ["passed", "done"]

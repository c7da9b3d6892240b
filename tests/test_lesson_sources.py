"""Where lessons come from: the packaged course, $REDIS_LAB_LESSONS, or one file named anywhere.

Run as a learner or a teacher runs it (``python -m redis_lab ...`` in a subprocess, stdin not a
terminal, so ``lesson`` reads the typed lines from stdin).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from redis_lab.course.loader import NoLessonsError, lessons_dir, load_all

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.timeout(60)  # a few redis-lab runs of ~0.5 s each

TEACHER_LESSON = """\
---
title: A teacher's own lesson
summary: One key, set and read back.
---
Written outside the course, kept anywhere.

## Set a greeting

Set the key `greeting` to `hello`.

```check
key greeting value hello
```

```hint
`SET key value`
```

```solution
SET greeting hello
```

```wrong
SET greeting bye
```

```wrong
SET salutation hello
```
"""


def _cli(*args: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "REDIS_LAB_LESSONS"}
    full.update(PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(cwd / "state"),
                XDG_DATA_HOME=str(cwd / "data"), **env)
    return subprocess.run([sys.executable, "-m", "redis_lab", *args], cwd=cwd, env=full,
                          input=stdin, capture_output=True, text=True, timeout=60, check=False)


def test_the_course_is_read_from_the_package():
    folder = lessons_dir()
    assert Path(str(folder)) == ROOT / "redis_lab" / "lessons"
    lessons, problems = load_all()
    assert problems == []
    assert [lesson.number for lesson in lessons] == list(range(1, 15))
    assert lessons[0].path == "lessons/01-pubsub-basics.md"


def test_lessons_fails_clearly_when_no_lesson_can_be_loaded(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "missing"):
        for args in (("lessons",), ("lessons", "--verify")):
            done = _cli(*args, cwd=tmp_path, REDIS_LAB_LESSONS=str(folder))
            assert done.returncode == 1, (args, done.stdout, done.stderr)
            text = done.stdout + done.stderr
            assert f"no lessons in {folder}: " in text, text
            assert "set REDIS_LAB_LESSONS to a folder of lesson .md files" in text, text
            assert "Traceback" not in text


def test_a_folder_of_broken_lessons_is_no_course(tmp_path):
    (tmp_path / "01-broken.md").write_text("no front matter\n")
    lessons, problems = load_all(tmp_path)
    assert lessons == []
    assert str(problems[0]).startswith(f"{tmp_path.name}/01-broken.md:1: a lesson starts with")
    assert isinstance(problems[-1], NoLessonsError)
    assert "1 lesson file(s), none loadable" in str(problems[-1])


def test_a_teachers_lesson_file_runs_from_anywhere(tmp_path):
    elsewhere = tmp_path / "class" / "week1"
    elsewhere.mkdir(parents=True)
    (elsewhere / "greeting.md").write_text(TEACHER_LESSON)
    # by absolute path, from an unrelated directory
    done = _cli("lesson", str(elsewhere / "greeting.md"), cwd=tmp_path,
                stdin="SET greeting bye\nSET greeting hello\n")
    assert done.returncode == 0, done.stderr
    assert "Lesson 0: A teacher's own lesson" in done.stdout
    assert "Well done!" in done.stdout and "Lesson complete." in done.stdout
    assert done.stdout.index("Not yet") < done.stdout.index("Well done!")  # the wrong try first
    # by relative path
    done = _cli("lesson", "week1/greeting.md", cwd=tmp_path / "class",
                stdin="SET greeting hello\n")
    assert done.returncode == 0, done.stderr
    assert "Lesson complete." in done.stdout


def test_a_broken_lesson_file_is_reported_with_its_line(tmp_path):
    (tmp_path / "mine.md").write_text(TEACHER_LESSON.replace("```solution", "```solutoin"))
    done = _cli("lesson", "mine.md", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{tmp_path.name}/mine.md:" in done.stderr
    assert "no lesson 'mine.md'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_teachers_lessons_folder_verifies(tmp_path):
    (tmp_path / "01-greeting.md").write_text(TEACHER_LESSON)
    done = _cli("lessons", "--verify", cwd=tmp_path, REDIS_LAB_LESSONS=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^1 lessons, .*\b0 problems$", done.stdout, flags=re.M), done.stdout

"""Every lesson fits an 80-column terminal: its diagrams, tables and views, as the shell prints
them during the reference replay (rich crops what does not fit, so the diagrams' own lines are
also checked to come out whole)."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from redis_lab.course.loader import load_all
from redis_lab.course.present import RichPresenter
from redis_lab.course.runner import LessonRunner

from lessonkit import make_session

LESSONS, _ = load_all()
_FENCE = re.compile(r"^```\s*([A-Za-z-]*)\s*$")


def _diagram_lines(lesson) -> list[str]:
    """Lines of the narration's own fenced blocks (```text and the like)."""
    lines, kind = [], None
    for line in _source(lesson).split("\n"):
        fence = _FENCE.match(line)
        if fence:
            kind = (fence.group(1) or "plain") if kind is None else None
            continue
        if kind not in (None, "redis", "check", "hint", "solution", "wrong") and line.strip():
            lines.append(line.rstrip())
    return lines


def _source(lesson) -> str:
    from redis_lab.course.loader import lessons_dir

    return (lessons_dir() / f"{lesson.name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_the_reference_replay_fits_80_columns(lesson):
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None, force_terminal=False,
                      legacy_windows=False, _environ={})
    runner = LessonRunner(lesson, make_session(), RichPresenter(console))
    runner.start()
    while runner.task is not None:
        assert runner.solve()
    text = out.getvalue()
    wide = [line for line in text.split("\n") if cell_len(line) > 80]
    assert wide == []
    printed = {line.strip() for line in text.split("\n")}
    for line in _diagram_lines(lesson):
        assert line.strip() in printed, f"{lesson.name}: cropped at 80 columns: {line!r}"

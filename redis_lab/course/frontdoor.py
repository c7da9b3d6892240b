"""What `redis-lab lessons`, `lesson` and `demo` do, apart from click's option parsing."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO


def make_lesson_session():
    """A non-interactive session as scripts get it (meta-commands and views available)."""
    from ..cli import Settings, make_session

    return make_session(Settings(virtual_clock=True), interactive=False)


def list_lessons(out: TextIO) -> int:
    from .loader import load_all
    from .progress import Progress

    lessons, problems = load_all()
    progress = Progress()
    for lesson in lessons:
        out.write(f"{lesson.number:>3}. {lesson.title:<42} "
                  f"{progress.status(lesson.name, len(lesson.tasks))}\n")
    out.write("\nStart one: redis-lab lesson N   Classroom autoplay: redis-lab demo N\n")
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if progress.warning:
        sys.stderr.write(progress.warning + "\n")
    return 1 if problems else 0


def verify_lessons(out: TextIO) -> int:
    """Replay every lesson's reference answers; check wrong answers are rejected."""
    from .loader import load_all
    from .runner import verify

    lessons, problems = load_all()
    failed = [str(p) for p in problems]
    for lesson in lessons:
        start = time.perf_counter()
        found = verify(lesson, make_lesson_session)
        took = time.perf_counter() - start
        steps, tasks = len(lesson.steps), len(lesson.tasks)
        status = "ok" if not found else "FAILED"
        out.write(f"{status:>6}  {lesson.name:<36} {steps:>2} steps {tasks:>2} tasks "
                  f"{took:6.2f} s\n")
        failed.extend(found)
    for problem in failed:
        out.write(f"{problem}\n")
    out.write(f"{len(lessons)} lessons, {len(failed)} problems\n")
    return 1 if failed else 0


def export_lesson(lesson, path: str, width: int | None) -> None:
    from .present import export

    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "svg": "svg"}.get(suffix)
    if fmt is None:
        raise ValueError(f"cannot export to {path}: use a .md, .html or .svg file name")
    text = export(lesson, make_lesson_session, fmt, width=width or 100)
    Path(path).write_text(text, encoding="utf-8")


def demo(lesson, *, speed: float, pause: bool, width: int | None, color: bool | None) -> int:
    from rich.console import Console

    from .demo import run_demo

    console = Console(width=width, no_color=color is False, highlight=False)
    return 0 if run_demo(lesson, make_lesson_session, console, speed=speed, pause=pause) else 1

"""What `redis-lab lessons`, `lesson` and `demo` do, apart from click's option parsing.

Sessions come from a factory the composition root (``redis_lab.app``) hands in, so that the
course never imports upwards and the same functions run on the embedded engine or on the real
Redis that ``--redis URL`` names.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..session import Session

SessionFactory = Callable[[], Session]


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


def reset_progress(out: TextIO, which: str | None) -> int:
    """``lessons --reset [N]``: forget the progress of lesson N, or of every lesson."""
    from .loader import load_all
    from .progress import Progress

    progress = Progress()
    if which is None:
        gone = progress.reset()
        out.write(f"progress reset for every lesson ({len(gone)} had some)\n")
        return 0
    lessons, _ = load_all()
    wanted = which.strip().lower().removesuffix(".md")
    match = [lesson for lesson in lessons
             if (wanted.isdigit() and lesson.number == int(wanted)) or lesson.name == wanted]
    if not match:
        out.write(f"no lesson {which!r}: `redis-lab lessons` lists them\n")
        return 1
    lesson = match[0]
    progress.reset(lesson.name)
    out.write(f"progress reset for lesson {lesson.number}: {lesson.title}\n")
    return 0


def verify_lessons(out: TextIO, make_session: SessionFactory) -> int:
    """Replay every lesson's reference answers; check wrong answers are rejected."""
    from .loader import load_all
    from .runner import verify

    lessons, problems = load_all()
    failed = [str(p) for p in problems]
    totals = {"tasks": 0, "wrong": 0, "recovered": 0}
    for lesson in lessons:
        start = time.perf_counter()
        found, counts = verify(lesson, make_session)
        took = time.perf_counter() - start
        status = "ok" if not found else "FAILED"
        out.write(f"{status:>6}  {lesson.name:<34} {counts['tasks']:>2} tasks "
                  f"{counts['wrong']:>3} wrong answers rejected "
                  f"{counts['recovered']:>3} recovered {took:6.2f} s\n")
        for key in totals:
            totals[key] += counts[key]
        failed.extend(found)
    for problem in failed:
        out.write(f"{problem}\n")
    out.write(f"{len(lessons)} lessons, {totals['tasks']} tasks, {totals['wrong']} wrong answers "
              f"rejected, {totals['recovered']} recovered with :retry and the solution; "
              f"{len(failed)} problems\n")
    return 1 if failed else 0


def verify_on_server(out: TextIO, make_session: SessionFactory) -> int:
    """On a real Redis (``--redis URL lessons --verify``): every lesson's reference answers,
    played in a clean database, must pass every task.

    Wrong answers are judged on the embedded engine (``lessons --verify`` without ``--redis``):
    replaying one from the task's start needs the state saved and restored, which only the
    embedded engine can do.
    """
    from .loader import load_all
    from .runner import LessonRunner

    lessons, problems = load_all()
    failed = [str(p) for p in problems]
    skipped = []
    for lesson in lessons:
        start = time.perf_counter()
        session = make_session()
        if cluster_refusal(lesson, session) is not None:
            skipped.append(lesson.name)
            out.write(f"{'skip':>6}  {lesson.name:<34} needs a cluster (this server is "
                      "standalone)\n")
            continue
        runner = LessonRunner(lesson, session)
        runner.start()
        found = []
        while runner.task is not None:
            step = runner.task
            number = runner.task_number(step)
            if not runner.solve():
                detail = "; ".join(f"{text} ({seen})" for text, seen in runner.failing())
                found.append(f"{lesson.path}:{step.line}: on the server the solution does not "
                             f"pass task {number} '{step.title}': {detail}")
                break
        took = time.perf_counter() - start
        status = "ok" if not found else "FAILED"
        out.write(f"{status:>6}  {lesson.name:<34} {len(lesson.tasks):>2} tasks {took:6.2f} s\n")
        failed.extend(found)
    for problem in failed:
        out.write(f"{problem}\n")
    out.write(f"{len(lessons) - len(skipped)} lessons played on the server, {len(failed)} "
              f"problems" + (f"; skipped {', '.join(skipped)}: it needs --redis URL "
                             "--cluster on a cluster, or the embedded engine's :cluster 3"
                             if skipped else "") + "\n")
    return 1 if failed else 0


def needs_cluster(lesson) -> bool:
    """A lesson that runs ``:cluster N`` plays on the embedded engine (which emulates the
    cluster) or on a real cluster, not on a real standalone server."""
    return any(text.split()[:1] == [":cluster"] for step in lesson.steps
               for _, text in step.commands)


def cluster_refusal(lesson, session: Session) -> str | None:
    """Why ``lesson`` cannot play on ``session`` (a real standalone server), or None."""
    backend = session.backend
    if not needs_cluster(lesson) or backend.cluster \
            or getattr(backend, "emulate_cluster", None) is not None:
        return None
    return (f"lesson {lesson.number} needs a cluster, and {session.location} is a standalone "
            "server: start redis-lab with --redis URL --cluster on a cluster, or without "
            "--redis (:cluster 3 emulates one)")


def export_lesson(lesson, path: str, width: int | None, make_session: SessionFactory) -> None:
    """``lesson N --export PATH``: a transcript (.md, .html, .svg), slides (a folder: one SVG
    per step and index.html) or an asciinema recording (.cast)."""
    from .present import export

    if path.endswith(("/", "\\")) or Path(path).is_dir():
        from .exports import slides

        slides(lesson, make_session, Path(path), width=width or 100)
        return
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "cast":
        from .exports import cast

        Path(path).write_text(cast(lesson, make_session, width=width or 100), encoding="utf-8")
        return
    fmt = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "svg": "svg"}.get(suffix)
    if fmt is None:
        raise ValueError(f"cannot export to {path}: use a .md, .html, .svg or .cast file name, "
                         "or a folder ending in / for slides")
    text = export(lesson, make_session, fmt, width=width or 100)
    Path(path).write_text(text, encoding="utf-8")


def demo(lesson, make_session: SessionFactory, *, speed: float, pause: bool, width: int | None,
         color: bool, start: int = 1, theme: str = "dark", screen_reader: bool = False) -> int:
    from rich.console import Console

    from .demo import run_demo

    session = make_session()   # checked here, then the demo's first session
    refusal = cluster_refusal(lesson, session)
    if refusal is not None:
        sys.stderr.write(f"redis-lab: {refusal}\n")
        return 1
    unused = [session]

    def sessions() -> Session:
        return unused.pop() if unused else make_session()

    console = Console(width=width, no_color=not color, highlight=False)
    return 0 if run_demo(lesson, sessions, console, speed=speed, pause=pause,
                         start=start, theme=theme, screen_reader=screen_reader) else 1

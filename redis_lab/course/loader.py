"""Read lesson files: Markdown a teacher can write and GitHub can show.

    ---
    title: Pub/Sub basics
    summary: One message, many listeners, no memory.
    requires: 01-pubsub-basics
    views: :watch fanout
    ---
    Introduction (Markdown) ...

    ## A step's title
    Narration (Markdown) ...
    ```redis            commands run for the learner (``@alice SUBSCRIBE x``, ``:advance 65s``)
    ```check            makes the step a task: one check per line (see checks.py)
    ```hint             shown after a wrong try, one block per hint
    ```solution         the reference answer (``:solution``, ``:skip``, ``--verify``)
    ```wrong            a plausible mistake that the checks must reject (tested)

Every problem is reported as ``lessons/NAME.md:LINE: what is wrong``; one broken file does not
stop the others from loading.

Where lessons come from: ``$REDIS_LAB_LESSONS`` (a folder) when set, else the course inside the
installed package (``redis_lab/lessons``, read with importlib.resources; in the source tree it
is a symlink to the top-level ``lessons/`` folder where lessons are written). A single file
named on the command line (``redis-lab lesson my-lesson.md``) is loaded from wherever it is.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ..session import parse_line
from .checks import CheckSyntaxError, parse_check
from .model import Block, Lesson, Step

BLOCK_KINDS = ("redis", "check", "hint", "solution", "wrong")
_FENCE = re.compile(r"^```\s*([A-Za-z-]*)\s*$")
_NUMBER = re.compile(r"^(\d+)")


class LessonError(Exception):
    """A problem in a lesson file, located."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


#: A folder of lesson files to use instead of the course that ships with the package.
LESSONS_ENV = "REDIS_LAB_LESSONS"


class NoLessonsError(LessonError):
    """Not one lesson could be found: the folder is missing, unreadable or holds no lessons."""

    def __init__(self, folder, reason: str) -> None:
        Exception.__init__(self, f"no lessons in {folder}: {reason}")
        self.path, self.line, self.message = str(folder), 0, reason


def lessons_dir() -> Traversable:
    """The course's folder: ``$REDIS_LAB_LESSONS`` if set, else the package's own lessons."""
    override = os.environ.get(LESSONS_ENV)
    if override:
        return Path(override)
    return files("redis_lab") / "lessons"


def lesson_file(name: str) -> Path | None:
    """``name`` as a lesson file anywhere on disk (``./my-lesson.md``), or None if it is not one.

    Only names ending in ``.md`` that exist as files count, so ``5`` or ``05-consumer-groups``
    still mean the course's lessons.
    """
    path = Path(name).expanduser()
    return path.resolve() if name.lower().endswith(".md") and path.is_file() else None


def shown_path(path: Traversable) -> str:
    parent = getattr(path, "parent", None)
    return f"{parent.name}/{path.name}" if parent is not None else path.name


def _lesson_files(folder: Traversable) -> list[Traversable]:
    """The folder's ``*.md`` files but its README, in file-name order; raises OSError."""
    return sorted((entry for entry in folder.iterdir()
                   if entry.name.endswith(".md") and entry.name.lower() != "readme.md"
                   and entry.is_file()),
                  key=lambda entry: entry.name)


def load_all(folder: Traversable | None = None) -> tuple[list[Lesson], list[LessonError]]:
    """Every lesson in the folder, in file-name order, and the errors of those that failed.

    When no lesson at all can be loaded the problems say so (a :class:`NoLessonsError` naming
    the folder and ``$REDIS_LAB_LESSONS``), so callers never mistake it for an empty course.
    """
    folder = folder or lessons_dir()
    hint = f"set {LESSONS_ENV} to a folder of lesson .md files, or reinstall redis-lab"
    try:
        paths = _lesson_files(folder)
    except OSError as exc:
        return [], [NoLessonsError(folder, f"cannot read the folder ({exc.strerror}); {hint}")]
    lessons, problems = [], []
    for path in paths:
        try:
            lessons.append(load(path))
        except LessonError as exc:
            problems.append(exc)
    if not lessons:
        found = f"{len(paths)} lesson file(s), none loadable" if paths else "no lesson files"
        problems.append(NoLessonsError(folder, f"{found}; {hint}"))
    known = {lesson.name for lesson in lessons}
    for lesson in lessons:
        for needed in lesson.requires:
            if needed not in known:
                problems.append(LessonError(lesson.path, 1, f"requires unknown lesson {needed!r}"))
    return lessons, problems


def load(path: Traversable) -> Lesson:
    """One lesson file; raises LessonError (located) when it cannot be read or is malformed."""
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LessonError(shown, 1, f"cannot read: {exc}") from None
    return parse(text, path.stem, shown)


def parse(text: str, name: str, shown: str) -> Lesson:
    lines = text.split("\n")
    meta, body_start = _front_matter(lines, shown)
    for required in ("title", "summary"):
        if not meta.get(required):
            raise LessonError(shown, 1, f"front matter needs '{required}:'")
    number = _NUMBER.match(name)
    lesson = Lesson(
        name=name, path=shown, number=int(number.group(1)) if number else 0,
        title=meta["title"], summary=meta["summary"],
        requires=[w for w in re.split(r"[,\s]+", meta.get("requires", "")) if w],
        views=[v.strip() for v in meta.get("views", "").split(";") if v.strip()],
    )
    if meta.get("clock"):
        try:
            lesson.clock = int(meta["clock"])
        except ValueError:
            raise LessonError(shown, meta["_lines"]["clock"], "clock must be milliseconds") from None
    for view in lesson.views:
        if not view.startswith(":"):
            raise LessonError(shown, meta["_lines"]["views"],
                              f"views are meta-commands such as ':watch fanout', got {view!r}")
    step: Step | None = None
    intro: list[str] = []
    narration: list[str] = []
    i = body_start
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        fence = _FENCE.match(raw)
        if raw.startswith("## "):
            if step is not None:
                _finish(step, narration, shown)
            step = Step(title=raw[3:].strip(), line=lineno)
            narration = []
            lesson.steps.append(step)
        elif fence and fence.group(1):
            kind = fence.group(1).lower()
            block = Block(kind)
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                if lines[j].strip() and not lines[j].lstrip().startswith("#"):
                    block.lines.append((j + 1, lines[j]))
                j += 1
            if j == len(lines):
                raise LessonError(shown, lineno, f"```{kind} block is never closed")
            if kind not in BLOCK_KINDS:
                # Any other fenced block (```text, ```bash ...) is part of the narration.
                (narration if step else intro).extend(lines[i:j + 1])
            elif step is None:
                raise LessonError(shown, lineno, f"```{kind} block before the first '## ' step")
            else:
                if block.kind == "redis":
                    _flush_text(step, narration)
                _add_block(step, block, shown, lineno)
            i = j
        else:
            (narration if step is not None else intro).append(raw)
        i += 1
    if step is not None:
        _finish(step, narration, shown)
    if not lesson.steps:
        raise LessonError(shown, body_start + 1, "a lesson needs at least one '## ' step")
    lesson.intro = "\n".join(intro).strip()
    return lesson


def _front_matter(lines: list[str], shown: str) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        raise LessonError(shown, 1, "a lesson starts with front matter: a '---' line, "
                                    "'title: ...', 'summary: ...', and '---'")
    meta: dict = {"_lines": {}}
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            return meta, i + 1
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in ("title", "summary", "requires", "views", "clock"):
            raise LessonError(shown, i + 1, f"unknown front-matter line {line.strip()!r} "
                                            "(known: title, summary, requires, views, clock)")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]  # YAML-style quoting, so GitHub renders the front matter too
        meta[key] = value
        meta["_lines"][key] = i + 1
    raise LessonError(shown, 1, "front matter is never closed with '---'")


def _check_command_lines(lines: list[tuple[int, str]], shown: str) -> None:
    for lineno, text in lines:
        parsed = parse_line(text)
        if parsed.kind == "invalid":
            raise LessonError(shown, lineno, parsed.error)


def _add_block(step: Step, block: Block, shown: str, lineno: int) -> None:
    if block.kind == "redis":
        _check_command_lines(block.lines, shown)
        step.commands.extend(block.lines)
        step.parts.append(("redis", block.lines))
    elif block.kind == "check":
        if not block.lines:
            raise LessonError(shown, lineno, "empty ```check block")
        for line, text in block.lines:
            try:
                step.checks.append(parse_check(text, line))
            except CheckSyntaxError as exc:
                raise LessonError(shown, line, str(exc)) from None
    elif block.kind == "hint":
        step.hints.append(block.text.strip())
    elif block.kind == "solution":
        if step.solution:
            raise LessonError(shown, lineno, "a step has one ```solution block")
        _check_command_lines(block.lines, shown)
        step.solution = block.lines
    elif block.kind == "wrong":
        _check_command_lines(block.lines, shown)
        step.wrong.append(block.lines)


def _flush_text(step: Step, narration: list[str]) -> None:
    text = "\n".join(narration).strip()
    if text:
        step.parts.append(("text", text))
    narration.clear()


def _finish(step: Step, narration: list[str], shown: str) -> None:
    _flush_text(step, narration)
    if step.is_task and not step.solution:
        raise LessonError(shown, step.line, f"task '{step.title}' has checks but no ```solution")
    if not step.is_task and (step.hints or step.solution or step.wrong):
        raise LessonError(shown, step.line,
                          f"step '{step.title}' has hints or a solution but no ```check block")

"""The course in the shell: :lesson and :lessons, the in-lesson controls, :crash and :repeat.

While a lesson runs, every line the learner types is judged against the current task (through
the session's after-command and after-meta hooks) and the lesson's narration, feedback and
views print after the reply. ``:quit`` inside a lesson leaves the lesson, not the shell.
"""

from __future__ import annotations

from ..session import Printed, Session, parse_line
from . import help as help_mod
from .meta import META, MetaError, meta_command


def _state(session: Session) -> dict:
    return session.course


def _runner(session: Session):
    return _state(session).get("runner")


def _lessons():
    from ..course.loader import load_all

    return load_all()


def find_lesson(name: str):
    """A lesson by number (``5``), file name (``05-consumer-groups``), a unique prefix, or the
    path of a lesson file anywhere on disk (a teacher's own ``my-lesson.md``)."""
    from ..course.loader import LessonError, lesson_file, load

    path = lesson_file(name.strip())
    if path is not None:
        try:
            return load(path), []
        except LessonError as exc:
            return None, [exc]
    lessons, problems = _lessons()
    wanted = name.strip().lower().removesuffix(".md")
    for lesson in lessons:
        if wanted.isdigit() and lesson.number == int(wanted):
            return lesson, problems
        if lesson.name.lower() == wanted:
            return lesson, problems
    matches = [lesson for lesson in lessons
               if wanted in lesson.name.lower() or wanted in lesson.title.lower()]
    return (matches[0] if len(matches) == 1 else None), problems


def _as_printed(renderables: list) -> list[Printed]:
    return [Printed("view", "", renderable=r) for r in renderables]


def _collected(session: Session) -> list[Printed]:
    presenter = _state(session).get("presenter")
    return _as_printed(presenter.take()) if presenter is not None else []


def _progress(session: Session):
    from ..course.progress import Progress

    state = _state(session)
    progress = state.get("progress")
    if progress is None:
        progress = state["progress"] = Progress()
    return progress


def _record_progress(session: Session, lesson, task: int, skipped: bool = False) -> None:
    state = _state(session)
    progress = _progress(session)
    progress.record(lesson.name, task, len(lesson.tasks), skipped=skipped)
    if progress.warning:
        state.setdefault("warnings", []).append(progress.warning)
        progress.warning = None


def start_lesson(session: Session, lesson, resume_ok: bool = True) -> list[Printed]:
    """Start ``lesson``, or resume it at its first unfinished task (progress file)."""
    from ..course.frontdoor import cluster_refusal
    from ..course.present import RichPresenter
    from ..course.runner import LessonRunner

    refusal = cluster_refusal(lesson, session)
    if refusal is not None:
        raise MetaError(refusal)
    state = _state(session)
    # In the shell a pinned view is drawn again only when what it shows changed.
    settings = session.settings
    presenter = RichPresenter(redraw_unchanged=not session.interactive,
                              theme=getattr(settings, "theme", "dark"),
                              screen_reader=getattr(settings, "screen_reader", False))
    views = session.views
    if views is not None:
        views.handle_meta("unwatch", "all")
    if state.get("runner") is not None:
        state["runner"].detach()

    def emit(kind, *args):
        presenter(kind, *args)
        if kind in ("passed", "skipped"):
            _record_progress(session, lesson, runner.task_number(args[0]), kind == "skipped")

    runner = LessonRunner(lesson, session, emit)
    runner.paced = session.interactive   # the shell reads one block at a time; scripts do not
    state.update(runner=runner, presenter=presenter)
    _install_hooks(session)
    resume = _progress(session).resume_at(lesson.name, len(lesson.tasks)) if resume_ok else None
    if resume is None:
        runner.start()
    else:
        presenter("lesson", lesson)
        presenter("note", f"Welcome back: you are at task {resume} of {len(lesson.tasks)}, where "
                          "you stopped (:restart starts the lesson over).")
        runner.fast_forward(resume)
    return _collected(session) + _warnings(session)


def _warnings(session: Session) -> list[Printed]:
    warnings = _state(session).pop("warnings", [])
    return [Printed("warning", w) for w in warnings]


def _install_hooks(session: Session) -> None:
    state = _state(session)
    if state.get("hooked"):
        return
    state["hooked"] = True
    from .viewcmds import views_of

    views_of(session)  # hook the views in first, so the watches print before lesson feedback

    def after_command(s, label, args, reply):
        runner = _runner(s)
        if runner is None or runner.busy:
            return None
        runner.judge(True, reply, args)
        return _collected(s) + _warnings(s)

    def after_meta(s, name, arg):
        runner = _runner(s)
        if runner is None or runner.busy or name in _CONTROLS:
            return None
        runner.judge(False)
        return _collected(s) + _warnings(s)

    session.after_command.append(after_command)
    session.after_meta.append(after_meta)


def _need_runner(session: Session):
    runner = _runner(session)
    if runner is None:
        raise MetaError("no lesson is running: :lessons lists them, :lesson N starts one")
    return runner


_CONTROLS = {"lesson", "lessons", "hint", "solution", "skip", "back", "restart", "retry", "quit",
             "exit", "undo", "snapshot", "restore", "next"}


@meta_command("lessons", help="List the lessons of the course, with your progress.")
def _list(session: Session, arg: str):
    from ..course.progress import Progress

    from .table import Table

    lessons, problems = _lessons()
    progress = Progress()
    rows = [(f"{l.number}.", l.title, progress.status(l.name, len(l.tasks))) for l in lessons]
    out = [Printed("text", "", renderable=Table((">", "lesson", "progress"), rows)),
           Printed("text", "Start one with :lesson N (or `redis-lab lesson N`).")]
    out += [Printed("error", str(p), is_error=True) for p in problems]
    if progress.warning:
        out.append(Printed("warning", progress.warning))
    return out


@meta_command("lesson", usage="[N | NAME]", help="Start lesson N (no argument: the list).")
def _lesson(session: Session, arg: str):
    if not arg.strip():
        return _list(session, arg)
    lesson, _ = find_lesson(arg)
    if lesson is None:
        raise MetaError(f"no lesson {arg.strip()!r}: :lessons lists them")
    return start_lesson(session, lesson)


def lesson_waiting(session: Session) -> bool:
    """True while a lesson waits for Enter between two narrative steps."""
    runner = _runner(session)
    return runner is not None and runner.waiting


def running_lesson(session: Session):
    """The lesson being taken (for Ctrl-D's question), or None."""
    runner = _runner(session)
    return runner.lesson if runner is not None and not runner.finished else None


@meta_command("next", help="In a lesson: go on to the next part (Enter on an empty line does "
                           "the same).")
def _next(session: Session, arg: str):
    runner = _need_runner(session)
    if not runner.next():
        if runner.task is not None:
            raise MetaError(f"task {runner.task_number(runner.task)} waits for you first "
                            "(:hint, :skip)")
        raise MetaError("the lesson is over: :lessons shows what comes next")
    return _collected(session)


@meta_command("hint", help="In a lesson: a hint for the current task.")
def _hint(session: Session, arg: str):
    _need_runner(session).hint()
    return _collected(session)


@meta_command("solution", help="In a lesson: show the reference answer of the current task.")
def _solution(session: Session, arg: str):
    _need_runner(session).solution()
    return _collected(session)


@meta_command("skip", help="In a lesson: go on without doing the task: back to the task's start, "
                           "then its reference answer (progress shows it as skipped).")
def _skip(session: Session, arg: str):
    runner = _need_runner(session)
    if runner.task is None and runner.waiting:
        runner.next()
    elif runner.task is None:
        raise MetaError("no task is waiting")
    else:
        runner.skip()
    return _collected(session)


@meta_command("retry", help="In a lesson: put everything back as it was when the current task "
                            "began, and show the task again.")
def _retry(session: Session, arg: str):
    _need_runner(session).retry()
    return _collected(session)


@meta_command("back", help="In a lesson: go back to the previous task (shown again).")
def _back(session: Session, arg: str):
    _need_runner(session).back()
    return _collected(session)


@meta_command("restart", help="In a lesson: start the lesson again from its beginning.")
def _restart(session: Session, arg: str):
    _need_runner(session).restart()
    return _collected(session)


_shell_quit = META["quit"].handler


@meta_command("quit", aliases=("exit",),
              help="Leave the lesson (in a lesson), or leave redis-lab (Ctrl-D does too).")
def _quit(session: Session, arg: str):
    runner = _runner(session)
    if runner is None:
        return _shell_quit(session, arg)
    runner.detach()
    _state(session).pop("runner", None)
    views = session.views
    if views is not None:
        views.handle_meta("unwatch", "all")  # the lesson's watches go with it
    return (f"left lesson {runner.lesson.number}: {runner.lesson.title}. "
            ":lesson N starts another; :quit again leaves redis-lab.")


@meta_command("crash", usage="NAME [NAME ...]",
              help="Simulate a crash of clients: their connections drop (a subscriber stops "
                   "receiving; a consumer's unacknowledged entries stay pending).")
def _crash(session: Session, arg: str):
    names = arg.split()
    if not names:
        raise MetaError("usage: :crash NAME [NAME ...]")
    out = []
    for name in names:
        if not session.crash(name):
            raise MetaError(f"no client named {name}")
        out.append(f"💥 {name} crashed: its connection is gone. It receives nothing more, and "
                   "whatever it had read from a group but not acknowledged stays pending.")
    return "\n".join(out)


@meta_command("repeat", usage="N LINE",
              help="Run LINE N times (e.g. :repeat 1000 XADD s * f v), printing the last reply.")
def _repeat(session: Session, arg: str):
    count, _, line = arg.strip().partition(" ")
    if not count.isdigit() or not line.strip() or int(count) < 1:
        raise MetaError("usage: :repeat N LINE, e.g. :repeat 1000 XADD s * f v")
    if int(count) > 1_000_000:
        raise MetaError(":repeat runs a line at most 1,000,000 times")
    if parse_line(line).kind != "command":
        raise MetaError(":repeat repeats a Redis command")
    result = None
    for _ in range(int(count)):
        result = session.run_line(line)
    printed = result.printed if result is not None else []
    return [Printed("text", f"(ran {count} times; the last reply:)")] + printed


def _lesson_teaching(name: str) -> str | None:
    lessons, _ = _lessons()
    for lesson in lessons:
        if name.upper() in lesson.teaches():
            return f"lesson {lesson.number}: {lesson.title} (:lesson {lesson.number})"
    return None


help_mod.LESSON_FINDERS.append(_lesson_teaching)

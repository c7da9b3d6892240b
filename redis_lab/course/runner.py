"""Play a lesson on a Session: narrate, run its commands, present tasks and judge the learner.

The runner knows nothing of screens. It reports what happens as events to an ``emit`` callback,
so the interactive shell, ``--verify``, the classroom demo and the transcript export all replay
a lesson the same way:

    ("lesson", lesson)              ("markdown", text)           ("command", label, line)
    ("printed", [Printed, ...])     ("task", step, number)       ("passed", step)
    ("not-yet", step, detail, hint) ("hint", text)               ("solution", lines)
    ("done", lesson)

A task passes when every check holds after a learner's line; time is virtual (the lesson's
clock), so IDs, idle times and BLOCK timeouts are the same in every replay.
"""

from __future__ import annotations

from typing import Callable

from ..model.clock import VirtualClock
from ..session import Session
from .checks import Context
from .model import Lesson, Step

Emit = Callable[..., None]


class LessonRunner:
    def __init__(self, lesson: Lesson, session: Session, emit: Emit | None = None) -> None:
        self.lesson = lesson
        self.session = session
        self.emit: Emit = emit or (lambda *event: None)
        self.index = 0                  # next step to play
        self.task: Step | None = None   # the task waiting for the learner
        self.tries = 0
        self.hints_shown = 0
        self.last_reply = None
        self.received: dict[str, list] = {}
        self.finished = False
        self.busy = False               # True while the runner itself runs lines
        session.on_reset.append(self._listen)
        self._listen(session)

    # -- setting up ------------------------------------------------------------------------------
    def _listen(self, session: Session) -> None:
        session.listen(self._on_output)

    def detach(self) -> None:
        """Stop listening to the session (the lesson was left or replaced)."""
        if self._listen in self.session.on_reset:
            self.session.on_reset.remove(self._listen)
        self.session.unlisten(self._on_output)
        self.task = None

    def _on_output(self, label: str, value, resp3: bool) -> None:
        self.received.setdefault(label, []).append(value)

    def start(self) -> None:
        """Fresh engine on the lesson's virtual clock; play until the first task."""
        session = self.session
        session.use_clock(lambda: VirtualClock(self.lesson.clock))  # lessons use virtual time
        session.reset()
        self.index, self.task, self.finished = 0, None, False
        self.emit("lesson", self.lesson)
        if self.lesson.intro:
            self.emit("markdown", self.lesson.intro)
        for line in self.lesson.views:
            self.run_line(line, show=False)
        self.play()

    # -- playing -----------------------------------------------------------------------------------
    def run_line(self, text: str, show: bool = True):
        """Run one lesson line (a command or a meta-command) and report what it printed."""
        stripped = text.strip()
        if show:
            self.emit("command", self.session.current, stripped)
        self.busy = True
        try:
            result = self.session.run_line(stripped)
        finally:
            self.busy = False
        if result.line.kind == "command":
            self.last_reply = result.reply
        if result.printed:
            self.emit("printed", result.printed)
        return result

    def play(self) -> None:
        """Play steps from ``index`` until a task needs the learner, or the lesson ends."""
        while self.index < len(self.lesson.steps):
            step = self.lesson.steps[self.index]
            self.index += 1
            first_text = step.parts[0][1] if step.parts and step.parts[0][0] == "text" else ""
            self.emit("markdown", f"## {step.title}\n\n{first_text}".rstrip())
            for kind, content in step.parts[1 if first_text else 0:]:
                if kind == "text":
                    self.emit("markdown", content)
                else:
                    for _, line in content:
                        self.run_line(line)
            if step.is_task:
                self.task = step
                self.tries = 0
                self.hints_shown = 0
                self.received = {}
                self.last_reply = None
                self.emit("task", step, self.task_number(step))
                return
        self.task = None
        self.finished = True
        self.emit("done", self.lesson)

    def task_number(self, step: Step) -> int:
        return self.lesson.tasks.index(step) + 1

    # -- judging -----------------------------------------------------------------------------------
    def context(self) -> Context:
        session = self.session

        def state(label: str) -> dict:
            client = session.find_client(label)
            if client is None:
                return {"channels": [], "patterns": [], "blocked": False}
            return {"channels": [c.decode("utf-8", "replace") for c in client.channels],
                    "patterns": [p.decode("utf-8", "replace") for p in client.patterns],
                    "blocked": client.blocked is not None}

        return Context(introspect=session.introspect, last_reply=self.last_reply,
                       received=self.received, client_state=state)

    def failing(self) -> list[tuple[str, str]]:
        """(check text, what was found) for each check of the current task that fails."""
        if self.task is None:
            return []
        ctx = self.context()
        failed = []
        for check in self.task.checks:
            ok, detail = check.evaluate(ctx)
            if not ok:
                failed.append((check.text, detail))
        return failed

    def after_learner_line(self, result) -> bool:
        """Judge the task after a line the learner ran (a LineResult); True if it passed."""
        if result is None or result.line.kind not in ("command", "meta"):
            return False
        return self.judge(result.line.kind == "command", result.reply)

    def judge(self, was_command: bool, reply=None) -> bool:
        """Judge the task after a learner's command (its reply) or meta-command."""
        if self.task is None or self.busy:
            return False
        if was_command:
            self.last_reply = reply
        failed = self.failing()
        if not failed:
            step = self.task
            self.task = None
            self.emit("passed", step)
            self.play()
            return True
        if was_command:
            self.tries += 1
            hint = None
            if self.hints_shown < len(self.task.hints):
                hint = self.task.hints[self.hints_shown]
                self.hints_shown += 1
            self.emit("not-yet", self.task, failed[0][1], hint)
        return False

    # -- learner controls (:hint :solution :skip :back :restart) ---------------------------------------
    def hint(self) -> None:
        if self.task is None:
            return
        if not self.task.hints:
            self.emit("hint", "No hint for this one: try :solution.")
            return
        text = self.task.hints[min(self.hints_shown, len(self.task.hints) - 1)]
        self.hints_shown = min(self.hints_shown + 1, len(self.task.hints))
        self.emit("hint", text)

    def solution(self) -> None:
        if self.task is not None:
            self.emit("solution", [line for _, line in self.task.solution])

    def solve(self) -> bool:
        """Run the current task's reference solution (``:skip``, ``--verify``, the demo)."""
        step = self.task
        if step is None:
            return False
        for _, line in step.solution:
            self.run_line(line)
        if self.failing():
            return False
        self.task = None
        self.emit("passed", step)
        self.play()
        return True

    def restart(self) -> None:
        self.start()

    def back(self) -> None:
        """Go back to the previous task: replay the lesson up to it with the reference answers."""
        current = self.task_number(self.task) if self.task else len(self.lesson.tasks) + 1
        target = max(current - 1, 1)
        self.fast_forward(target)

    def fast_forward(self, task_number: int) -> None:
        """Restart and solve tasks silently until task ``task_number`` waits for the learner."""
        emit, self.emit = self.emit, (lambda *event: None)
        try:
            self.start()
            while self.task is not None and self.task_number(self.task) < task_number:
                self.solve()
        finally:
            self.emit = emit
        if self.task is not None:
            self.emit("task", self.task, self.task_number(self.task))


def verify(lesson: Lesson, make_session: Callable[[], Session]) -> list[str]:
    """Replay a lesson with its reference solutions; return what went wrong (empty: all good).

    For each task, every ```wrong answer is replayed from the same starting point and must NOT
    pass the checks, and the ```solution must.
    """
    problems: list[str] = []
    runner = LessonRunner(lesson, make_session())
    runner.start()
    while runner.task is not None:
        step = runner.task
        number = runner.task_number(step)
        for wrong in step.wrong:
            trial = LessonRunner(lesson, make_session())
            trial.fast_forward(number)
            for _, line in wrong:
                trial.after_learner_line(trial.run_line(line))
                if trial.task is not step:
                    problems.append(f"{lesson.path}:{wrong[0][0]}: the wrong answer passes "
                                    f"task {number} '{step.title}'")
                    break
        if not runner.solve():
            detail = "; ".join(f"{text} ({found})" for text, found in runner.failing())
            problems.append(f"{lesson.path}:{step.line}: the solution does not pass task "
                            f"{number} '{step.title}': {detail}")
            break
    return problems

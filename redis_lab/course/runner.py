"""Play a lesson on a Session: narrate, run its commands, present tasks and judge the learner.

The runner knows nothing of screens. It reports what happens as events to an ``emit`` callback,
so the interactive shell, ``--verify``, the classroom demo and the transcript export all replay
a lesson the same way:

    ("lesson", lesson)              ("markdown", text)           ("command", label, line)
    ("printed", [Printed, ...])     ("task", step, number)       ("passed", step)
    ("not-yet", step, feedback, hint)                            ("good", step, feedback)
    ("hint", text)                  ("solution", lines)          ("note", text)
    ("skipped", step)               ("pause", step_index, steps)  ("done", lesson)

With ``paced`` set (the interactive shell), the runner stops after each narrative step with a
``pause`` event and goes on with ``next()``: the learner reads one block at a time.

Every task can be recovered: the engine's state is saved when a task starts (snapshot.py), so
``:retry`` puts it back and ``:skip`` replays the reference answer from there. After a wrong
try the runner checks, on a throw-away copy of the state, whether the reference answer would
still work: if not, the learner is told the task cannot be finished from here, and how to undo.

A task passes when every check holds after a learner's line; time is virtual (the lesson's
clock), so IDs, idle times and BLOCK timeouts are the same in every replay.
"""

from __future__ import annotations

from typing import Callable

from .. import snapshot as snapshots
from ..commands.table import load as command_table
from ..backends import BLOCKED, BackendError
from ..model.clock import VirtualClock
from ..session import Session, parse_line
from . import idfeedback
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
        self.start_state = None         # the engine's state when the current task began
        self.start_engine = None        # ... and that engine (:restart-server replaces it)
        self.still_failing: set[str] = set()   # checks failing before the learner's last line
        self.skipped: set[int] = set()  # task numbers done with :skip
        self.replied = False
        self.last_command = ""
        self.paced = False              # stop between narrative steps until the learner says so
        self.waiting = False            # stopped there now
        self.reporting = True           # False once the server turned LAB PROGRESS down
        self.pel_before = None          # (args, idfeedback.PendingBefore): last ID-bearing command
        session.on_reset.append(self._listen)
        session.before_command.append(self._before_command)
        self._listen(session)

    # -- setting up ------------------------------------------------------------------------------
    def _listen(self, session: Session) -> None:
        session.listen(self._on_output)

    def detach(self) -> None:
        """Stop listening to the session (the lesson was left or replaced)."""
        if self._listen in self.session.on_reset:
            self.session.on_reset.remove(self._listen)
        self.session.unlisten(self._on_output)
        if self._before_command in self.session.before_command:
            self.session.before_command.remove(self._before_command)
        self.task = None

    def _before_command(self, session: Session, label: str, args) -> None:
        """Read the PEL an XACK / XCLAIM / XAUTOCLAIM is about to change (idfeedback)."""
        if self.task is not None:
            before = idfeedback.pending_before(command_name(args), args, session.introspect)
            self.pel_before = (list(args), before) if before is not None else None

    def _id_feedback(self, args, reply) -> idfeedback.Advice | None:
        """Which IDs a wrong XACK / XCLAIM / XAUTOCLAIM should have named, and whose they are
        (None after a refusal: Redis's own error says more)."""
        from ..model.reply import Error

        if self.pel_before is None or args is None or isinstance(reply, Error):
            return None
        sent, before = self.pel_before
        if sent != list(args):
            return None
        solution = [parse_line(line).args for _, line in self.task.solution]
        return idfeedback.explain(before, args, [a for a in solution if a])

    def _on_output(self, label: str, value, resp3: bool) -> None:
        self.received.setdefault(label, []).append(value)

    def start(self) -> None:
        """Fresh engine on the lesson's virtual clock; play until the first task."""
        self.prepare()
        self.play()

    def prepare(self) -> None:
        """Fresh engine on the lesson's virtual clock, the lesson's title, intro and views."""
        session = self.session
        session.use_clock(lambda: VirtualClock(self.lesson.clock))  # lessons use virtual time
        keep_data = getattr(session.backend, "keep_data", None)   # embedded engine only
        if self.lesson.restarts_server and keep_data is not None:
            keep_data()                  # the AOF of a temporary data dir, for :restart-server
        session.reset()
        self.index, self.task, self.finished, self.waiting = 0, None, False, False
        self.emit("lesson", self.lesson)
        if self.lesson.intro:
            self.emit("markdown", self.lesson.intro)
        for line in self.lesson.views:
            self.run_line(line, show=False, views=False)   # drawn with the first commands

    # -- playing -----------------------------------------------------------------------------------
    def run_line(self, text: str, show: bool = True, views: bool = True):
        """Run one lesson line (a command or a meta-command) and report what it printed
        (``views=False``: without the pinned views, which the block's last line draws)."""
        stripped = text.strip()
        if show:
            self.emit("command", self.session.current, stripped)
        self.busy = True
        history = self._history()
        if history is not None:
            history.paused += 1          # the lesson's own lines are not the learner's to undo
        try:
            result = self.session.run_line(stripped)
        finally:
            self.busy = False
            if history is not None:
                history.paused -= 1
        if result.line.kind == "command":
            self.last_reply = result.reply
            self.last_command = command_name(result.line.args)
        printed = result.printed if views else \
            [item for item in result.printed if item.renderable is None]
        if printed:
            self.emit("printed", printed)
        return result

    def _history(self):
        """The session's undo history (shell/undocmds.py), if it keeps one."""
        return getattr(self.session, "history", None)

    def play(self) -> None:
        """Play steps from ``index`` until a task needs the learner, or the lesson ends."""
        history = self._history()
        if history is not None:
            history.clear()              # :undo never reaches back into a finished task
        while self.index < len(self.lesson.steps):
            step = self.lesson.steps[self.index]
            self.index += 1
            self.show_step(step)
            if step.is_task:
                self.task = step
                self.hints_shown = 0
                engine = self._engine()
                self.start_state = snapshots.take(engine) if engine is not None else None
                self.start_engine = engine
                self._fresh_try()
                self.report_progress()
                self.emit("task", step, self.task_number(step))
                return
            if self.paced and self.index < len(self.lesson.steps):
                self.waiting = True
                self.emit("pause", self.index, len(self.lesson.steps))
                return
        self.task = None
        self.finished = True
        self.report_progress()
        self.emit("done", self.lesson)

    def show_step(self, step: Step) -> None:
        """Narrate one step and run its commands (the pinned views after each block's last)."""
        first_text = step.parts[0][1] if step.parts and step.parts[0][0] == "text" else ""
        self.emit("markdown", f"## {step.title}\n\n{first_text}".rstrip())
        for kind, content in step.parts[1 if first_text else 0:]:
            if kind == "text":
                self.emit("markdown", content)
            else:
                for i, (_, line) in enumerate(content):
                    self.run_line(line, views=i == len(content) - 1)

    def next(self) -> bool:
        """Go on after a pause between narrative steps (Enter or ``:next``); False if the lesson
        was not waiting there."""
        if not self.waiting:
            return False
        self.waiting = False
        self.play()
        return True

    def _engine(self):
        """The embedded engine whose state can be saved; None on a real Redis (no recovery)."""
        return getattr(getattr(self.session, "backend", None), "engine", None)

    def reset_try(self) -> None:
        """Judge the current task from now on as if it just began (the demo's steps)."""
        self._fresh_try()

    def _fresh_try(self) -> None:
        self.tries = 0
        self.received = {}
        self.last_reply = None
        self.replied = False
        self.last_command = ""
        self.still_failing = {text for text, _ in self.failing()}
        history = getattr(self.session, "history", None)
        if history is not None:
            history.clear()              # :undo stays inside the task; :retry goes to its start

    def task_number(self, step: Step) -> int:
        return self.lesson.tasks.index(step) + 1

    def present_task(self) -> None:
        """Print the current task again: its title, what it asks, and the prompt line."""
        step = self.task
        if step is None:
            return
        texts = [text for kind, text in step.parts if kind == "text"]
        self.emit("markdown", f"## {step.title}\n\n{texts[-1] if texts else ''}".rstrip())
        self.emit("task", step, self.task_number(step))

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
                       received=self.received, client_state=state, replied=self.replied,
                       last_command=self.last_command)

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
        return self.judge(result.line.kind == "command", result.reply, result.line.args)

    def _asks_for_a_reply(self) -> bool:
        return any(check.text.split()[0].lower() == "reply" for check in self.task.checks)

    def _is_inspection(self, args) -> bool:
        """A read-only command (by the command table's flags) that is not itself the answer."""
        if not args or self._asks_for_a_reply():
            return False
        cmd = command_table().get(bytes(args[0]).lower())
        if cmd is not None and cmd.subcommands and len(args) > 1:
            cmd = cmd.subcommands.get(bytes(args[1]).lower())
        if cmd is not None and cmd.base == "cluster":
            return "admin" not in cmd.flags   # KEYSLOT, SHARDS...: they read the slot map
        return cmd is not None and "readonly" in cmd.flags and "blocking" not in cmd.flags

    def judge(self, was_command: bool, reply=None, args=None) -> bool:
        """Judge the task after a learner's command (its reply) or meta-command."""
        if self.task is None or self.busy:
            return False
        if was_command:
            self.last_reply = reply
            self.replied = True
            self.last_command = command_name(args)
        failed = self.failing()
        if not failed:
            step = self.task
            self.task = None
            self.emit("passed", step)
            self.play()
            return True
        before, self.still_failing = self.still_failing, {text for text, _ in failed}
        if not was_command or self._is_inspection(args):
            return False                # looking around is never wrong and costs no hint
        blocked = self.dead_end()
        advice = self._id_feedback(args, reply)   # a wrong ID is no progress, whatever it did
        if self.still_failing < before and not blocked and not (advice and advice.wrong):
            self.emit("good", self.task, self.describe(failed[0]))
            return False
        self.tries += 1
        hint = None
        if self.hints_shown < len(self.task.hints):
            hint = self.task.hints[self.hints_shown]
            self.hints_shown += 1
        self.report_progress()
        feedback = self.describe(failed[0], found=True)
        did = advice.text if advice else what_it_did(self.last_command, reply)
        if did:
            feedback = f"{did}; {feedback}"
        if reply is BLOCKED:
            feedback += ("; your command is now blocked, waiting for new data (with BLOCK 0 it "
                         "waits forever, and that client runs nothing else until it is served)")
        if blocked:
            feedback += (f". From here this task cannot be finished ({blocked}): :retry puts "
                         "everything back as it was when the task began, :undo takes back "
                         "your last command")
            hint = None
        elif self.tries >= 2:
            feedback += ". Stuck? :retry starts the task over from its beginning, :solution " \
                        "shows an answer"
        self.emit("not-yet", self.task, feedback, hint)
        return False

    def report_progress(self) -> None:
        """Tell a ``redis-lab serve --classroom`` server where the learner is, for the teacher's
        dashboard: ``LAB PROGRESS lesson task tries hints`` (task: the one being worked on,
        tasks + 1 once the lesson is done). Only on a remote backend; a server that is not a
        classroom (a real Redis: unknown command) is not asked again, and progress stays in
        the local progress file as always."""
        backend = getattr(self.session, "backend", None)
        if not self.reporting or backend is None or self._engine() is not None:
            return
        task = self.task_number(self.task) if self.task is not None else \
            len(self.lesson.tasks) + 1
        try:
            reply = backend.introspect([b"LAB", b"PROGRESS", self.lesson.name.encode(),
                                        b"%d" % task, b"%d" % self.tries,
                                        b"%d" % self.hints_shown])
        except BackendError:   # the server went away: the lesson goes on, locally
            reply = None
        if reply != "OK":
            self.reporting = False

    def describe(self, failure: tuple[str, str], found: bool = False) -> str:
        """A failing check in words: what the task expects (and what there is now)."""
        text, detail = failure
        check = next(c for c in self.task.checks if c.text == text)
        expect = check.expect or text
        return f"expected {expect}; {detail}" if found else f"{expect} (so far {detail})"

    def solve_trial(self) -> str | None:
        """Would the reference answer pass from here? (tried, then undone; None: yes)"""
        return self.dead_end()

    def dead_end(self) -> str | None:
        """Why the reference answer no longer works from the current state (None: it does).

        Tried on the live engine and undone at once, with nothing shown."""
        engine = self._engine()
        if engine is None:
            return None
        saved = snapshots.take(engine)
        emit, self.emit = self.emit, (lambda *event: None)
        received, last, replied, command = (self.received, self.last_reply, self.replied,
                                            self.last_command)
        pel_before = self.pel_before
        self.received = {}
        current = self.session.current
        history = getattr(self.session, "history", None)
        if history is not None:
            history.paused += 1
        try:
            for _, line in self.task.solution:
                self.run_line(line)
                if parse_line(line).kind == "command":
                    self.replied = True
            failed = self.failing()
        finally:
            snapshots.restore(engine, saved, keep=False)
            self.session.drain()
            self.received, self.last_reply, self.replied = received, last, replied
            self.last_command = command
            self.pel_before = pel_before
            self.session.current = current
            self.emit = emit
            if history is not None:
                history.paused -= 1
        if not failed:
            return None
        return "even the reference answer would leave " + self.describe(failed[0])

    # -- learner controls (:hint :solution :skip :back :restart) ---------------------------------------
    def hint(self) -> None:
        if self.task is None:
            return
        if not self.task.hints:
            self.emit("hint", "No hint for this one: try :solution.")
            return
        text = self.task.hints[min(self.hints_shown, len(self.task.hints) - 1)]
        self.hints_shown = min(self.hints_shown + 1, len(self.task.hints))
        self.report_progress()
        self.emit("hint", text)

    def solution(self) -> None:
        if self.task is not None:
            self.emit("solution", [line for _, line in self.task.solution])

    def solve(self) -> bool:
        """Run the current task's reference solution from the current state (``--verify``)."""
        step = self.task
        if step is None:
            return False
        for _, line in step.solution:
            self.run_line(line)
            if parse_line(line).kind == "command":
                self.replied = True
        if self.failing():
            return False
        self.task = None
        self.emit("passed", step)
        self.play()
        return True

    def retry(self) -> None:
        """Put the engine back as it was when the task began, and show the task again."""
        if self.task is None:
            self.emit("note", "no task is waiting: :restart plays the lesson again")
            return
        if self.start_state is None:
            self.emit("note", ":retry needs the embedded engine; :restart plays the lesson again")
            return
        self._back_to_task_start()
        self.emit("note", f"Back to the start of task {self.task_number(self.task)}: "
                          "everything is as it was when the task began.")
        self.present_task()

    def skip(self) -> bool:
        """Go on: from the task's starting state, run the reference answer (always possible
        when ``--verify`` passes; otherwise say exactly which check still fails)."""
        step = self.task
        if step is None:
            self.emit("note", "no task is waiting")
            return False
        number = self.task_number(step)
        if self.start_state is not None:
            self._back_to_task_start()
            step = self.task
            self.emit("note", f"Skipping task {number}: back to its start, then the reference "
                              "answer:")
        for _, line in step.solution:
            self.run_line(line)
            if parse_line(line).kind == "command":
                self.replied = True
        failed = self.failing()
        if failed:
            self.emit("note", f"cannot skip task {number}: after the reference answer "
                              f"{self.describe(failed[0])}. This is a bug in "
                              f"{self.lesson.path}; :restart plays the lesson again.")
            return False
        self.skipped.add(number)
        self.task = None
        self.emit("skipped", step)
        self.play()
        return True

    def _back_to_task_start(self) -> None:
        """The engine as it was when the current task began. After a ``:restart-server`` the
        engine is another one, which a snapshot of the old one cannot refill: the lesson then
        plays again, silently, up to this task (virtual time makes that the same state)."""
        engine = self._engine()
        if engine is self.start_engine:
            snapshots.restore(engine, self.start_state, keep=True)
            self.session.drain()
            self._fresh_try()
            return
        self._replay_to(self.task_number(self.task))

    def restart(self) -> None:
        self.start()

    def back(self) -> None:
        """Go back to the previous task: replay the lesson up to it with the reference answers."""
        current = self.task_number(self.task) if self.task else len(self.lesson.tasks) + 1
        target = max(current - 1, 1)
        self.fast_forward(target)

    def fast_forward(self, task_number: int) -> None:
        """Restart and solve tasks silently until task ``task_number`` waits for the learner."""
        self._replay_to(task_number)
        self.present_task()

    def _replay_to(self, task_number: int) -> None:
        emit, self.emit = self.emit, (lambda *event: None)
        paced, self.paced = self.paced, False
        try:
            self.start()
            while self.task is not None and self.task_number(self.task) < task_number:
                self.solve()
        finally:
            self.emit, self.paced = emit, paced


def what_it_did(command: str, reply) -> str | None:
    """What the learner's command did, in words, when its reply says more than the checks:
    a refusal, or a command that changed nothing."""
    from ..model.reply import NULL_ARRAY, Error

    if isinstance(reply, Error):
        return f"Redis refused it ({reply})"
    if command == "XACK" and reply == 0:
        return ("XACK acknowledged nothing: none of those IDs is pending in that group "
                "(XPENDING key group - + 10 lists the ones that are)")
    if command in ("XCLAIM", "XAUTOCLAIM") and (reply == [] or (
            isinstance(reply, list) and len(reply) == 3 and reply[1] == [])):
        return (f"{command} claimed nothing: no entry was pending and idle for at least the "
                "min-idle-time")
    if command in ("XREAD", "XREADGROUP") and (reply is None or reply is NULL_ARRAY):
        return f"{command} found nothing to return"
    return None


def command_name(args) -> str:
    """"XINFO CONSUMERS" for ``XINFO CONSUMERS k g``: the command table's name, as typed."""
    if not args:
        return ""
    head = bytes(args[0])
    cmd = command_table().get(head.lower())
    if cmd is None:
        return head.decode("utf-8", "replace").upper()
    if cmd.subcommands and len(args) > 1:
        sub = cmd.subcommands.get(bytes(args[1]).lower())
        if sub is not None:
            return sub.name
    return cmd.name


def verify(lesson: Lesson, make_session: Callable[[], Session]) -> tuple[list[str], dict]:
    """Replay a lesson with its reference solutions; return (problems, counts).

    For each task, every ```wrong answer is replayed from the task's start and must NOT pass;
    then ``:retry`` and the reference answer must pass (the task stays completable after the
    mistake). Finally the solution passes from the task's start. ``counts``: tasks, wrong answers
    verified, recoveries verified.
    """
    problems: list[str] = []
    counts = {"tasks": 0, "wrong": 0, "recovered": 0}
    runner = LessonRunner(lesson, make_session())
    runner.start()
    while runner.task is not None:
        step = runner.task
        number = runner.task_number(step)
        counts["tasks"] += 1
        if len(step.wrong) < 2:
            problems.append(f"{lesson.path}:{step.line}: task {number} '{step.title}' lists "
                            f"{len(step.wrong)} wrong answers (at least 2 are needed)")
        for wrong in step.wrong:
            for _, line in wrong:
                runner.after_learner_line(runner.run_line(line))
                if runner.task is not step:
                    break
            if runner.task is not step:
                problems.append(f"{lesson.path}:{wrong[0][0]}: the wrong answer passes "
                                f"task {number} '{step.title}'")
                return problems, counts   # the runner moved on: the rest cannot be checked
            counts["wrong"] += 1
            runner.retry()
            recovered = runner.solve_trial()
            if recovered:
                problems.append(f"{lesson.path}:{wrong[0][0]}: after this wrong answer, :retry "
                                f"and the solution do not pass task {number}: {recovered}")
            else:
                counts["recovered"] += 1
            runner.retry()
        if not runner.solve():
            detail = "; ".join(f"{text} ({found})" for text, found in runner.failing())
            problems.append(f"{lesson.path}:{step.line}: the solution does not pass task "
                            f"{number} '{step.title}': {detail}")
            break
    return problems, counts

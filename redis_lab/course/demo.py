"""Classroom demo: play a lesson step by step, commands typed out at a readable pace.

The teacher drives it with single keys (shown in the footer after each step):

    Space / Enter   next step (a task's step shows the task, the next key types its answer)
    b               back one step (the state goes back too)
    g N Enter       go to step N (``--from N`` starts there)
    p               pause / resume autoplay (``--no-pause`` starts autoplaying)
    :               type an improvised command; the demo goes on from the changed state
    q               quit

Every step's starting state is kept (snapshot.py), so ``b`` and ``g`` show the step again
exactly as it was. Without a terminal (CI, a pipe) the demo autoplays to the end.
"""

from __future__ import annotations

import os
import select
import sys
import time
from typing import Callable

from .. import snapshot as snapshots
from .present import RichPresenter, prompt_for

FOOTER = "step {n}/{total} · Space next · b back · g N go to · p autoplay · : command · q quit"


class DemoPresenter(RichPresenter):
    """Types commands out character by character and waits a moment after each reply."""

    def __init__(self, console, *, speed: float = 1.0, pause: bool = True,
                 wait_key: Callable[[], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep, theme: str = "dark",
                 screen_reader: bool = False) -> None:
        super().__init__(console, theme=theme, screen_reader=screen_reader)
        self.speed = max(speed, 0.01)
        self.pause = pause
        self.wait_key = wait_key or (lambda: None)
        self.sleep = sleep

    def __call__(self, kind: str, *args) -> None:
        if kind == "command":
            self._type(*args)
            return
        super().__call__(kind, *args)
        if kind in ("printed", "renderable"):
            self.sleep(0.4 / self.speed)

    def _type(self, label: str | None, line: str) -> None:
        words = line.split(None, 1)
        if words and words[0].startswith("@"):
            label, line = words[0][1:], (words[1] if len(words) > 1 else "")
        console = self.console
        console.print(f"[bold green]{prompt_for(label)}[/bold green]", end="")
        for char in line:
            console.print(char, end="", style="bold", markup=False, highlight=False)
            console.file.flush()
            self.sleep(0.045 / self.speed)
        console.print()
        self.sleep(0.25 / self.speed)


class Keys:
    """Single keys from the terminal (cbreak mode), with a timeout for autoplay."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdin
        self.tty = self.stream.isatty()
        self._saved = None

    def __enter__(self):
        if self.tty:
            import termios
            import tty

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        return self

    def __exit__(self, *exc) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None

    def get(self, timeout: float | None = None) -> str | None:
        """One key, or None when ``timeout`` passed (or there is no terminal)."""
        if not self.tty:
            return None
        ready, _, _ = select.select([self.stream], [], [], timeout)
        if not ready:
            return None
        return os.read(self.stream.fileno(), 1).decode("utf-8", "replace")

    def line(self, prompt: str, echo: Callable[[str], None]) -> str:
        """A typed line (keys echoed as they come); Enter ends it, Escape cancels."""
        echo(prompt)
        typed = ""
        while True:
            key = self.get()
            if key is None or key == "\x1b":
                echo("\n")
                return ""
            if key in ("\r", "\n"):
                echo("\n")
                return typed
            if key in ("\x7f", "\b"):
                if typed:
                    typed = typed[:-1]
                    echo("\b \b")
                continue
            typed += key
            echo(key)


class Demo:
    """The lesson as numbered steps (its ``##`` headings), each one replayable."""

    def __init__(self, lesson, session, presenter) -> None:
        from .runner import LessonRunner

        self.lesson = lesson
        self.presenter = presenter
        self.runner = LessonRunner(lesson, session, presenter)
        self.states: dict[int, tuple] = {}    # step number -> (engine, its state before it)
        self.current = 0                       # the step shown last (0: none yet)
        self.answered = True                   # the current task's answer was typed
        self.all_passed = True

    @property
    def total(self) -> int:
        return len(self.lesson.steps)

    def _engine(self):
        return self.runner._engine()

    def begin(self, first: int = 1) -> None:
        self.runner.prepare()                  # fresh engine, title, intro, pinned views
        self.go(first)

    def show(self, number: int) -> None:
        """Show step ``number`` from the state it starts in."""
        engine = self._engine()
        if number in self.states and engine is not None:
            snapshots.restore(engine, self.states[number][1], keep=True)
            self.runner.session.drain()
        elif engine is not None:
            self.states[number] = (engine, snapshots.take(engine))
        step = self.lesson.steps[number - 1]
        self.current = number
        self.runner.show_step(step)
        self.answered = not step.is_task
        if step.is_task:
            self.runner.task = step
            self.runner.reset_try()           # the task's checks start from here
            self.presenter("task", step, self.runner.task_number(step))

    def answer(self) -> bool:
        """Type the current task's reference answer; True if it passes."""
        step = self.lesson.steps[self.current - 1]
        self.runner.task = step
        self.runner.replied = False
        for _, line in step.solution:
            self.runner.run_line(line)
        self.runner.replied = True
        ok = not self.runner.failing()
        self.all_passed = self.all_passed and ok
        self.runner.task = None
        self.answered = True
        self.presenter("passed" if ok else "note", step if ok else "the answer did not pass")
        return ok

    def forward(self) -> bool:
        """Space: the answer of a shown task, else the next step; False at the end."""
        if not self.answered:
            self.answer()
            return True
        if self.current >= self.total:
            return False
        self.show(self.current + 1)
        return True

    def back(self) -> None:
        self.go(max(self.current - 1, 1))

    def go(self, number: int) -> None:
        """Show step ``number``, playing the steps before it silently the first time."""
        number = min(max(number, 1), self.total)
        saved = self.states.get(number)
        restarted = saved is not None and saved[0] is not self._engine()
        if restarted:
            # A :restart-server since then replaced the engine: a state saved in the old one
            # cannot be put back into the new one, so the lesson starts over, silently.
            self.states.clear()
        if number not in self.states:
            emit, self.runner.emit = self.runner.emit, (lambda *event: None)
            presenter = self.presenter
            self.presenter = lambda *event: None
            try:
                if restarted:
                    self.runner.prepare()
                start = max([n for n in self.states if n < number], default=0)
                if start:
                    self.show(start)
                    if not self.answered:
                        self.answer()
                for n in range(start + 1, number):
                    self.show(n)
                    if not self.answered:
                        self.answer()
            finally:
                self.runner.emit, self.presenter = emit, presenter
        self.show(number)

    def improvise(self, line: str) -> None:
        """A command of the teacher's own, in the middle of the demo."""
        if line.strip():
            self.runner.run_line(line.strip())


def run_demo(lesson, make_session, console, *, speed: float = 1.0, pause: bool = True,
             start: int = 1, keys: Keys | None = None, theme: str = "dark",
             screen_reader: bool = False) -> bool:
    """Play ``lesson`` for a classroom; True if every task's answer passed.

    With ``pause`` and a terminal, keys drive it (see the module docstring); otherwise it
    autoplays from step ``start`` to the end.
    """
    keys = keys or Keys()
    interactive = pause and keys.tty
    presenter = DemoPresenter(console, speed=speed, pause=interactive, theme=theme,
                              screen_reader=screen_reader)
    demo = Demo(lesson, make_session(), presenter)
    autoplay = not interactive
    with keys:
        demo.begin(start)
        while True:
            key = None
            if keys.tty:
                console.print(f"[dim]{FOOTER.format(n=demo.current, total=demo.total)}"
                              f"{' · autoplay' if autoplay else ''}[/dim]")
                key = keys.get(timeout=2.5 / speed if autoplay else None)
            if key in (None, " ", "\r", "\n"):
                if key is None and not autoplay:
                    break                      # the terminal went away
                if not demo.forward():
                    break
            elif key == "q":
                break
            elif key == "b":
                demo.back()
            elif key == "p":
                autoplay = not autoplay
            elif key == "g":
                typed = keys.line("go to step: ", lambda text: console.file.write(text)
                                  or console.file.flush())
                if typed.strip().isdigit():
                    demo.go(int(typed.strip()))
            elif key == ":":
                typed = keys.line(": ", lambda text: console.file.write(text)
                                  or console.file.flush())
                demo.improvise(typed)
    return demo.all_passed

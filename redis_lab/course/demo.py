"""Classroom demo: autoplay a lesson with commands typed at a readable pace.

It pauses before each step until the teacher presses space or Enter (``--no-pause`` for an
unattended run, automatic when there is no terminal); ``--speed 2`` types twice as fast.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

from .present import RichPresenter, prompt_for


class DemoPresenter(RichPresenter):
    def __init__(self, console, *, speed: float = 1.0, pause: bool = True,
                 wait_key: Callable[[], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(console)
        self.speed = max(speed, 0.01)
        self.pause = pause
        self.wait_key = wait_key or _wait_key
        self.sleep = sleep
        self._steps_seen = 0

    def __call__(self, kind: str, *args) -> None:
        if kind == "markdown" and args[0].startswith("## "):
            self._steps_seen += 1
            if self._steps_seen > 1 and self.pause:
                self.console.print("[dim]  … press space or Enter to go on[/dim]")
                self.wait_key()
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


def _wait_key() -> None:
    import click

    if not sys.stdin.isatty():
        return
    while click.getchar() not in (" ", "\r", "\n"):
        pass


def run_demo(lesson, make_session, console, *, speed: float = 1.0, pause: bool = True) -> bool:
    """Autoplay ``lesson`` (its reference answers typed out); True if every task passed."""
    from .runner import LessonRunner

    presenter = DemoPresenter(console, speed=speed, pause=pause and sys.stdin.isatty())
    runner = LessonRunner(lesson, make_session(), presenter)
    runner.start()
    while runner.task is not None:
        if presenter.pause:
            console.print("[dim]  … press space or Enter to see the answer[/dim]")
            presenter.wait_key()
        if not runner.solve():
            return False
    return True

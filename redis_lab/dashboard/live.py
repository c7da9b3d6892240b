"""The live class table with keys: choose a student, open their sandbox, come back.

``redis-lab dashboard redis://teacher:PASS@host:port`` on a terminal: Up/Down (or k/j) move the
highlighted row, Enter shows that student's sandbox (what ``--student NAME`` shows, read-only
through LAB PEEK) refreshed live until Esc or q goes back to the table, s cycles the sort, q
(or Ctrl-C) quits. Without a terminal, with --once or --export, nothing here runs.

Why prompt_toolkit's input layer and not its Application: keys are parsed by its vt100 parser
(arrows, a lone Esc) while the screen stays rich's ``Live``, which redraws whole lines the way
the non-interactive dashboard already does. :class:`Browser` is the state the keys change, free
of any terminal so it can be reasoned about on its own.
"""

from __future__ import annotations

import select
import sys
import time
from dataclasses import dataclass

from rich.console import Group
from rich.text import Text

from .classroom import SORTS, ClassBoard, PeekConnection, _text, gather_class, ordered, safe_title

ESC_WAIT_S = 0.05   # a lone Esc: no more bytes of an escape sequence after this long


@dataclass
class Browser:
    """Which student is highlighted, whose sandbox is open, the sort; changed by keys."""

    sort: str = "name"
    selected: str | None = None    # a student's name (kept across re-sorts and refreshes)
    opened: str | None = None      # the student whose sandbox is shown, None: the table
    names: tuple[str, ...] = ()    # the table's rows, in the order shown

    def show(self, names: list[str]) -> None:
        """The rows now on screen: keep the highlighted name when it is still there."""
        self.names = tuple(names)
        if self.selected not in self.names:
            self.selected = self.names[0] if self.names else None

    def press(self, key: str) -> bool:
        """Apply one key (a prompt_toolkit key name or a character); False means quit."""
        if key == "c-c":
            return False
        if self.opened is not None:
            if key in ("escape", "q"):
                self.opened = None
            return True
        if key == "q":
            return False
        if key in ("up", "k", "down", "j") and self.names:
            step = -1 if key in ("up", "k") else 1
            at = self.names.index(self.selected) if self.selected in self.names else 0
            self.selected = self.names[max(0, min(len(self.names) - 1, at + step))]
        elif key == "c-m" and self.selected is not None:
            self.opened = self.selected
        elif key == "s":
            self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        return True


def _sandbox(conn, title: str, student: str):
    """The student's sandbox picture, or a line saying why there is none (reset meanwhile)."""
    from .board import Dashboard, gather

    peek = PeekConnection(conn, student)
    probe = peek.execute([b"DBSIZE"])
    if not isinstance(probe, int):
        return Text(f"cannot look into {student}'s sandbox: {_text(probe)}")
    return Dashboard(gather(peek), f"{title} · {student}'s sandbox (read-only)")


def picture(conn, url: str, browser: Browser):
    """What the screen shows now, with the keys that apply to it."""
    title = safe_title(url)
    if browser.opened is not None:
        return Group(_sandbox(conn, title, browser.opened),
                     Text("Esc or q: back to the class", style="dim"))
    state = gather_class(conn)
    if state is None:
        raise ConnectionError("LAB ROOMS was refused: is this still the teacher's connection?")
    browser.show([s.name for s in ordered(state.students, browser.sort)])
    return Group(ClassBoard(state, title, browser.sort, browser.selected),
                 Text(f"Up/Down: choose · Enter: open the sandbox · s: sort "
                      f"(by {browser.sort}) · q: quit", style="dim"))


def browse(conn, url: str, sort: str, interval: float, console) -> int:
    """Run the live class table with keys on this terminal until q or Ctrl-C: exit status 0."""
    from prompt_toolkit.input import create_input
    from rich.live import Live

    keys_in = create_input(sys.stdin)
    fd = keys_in.fileno()
    browser = Browser(sort=sort)
    with keys_in.raw_mode(), Live(picture(conn, url, browser), console=console,
                                  auto_refresh=False) as live:
        due = time.monotonic() + interval
        while True:
            ready, _, _ = select.select([fd], [], [], max(0.0, due - time.monotonic()))
            if ready:
                pressed = keys_in.read_keys()
                if keys_in.closed:   # the terminal went away
                    return 0
                if not select.select([fd], [], [], ESC_WAIT_S)[0]:
                    pressed += keys_in.flush_keys()
                going = all([browser.press(str(getattr(k.key, "value", k.key)))
                             for k in pressed])
                if not going:
                    return 0
                if not pressed:
                    continue
            live.update(picture(conn, url, browser), refresh=True)
            due = time.monotonic() + interval

"""The class table: what the teacher of a ``redis-lab serve --classroom`` sees on the dashboard.

Read with two commands the teacher's connection may run (``LAB ROOMS``, ``LAB CLASS``), so the
table is a pure function of their replies: the ages in them are computed by the server, which
is what makes a recorded reply render the same picture every time (the exact-output tests).
On a server that is not a classroom, or as a user who is not the teacher, LAB ROOMS is an
error and the dashboard shows the server's connections instead (:mod:`.board`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlparse

from rich.console import Group
from rich.table import Table
from rich.text import Text

STUCK_AFTER_MS = 5 * 60 * 1000   # no progress for this long (lesson not finished): stuck
STUCK_TRIES = 3                  # or this many wrong tries on the same task
SORTS = ("name", "progress", "stuck")


@dataclass
class Student:
    """One row of LAB ROOMS."""

    name: str
    clients: int = 0
    keys: int = 0
    lesson: str = ""
    task: int = 0
    tries: int = 0
    hints: int = 0
    last_command: str = ""
    idle_ms: int = -1
    progress_age_ms: int = -1

    @property
    def stuck(self) -> bool:
        if not self.lesson:
            return False
        return self.tries >= STUCK_TRIES or self.progress_age_ms >= STUCK_AFTER_MS


@dataclass
class ClassState:
    """LAB ROOMS and LAB CLASS, decoded."""

    students: list[Student] = field(default_factory=list)
    shared: Student | None = None                       # the room called "class"
    finished: list[tuple[str, int, int]] = field(default_factory=list)  # lesson, task, count


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def decode(rooms: list, finished: list) -> ClassState:
    """A ClassState from the replies of LAB ROOMS and LAB CLASS (RESP2 values)."""
    state = ClassState()
    for row in rooms:
        fields = {_text(row[i]): row[i + 1] for i in range(0, len(row) - 1, 2)}
        student = Student(
            name=_text(fields.get("name", b"?")), clients=int(fields.get("clients", 0)),
            keys=int(fields.get("keys", 0)), lesson=_text(fields.get("lesson", b"")),
            task=int(fields.get("task", 0)), tries=int(fields.get("tries", 0)),
            hints=int(fields.get("hints", 0)),
            last_command=_text(fields.get("last-command", b"")).replace("|", " "),
            idle_ms=int(fields.get("idle-ms", -1)),
            progress_age_ms=int(fields.get("progress-age-ms", -1)))
        if student.name == "class":
            state.shared = student
        else:
            state.students.append(student)
    state.finished = [(_text(lesson), int(task), int(count)) for lesson, task, count in finished]
    return state


def gather_class(conn) -> ClassState | None:
    """The class through ``conn`` (anything with ``execute(args)``), or None when the server
    is no classroom or the connection is not the teacher's (LAB ROOMS refused)."""
    rooms = conn.execute([b"LAB", b"ROOMS"])
    if not isinstance(rooms, list):
        return None
    return decode(rooms, conn.execute([b"LAB", b"CLASS"]))


def ago(ms: int) -> str:
    """An age in words a projector can show: '-', '42s', '3m05s', '1h02m'."""
    if ms < 0:
        return "-"
    seconds = ms // 1000
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def ordered(students: list[Student], sort: str) -> list[Student]:
    """``name``: alphabetical; ``progress``: furthest task first; ``stuck``: stuck first,
    then the longest without progress."""
    if sort == "progress":
        return sorted(students, key=lambda s: (-s.task, s.name))
    if sort == "stuck":
        return sorted(students, key=lambda s: (not s.stuck, -s.progress_age_ms, s.name))
    return sorted(students, key=lambda s: s.name)


class ClassBoard:
    """The class table and its summary, as one rich renderable.

    ``selected``: the student whose row the live dashboard highlights (``> name``, reversed);
    None draws the table as --once and --export show it."""

    def __init__(self, state: ClassState, title: str, sort: str = "name",
                 selected: str | None = None) -> None:
        self.state = state
        self.title = title
        self.sort = sort
        self.selected = selected

    def __rich_console__(self, console, options):
        state = self.state
        online = sum(1 for s in state.students if s.clients)
        stuck = sum(1 for s in state.students if s.stuck)
        table = Table(title=f"{self.title}: {len(state.students)} students, {online} connected, "
                            f"{stuck} stuck", expand=True)
        longest = max((len(s.lesson) for s in state.students), default=0)
        for column, justify in (("student", "left"), ("conn", "right"), ("lesson", "left"),
                                ("task", "right"), ("tries", "right"), ("hints", "right"),
                                ("last command", "left"), ("last step", "right"),
                                ("stuck", "left")):
            # lesson names are read whole; other columns wrap first on a narrow screen
            table.add_column(column, justify=justify,
                             min_width=longest if column == "lesson" else None)
        for s in ordered(state.students, self.sort):
            chosen = s.name == self.selected
            name = s.name if self.selected is None else ("> " if chosen else "  ") + s.name
            table.add_row(name, str(s.clients) if s.clients else "-", s.lesson or "-",
                          str(s.task) if s.lesson else "-", str(s.tries), str(s.hints),
                          s.last_command or "-", ago(s.progress_age_ms),
                          Text("STUCK", style="bold red") if s.stuck else "",
                          style="reverse" if chosen else None)
        parts = [table]
        by_lesson: dict[str, list[str]] = {}
        for lesson, task, count in state.finished:
            by_lesson.setdefault(lesson, []).append(f"task {task}: {count}")
        for lesson, counts in by_lesson.items():
            parts.append(Text(f"{lesson} finished by: " + ", ".join(counts)))
        if state.shared is not None:
            parts.append(Text(f"shared room 'class': {state.shared.clients} connections, "
                              f"{state.shared.keys} keys"))
        yield Group(*parts)


def safe_title(url: str) -> str:
    """The URL without its password: the dashboard is shown on a projector."""
    parsed = urlparse(url if "://" in url else f"redis://{url}")
    user = f"{parsed.username}@" if parsed.username else ""
    return f"{parsed.scheme}://{user}{parsed.hostname or '127.0.0.1'}:{parsed.port or 6379}"


class PeekConnection:
    """The teacher's connection seen as a student's: every command the server picture sends
    (CLIENT LIST, SCAN, XINFO, PUBSUB, INFO: all read-only) goes through ``LAB PEEK name``, so
    the teacher sees that sandbox's connections, streams and channels and can change nothing."""

    def __init__(self, conn, student: str) -> None:
        self.conn = conn
        self.prefix = [b"LAB", b"PEEK", student.encode()]

    def execute(self, args: list) -> object:
        return self.conn.execute([*self.prefix, *args])


def picture_for(conn, url: str, sort: str = "name",
                student: str | None = None) -> Callable[[], object]:
    """What the dashboard draws at each refresh, chosen once: one student's sandbox (through
    LAB PEEK) when ``student`` is named, the class table when ``conn`` is a classroom's
    teacher, else the server's connections (:class:`.board.Dashboard`)."""
    from .board import Dashboard, gather

    title = safe_title(url)
    if student is not None:
        peek = PeekConnection(conn, student)
        probe = peek.execute([b"DBSIZE"])
        if not isinstance(probe, int):
            raise ConnectionError(f"cannot look into {student}'s sandbox: {_text(probe)}")
        return lambda: Dashboard(gather(peek), f"{title} · {student}'s sandbox (read-only)")
    if gather_class(conn) is not None:
        return lambda: ClassBoard(gather_class(conn), title, sort)
    return lambda: Dashboard(gather(conn), title)


def export_html(url: str, path: str, width: int | None = None, sort: str = "name",
                student: str | None = None) -> int:
    """``redis-lab dashboard URL --export class.html``: one snapshot as an HTML page."""
    from rich.console import Console

    from .board import RespConnection

    console = Console(record=True, width=width or 120, file=io.StringIO())
    try:
        conn = RespConnection(url)
    except OSError as exc:
        print(f"redis-lab dashboard: cannot connect to {safe_title(url)}: {exc.strerror or exc}")
        return 1
    try:
        console.print(picture_for(conn, url, sort, student)())
    except ConnectionError as exc:
        print(f"redis-lab dashboard: {exc}")
        return 1
    finally:
        conn.close()
    console.save_html(path)
    print(f"redis-lab dashboard: wrote {path}")
    return 0

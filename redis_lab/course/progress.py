"""The learner's progress through the course, in one small JSON file.

Kept in the XDG data directory (``$XDG_DATA_HOME/redis-lab/progress.json``, default
``~/.local/share/redis-lab/`` on Linux). An unreadable file never stops a lesson: it is set aside as
``progress.json.unreadable`` (so nothing is lost), a warning says so, and a fresh file starts.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..paths import user_file


def progress_path() -> Path:
    """``progress.json`` in redis-lab's data directory (redis_lab/paths.py)."""
    return user_file("data", "progress.json")


class Progress:
    """lesson name -> {"done": [task numbers], "skipped": [task numbers], "tasks": int,
    "completed": bool, "tasks_done": int}."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or progress_path()
        self.data: dict[str, dict] = {}
        self.warning: str | None = None
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.warning = f"warning: cannot read progress file {self.path}: {exc}"
            return
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            self.data = {k: v for k, v in data.items() if isinstance(v, dict)}
        except ValueError as exc:
            aside = self.path.with_name(self.path.name + ".unreadable")
            try:
                self.path.replace(aside)
                kept = f"; kept as {aside}"
            except OSError:
                kept = ""
            self.warning = f"warning: progress file {self.path} is unreadable ({exc}){kept}"

    def record(self, lesson: str, task: int, tasks: int, skipped: bool = False) -> None:
        """Task ``task`` (1-based) of ``lesson`` was passed, or skipped with :skip."""
        entry = self.data.setdefault(lesson, {})
        done, passed_over = self.done(lesson), self.skipped(lesson)
        if skipped:
            if task not in done:
                passed_over.add(task)
        else:
            done.add(task)
            passed_over.discard(task)
        entry.update(tasks=tasks, done=sorted(done), skipped=sorted(passed_over),
                     tasks_done=len(done))
        entry["completed"] = len(done | passed_over) >= tasks
        self.save()

    def done(self, lesson: str) -> set[int]:
        entry = self.data.get(lesson) or {}
        if "done" in entry:
            return {n for n in entry["done"] if isinstance(n, int)}
        return set(range(1, int(entry.get("tasks_done", 0)) + 1))   # files from before 0.2

    def skipped(self, lesson: str) -> set[int]:
        entry = self.data.get(lesson) or {}
        return {n for n in entry.get("skipped", []) if isinstance(n, int)}

    def resume_at(self, lesson: str, tasks: int) -> int | None:
        """The first task neither passed nor skipped (None: nothing to resume, or all of it)."""
        finished = self.done(lesson) | self.skipped(lesson)
        if not finished:
            return None
        for number in range(1, tasks + 1):
            if number not in finished:
                return number
        return None

    def reset(self, lesson: str | None = None) -> list[str]:
        """Forget one lesson's progress (None: all of it); the names forgotten."""
        names = [lesson] if lesson is not None else list(self.data)
        gone = [name for name in names if self.data.pop(name, None) is not None]
        self.save()
        return gone

    def status(self, lesson: str, tasks: int) -> str:
        entry = self.data.get(lesson)
        if not entry:
            return "not started"
        done, skipped = self.done(lesson), self.skipped(lesson)
        note = f", {len(skipped)} skipped" if skipped else ""
        if len(done) >= tasks:
            return "done"
        if len(done | skipped) >= tasks:
            return f"finished ({len(done)}/{tasks} tasks done{note})"
        return f"{len(done)}/{tasks} tasks{note}"

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            self.warning = f"warning: cannot save progress to {self.path}: {exc}"

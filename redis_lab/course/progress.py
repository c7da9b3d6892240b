"""The learner's progress through the course, in one small JSON file.

Kept in the XDG data directory (``$XDG_DATA_HOME/redis-lab/progress.json``, default
``~/.local/share/redis-lab/``). An unreadable file never stops a lesson: it is set aside as
``progress.json.unreadable`` (so nothing is lost), a warning says so, and a fresh file starts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def progress_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "redis-lab" / "progress.json"


class Progress:
    """lesson name -> {"completed": bool, "tasks_done": int, "tasks": int}."""

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

    def record(self, lesson: str, tasks_done: int, tasks: int) -> None:
        entry = self.data.setdefault(lesson, {})
        entry["tasks"] = tasks
        entry["tasks_done"] = max(entry.get("tasks_done", 0), tasks_done)
        entry["completed"] = entry.get("completed", False) or tasks_done >= tasks
        self.save()

    def status(self, lesson: str, tasks: int) -> str:
        entry = self.data.get(lesson)
        if not entry:
            return "not started"
        if entry.get("completed"):
            return "done"
        return f"{entry.get('tasks_done', 0)}/{tasks} tasks"

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            self.warning = f"warning: cannot save progress to {self.path}: {exc}"

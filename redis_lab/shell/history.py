"""Command history kept between runs, in the XDG state directory.

``$XDG_STATE_HOME/redis-lab/history`` (default ``~/.local/state/redis-lab/history`` on Linux), in
prompt_toolkit's FileHistory format. A history file that cannot be read or written gives a
warning, never a crash: the session then keeps its history in memory, so nothing typed is lost
for Ctrl-R, the up arrow and the grey suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from ..paths import user_file


def history_path() -> Path:
    """``history`` in redis-lab's state directory (redis_lab/paths.py)."""
    return user_file("state", "history")


class SafeFileHistory(FileHistory):
    """FileHistory that warns once and carries on in memory when the file fails.

    ``size`` (the config file's ``history_size``) keeps only the newest lines in use.
    """

    def __init__(self, filename: Path, warn: Callable[[str], None],
                 size: int | None = None) -> None:
        super().__init__(str(filename))
        self._warn = warn
        self.size = size
        self.broken = False

    def load_history_strings(self) -> Iterable[str]:
        try:
            strings = super().load_history_strings()  # newest first
            return list(islice(strings, self.size) if self.size is not None else strings)
        except (OSError, ValueError) as exc:
            self._fail(f"could not read history file {self.filename}: {_reason(exc)}")
            return []

    def store_string(self, string: str) -> None:
        if self.broken or holds_secret(string):
            return
        try:
            Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
            super().store_string(string)
        except (OSError, ValueError) as exc:
            self._fail(f"could not save history to {self.filename}: {_reason(exc)}; "
                       "this session's history stays in memory")

    def _fail(self, message: str) -> None:
        if not self.broken:
            self.broken = True
            self._warn(message)


_SECRET = re.compile(r"^\s*(?:@\S+\s+)?(?:auth\b|hello\b.*\bauth\b|migrate\b.*\bauth2?\b|"
                     r"acl\s+setuser\b|config\s+set\s+\S*(?:pass|auth)\S*\b)",
                     re.IGNORECASE)


def holds_secret(line: str) -> bool:
    """Lines with a password (AUTH, HELLO ... AUTH, ACL SETUSER, CONFIG SET requirepass...)
    are never written to the history file, as redis-cli leaves them out of its own."""
    return bool(_SECRET.match(line))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def open_history(path: Path | None = None,
                 size: int | None = None) -> tuple[History, list[str]]:
    """The shell's history and any warnings to show before the first prompt."""
    path = path or history_path()
    warnings: list[str] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with open(path, "rb") as handle:
                handle.read(1)
    except OSError as exc:
        warnings.append(f"history file {path} is not usable ({_reason(exc)}); "
                        "history is kept in memory for this session only")
        return InMemoryHistory(), warnings
    return SafeFileHistory(path, warnings.append, size), warnings

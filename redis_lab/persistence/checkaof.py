"""``redis-lab check-aof [--fix] FILE``: find where an AOF stops being whole, as redis-check-aof.

FILE is one AOF file, or a Redis 7 manifest (each file it names is checked in order; only the
last one may be fixed, as Redis only truncates the last file). The report gives the same
figures redis-check-aof prints (size, ok_up_to, ok_up_to_line, diff) and what is wrong at that
offset; ``--fix`` truncates the file to its last whole command (before an unfinished MULTI).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .aofformat import TRUNCATED, AofProblem, read_commands
from .layout import parse_manifest


@dataclass
class Checked:
    path: Path
    size: int
    ok_up_to: int
    ok_up_to_line: int
    problem: AofProblem | None

    @property
    def valid(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        return (f"AOF analyzed: filename={self.path.name}, size={self.size}, "
                f"ok_up_to={self.ok_up_to}, ok_up_to_line={self.ok_up_to_line}, "
                f"diff={self.size - self.ok_up_to}")


def check_file(path: Path) -> Checked:
    """Read ``path`` to the first command that is not whole (or the end)."""
    data = path.read_bytes()
    multi_at = None
    problem = None
    try:
        for args, start, _ in read_commands(data):
            name = args[0].lower()
            if name == b"multi":
                multi_at = start
            elif name == b"exec":
                multi_at = None
        if multi_at is not None:
            raise AofProblem(TRUNCATED, multi_at, "reached the end before the EXEC of a MULTI")
    except AofProblem as found:
        found.filename = str(path)
        problem = found
    ok = len(data) if problem is None else (multi_at if multi_at is not None else problem.offset)
    return Checked(path, len(data), ok, data.count(b"\n", 0, ok) + 1, problem)


def files_of(target: Path) -> list[Path]:
    if target.name.endswith(".manifest"):
        entries = parse_manifest(target.read_text())
        kinds = {"b": 0, "i": 1}
        return [target.parent / e.name
                for e in sorted((e for e in entries if e.kind in kinds),
                                key=lambda e: kinds[e.kind])]
    return [target]


def check_aof(target: str | os.PathLike, fix: bool = False, confirm=None) -> tuple[int, list[str]]:
    """Check (and with ``fix`` truncate) an AOF; returns (exit status, lines to print).

    ``confirm(question) -> bool`` is asked before truncating (None: truncate without asking).
    """
    target = Path(target)
    if not target.exists():
        return 1, [f"Cannot open file {target}: No such file or directory"]
    try:
        paths = files_of(target)
    except ValueError as exc:
        return 1, [f"Invalid manifest {target}: {exc}"]
    lines = []
    for index, path in enumerate(paths):
        if not path.exists():
            return 1, lines + [f"AOF {path} named in the manifest does not exist"]
        checked = check_file(path)
        lines.append(checked.summary())
        if checked.valid:
            lines.append(f"AOF {path.name} is valid")
            continue
        lines.append(str(checked.problem))
        last = index == len(paths) - 1
        if not fix:
            lines.append(f"AOF {path.name} is not valid. Use the --fix option to try fixing it.")
            return 1, lines
        if not last:
            lines.append(f"AOF {path.name} is not the last file of the manifest: it cannot be "
                         f"fixed by truncating it.")
            return 1, lines
        question = (f"This will shrink the AOF {path.name} from {checked.size} bytes, with "
                    f"{checked.size - checked.ok_up_to} bytes, to {checked.ok_up_to} bytes")
        lines.append(question)
        if confirm is not None and not confirm("Continue? [y/N]: "):
            lines.append("Aborting...")
            return 1, lines
        os.truncate(path, checked.ok_up_to)
        lines.append(f"Successfully truncated AOF {path.name}")
    return 0, lines

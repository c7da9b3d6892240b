"""Replaying the AOF into a fresh engine at start, with Redis 7.0's rules for a damaged tail.

As loadSingleAppendOnlyFile does: commands run one by one through a client nobody sees (their
replies are not checked: an error reply is counted, not fatal); a transaction's commands run
when its EXEC has been read (nothing else runs meanwhile, so that is what EXEC would do); an
unknown command or bytes that are not a command stop the load with the file and byte offset;
a file that just ends early (a command cut short, or a MULTI without its EXEC) is, when it is
the last file and aof-load-truncated is on (Redis's default), truncated back to the last whole
command (or to before the unfinished MULTI) with a warning — otherwise the load is refused.
PEXPIREAT, which Redis writes for a TTL, is applied by the loader (the lab has no EXPIRE).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..engine import Client
from ..model.reply import Error
from .aofformat import TRUNCATED, AofProblem, read_commands
from .layout import Layout
from .propagate import without_exact_limit


def _pexpireat(loader, args: list[bytes]) -> bool:
    """PEXPIREAT key ms: how Redis writes a TTL (its rewrite; EXPIRE and friends propagated).
    The lab has no EXPIRE family, so the loader sets the expiry itself; False if malformed."""
    if len(args) < 3 or not args[2].lstrip(b"-").isdigit():
        return False
    if loader.db.get(args[1]) is not None:
        loader.db.expire_at(args[1], int(args[2]))
    return True


#: Commands Redis writes in an AOF that the lab's command table does not have.
LOADER_ONLY = {b"pexpireat": _pexpireat}


class AofLoadError(Exception):
    """The AOF cannot be loaded; the message names the file and byte offset."""


@dataclass
class LoadReport:
    commands: int = 0
    error_replies: int = 0
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load(engine, layout: Layout, *, load_truncated: bool = True) -> LoadReport:
    """Replay every file of ``layout`` into ``engine`` (which must have no AOF attached)."""
    report = LoadReport()
    loader = Client(engine, "__aof_loader__", hidden=True)

    def run(args: list[bytes]) -> None:
        name = args[0].lower()
        special = LOADER_ONLY.get(name)
        if special is not None:
            ok = special(loader, args)
        else:
            if name in (b"xadd", b"xtrim"):
                args = without_exact_limit(args)
            ok = type(loader._execute(args)) is not Error
        report.commands += 1
        report.error_replies += not ok

    for index, path in enumerate(layout.files):
        if not path.exists():
            raise AofLoadError(f"the AOF file {path} named in {layout.manifest} does not exist")
        report.files.append(str(path))
        data = path.read_bytes()
        last = index == len(layout.files) - 1
        multi_at = None
        queued: list[list[bytes]] = []   # a transaction's commands, run when its EXEC is read
        try:
            for args, start, _ in read_commands(data):
                name = args[0].lower()
                if name == b"multi":
                    multi_at, queued = start, []
                elif name == b"exec":
                    multi_at = None
                    for command in queued:
                        run(command)
                    queued = []
                elif name not in engine.commands and name not in LOADER_ONLY:
                    raise AofLoadError(
                        f"Unknown command '{args[0].decode('utf-8', 'replace')}' reading the "
                        f"append only file {path} at offset {start}")
                elif multi_at is not None:
                    queued.append(args)
                else:
                    run(args)
            if multi_at is not None:
                raise AofProblem(TRUNCATED, multi_at, "a MULTI without its EXEC at the end")
        except AofProblem as problem:
            problem.filename = str(path)
            if problem.kind != TRUNCATED or not last or not load_truncated:
                hint = ("" if problem.kind == TRUNCATED and last else
                        " (make a backup, then run: redis-lab check-aof --fix FILE)")
                raise AofLoadError(f"cannot load the append only file: {problem}{hint}") from None
            valid = multi_at if multi_at is not None else problem.offset
            os.truncate(path, valid)
            report.warnings.append(
                f"short read while loading the AOF file {path}: {problem.detail}; truncated "
                f"the AOF at offset {valid} ({len(data) - valid} bytes dropped), loaded anyway "
                f"because aof-load-truncated is on")
    return report

"""The append-only file attached to an engine: propagation, writing, rewriting.

``open_durable_engine(DIR)`` is the one entry point: it builds an Engine, replays what DIR
holds (loader), and attaches an ``AppendOnlyFile`` as ``engine.aof``. From then on the engine
hands every write command (and EXEC, and each blocked XREADGROUP it serves) to ``run`` /
``serve``, which log what the command became (propagate) with a SELECT whenever the database
changes, a transaction's commands between MULTI and EXEC, as Redis does.

``rewrite`` is BGREWRITEAOF: the state as the fewest commands (rewrite.py), written to a
temporary file, fsynced and renamed over the old file, so a crash at any moment leaves either
the old file or the new one. It also runs by itself once the file has doubled since the last
rewrite and is past a minimum size (Redis's auto-aof-rewrite-percentage 100 and
auto-aof-rewrite-min-size, 64mb by default).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..engine import BLOCKED, Client, Engine
from ..model.reply import Error
from ..protocol.resp import encode_command, materialize
from . import propagate
from .layout import Layout, ManifestEntry, find_layout, fsync_dir, write_atomically
from .loader import LoadReport, load
from .rewrite import rewrite_bytes
from .writer import AofWriter

AUTO_REWRITE_MIN_SIZE = 64 * 1024 * 1024
AUTO_REWRITE_PERCENTAGE = 100


class AppendOnlyFile:
    """Logs an engine's writes to its data directory's AOF."""

    def __init__(self, engine: Engine, layout: Layout, appendfsync: str = "everysec", *,
                 auto_rewrite_min_size: int = AUTO_REWRITE_MIN_SIZE,
                 group_commit: bool = False) -> None:
        self.engine = engine
        self.layout = layout
        self.appendfsync = appendfsync
        self.auto_rewrite_min_size = auto_rewrite_min_size
        self.group_commit = group_commit
        self.writer = AofWriter(layout.append_to, appendfsync, defer=group_commit)
        self._measure_other_files()
        self.base_size = self._total_size()
        self.selected_db: int | None = None   # Redis starts a file with no database selected
        self._tx: list | None = None
        self.rewrites = 0
        self.report = LoadReport()
        self._reader = Client(engine, "__aof_reader__", hidden=True)

    def read(self, args: list[bytes], db: int = 0):
        """A read-only command's reply (XPENDING, XINFO), its handler called directly.

        Not ``engine.introspect``: that runs a whole command, which serves blocked clients and
        queued commands — wrong in the middle of an EXEC or of serving a blocked read.
        """
        reader = self._reader
        reader.db = self.engine.dbs[db]
        cmd = self.engine.commands[args[0].lower()]
        if cmd.subcommands:
            cmd = cmd.subcommands[args[1].lower()]
        return materialize(reader.run_handler(cmd, args))

    # -- the engine's hooks ------------------------------------------------------------------
    def run(self, client, cmd, args: list[bytes], runner):
        """Run a write command (or EXEC) through ``runner`` and log what it changed."""
        if cmd.base == "exec":
            if self._tx is not None:
                return runner(cmd, args)
            self._tx = []
            try:
                reply = runner(cmd, args)
            finally:
                queued, self._tx = self._tx, None
            if queued:
                first_db = queued[0][0]
                self._write([(first_db, [b"MULTI"]), *queued, (queued[-1][0], [b"EXEC"])])
            return reply
        state = propagate.before(client, cmd.fullname, args)
        reply = runner(cmd, args)
        if reply is not BLOCKED and type(reply) is not Error:
            self._log(client.db.index, propagate.after(client, cmd.fullname, args, reply, state))
        return reply

    def serve(self, waiter, state, key: bytes):
        """Serve a blocked client (the engine's on_ready) and log a served XREADGROUP."""
        if state.command != "xreadgroup":
            return state.on_ready(waiter, key)
        before = propagate.before(waiter, "xreadgroup", state.args)
        reply = state.on_ready(waiter, key)
        if reply is not None and type(reply) is not Error:
            self._log(waiter.db.index,
                      propagate.after(waiter, "xreadgroup", state.args, reply, before))
        return reply

    # -- writing -----------------------------------------------------------------------------
    def _log(self, db: int, commands: list[list[bytes]]) -> None:
        if not commands:
            return
        items = [(db, args) for args in commands]
        if self._tx is not None:
            self._tx.extend(items)
        else:
            self._write(items)

    def _write(self, items: list[tuple[int, list[bytes]]]) -> None:
        parts = []
        for db, args in items:
            if db != self.selected_db:
                parts.append(encode_command([b"SELECT", b"%d" % db]))
                self.selected_db = db
            parts.append(encode_command(args))
        self.writer.write(b"".join(parts))
        if self._should_rewrite():
            self.rewrite()

    def _should_rewrite(self) -> bool:
        size = self._total_size()
        growth = (size - self.base_size) * 100 // max(self.base_size, 1)
        return size >= self.auto_rewrite_min_size and growth >= AUTO_REWRITE_PERCENTAGE

    def _total_size(self) -> int:
        return self._other_size + self.writer.size

    def _measure_other_files(self) -> None:
        """Size of the files loaded but not appended to (a multi-part base): read once."""
        self._other_size = sum(p.stat().st_size for p in self.layout.files
                               if p.exists() and p != self.layout.append_to)

    # -- BGREWRITEAOF --------------------------------------------------------------------------
    def rewrite(self) -> None:
        """Replace the AOF by the commands that rebuild the current state, atomically."""
        data = rewrite_bytes(self.engine, self.read)
        self.writer.close()
        layout = self.layout
        if layout.manifest is None:
            write_atomically(layout.append_to, data)
            layout.files = [layout.append_to]
        else:
            self._rewrite_multipart(data)
        self.writer = AofWriter(layout.append_to, self.appendfsync, defer=self.group_commit)
        self._measure_other_files()
        self.selected_db = None
        self.base_size = self._total_size()
        self.rewrites += 1

    def _rewrite_multipart(self, data: bytes) -> None:
        """Redis 7.0's way: a new base and an empty incr file, then the manifest names them."""
        layout = self.layout
        folder = layout.manifest.parent
        prefix = layout.manifest.name[:-len(".manifest")]
        base_seq = max((e.seq for e in layout.entries if e.kind == "b"), default=0) + 1
        incr_seq = max((e.seq for e in layout.entries if e.kind == "i"), default=0) + 1
        base = ManifestEntry(f"{prefix}.{base_seq}.base.aof", base_seq, "b")
        incr = ManifestEntry(f"{prefix}.{incr_seq}.incr.aof", incr_seq, "i")
        write_atomically(folder / base.name, data)
        write_atomically(folder / incr.name, b"")
        old = [folder / e.name for e in layout.entries]
        write_atomically(layout.manifest, (base.line() + incr.line()).encode())
        for path in old:
            if path.exists():
                path.unlink()
        fsync_dir(folder)
        layout.entries = [base, incr]
        layout.files = [folder / base.name, folder / incr.name]
        layout.append_to = folder / incr.name

    def before_reply(self) -> None:
        """With ``group_commit`` (a server): fsync what ``always`` still owes, before any reply
        is written, as Redis does once per event-loop iteration."""
        if self.appendfsync == "always":
            self.writer.sync()

    def close(self) -> None:
        """Flush and close the file (the engine then logs nothing more)."""
        self.writer.close()
        if self.engine.aof is self:
            self.engine.aof = None


def open_durable_engine(directory: str | os.PathLike, appendfsync: str = "everysec", *,
                        clock=None, load_truncated: bool = True,
                        auto_rewrite_min_size: int = AUTO_REWRITE_MIN_SIZE,
                        group_commit: bool = False) -> Engine:
    """An Engine restored from ``directory``'s AOF that logs every write back to it.

    ``group_commit`` is for a server that calls ``engine.aof.before_reply()`` before writing
    replies: under ``always`` the commands of one pipeline then share one fsync.

    Raises loader.AofLoadError (file and byte offset in the message) when the AOF cannot be
    loaded; warnings (a truncated tail that was cut) are in ``engine.aof.report.warnings``.
    """
    engine = Engine(clock=clock)
    layout = find_layout(Path(directory))
    report = load(engine, layout, load_truncated=load_truncated)
    aof = AppendOnlyFile(engine, layout, appendfsync,
                         auto_rewrite_min_size=auto_rewrite_min_size, group_commit=group_commit)
    aof.report = report
    engine.aof = aof
    return engine

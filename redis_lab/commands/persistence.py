"""BGREWRITEAOF: compact the append-only file (redis_lab.persistence does the work).

The engine knows no files: the AOF attached as ``engine.aof`` (``redis-lab --data DIR``) does
the rewrite. Without one there is nothing to rewrite, and the learner is told how to get one.
"""

from __future__ import annotations

from ..model.errors import CommandError
from ..model.reply import Status
from .table import command

NO_AOF = "ERR no append only file: start redis-lab with --data DIR to keep one"


@command("BGREWRITEAOF", arity=1, flags="admin noscript", group="server", syntax="",
         summary="Rewrite the append-only file as the fewest commands that rebuild the current "
                 "data (entries, groups, pending lists), replacing the old file atomically.",
         complexity="O(N) keys and entries", since="1.0.0", example="BGREWRITEAOF",
         related="XINFO")
def bgrewriteaof(client, args):
    aof = client.engine.aof
    if aof is None:
        raise CommandError(NO_AOF)
    aof.rewrite()
    return Status("Background append only file rewriting started")

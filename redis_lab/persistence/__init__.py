"""Durability as Redis does it: an append-only file in Redis's own format.

    engine = open_durable_engine("data", appendfsync="always")   # replays data/appendonly.aof

Modules: aofformat (read/write commands), propagate (what a command becomes in the file),
writer (appendfsync), layout (single file or Redis 7's manifest), loader (replay, damaged tail),
rewrite (BGREWRITEAOF), aof (ties them to an engine), checkaof (``redis-lab check-aof``).
See docs/PERSISTENCE.md.
"""

from .aof import AppendOnlyFile, open_durable_engine
from .loader import AofLoadError

__all__ = ["AppendOnlyFile", "AofLoadError", "open_durable_engine"]

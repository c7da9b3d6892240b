"""The teacher's dashboard: a live picture of everything a server's clients do.

``redis-lab dashboard redis://host:port`` (or ``redis-lab serve --dashboard``) connects like any
client and redraws, a few times a second: every connection by name (CLIENT SETNAME) or address
with its subscriptions and what it is blocked in; every stream's groups with their lag,
pending entries and consumers (the lag view); the channels with their subscribers, and how many
slow subscribers the server dropped. It reads only through commands (CLIENT LIST, SCAN, XINFO,
PUBSUB, INFO), so it works on redis-lab serve and on a real Redis alike.
"""

from .board import Dashboard, RespConnection, gather, run

__all__ = ["Dashboard", "RespConnection", "gather", "run"]

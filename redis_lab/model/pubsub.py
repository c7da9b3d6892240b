"""Who is subscribed to what: channels, patterns and shard channels, server-wide.

Each name maps to its subscribers in subscription order (Redis keeps a linked list per channel),
so a PUBLISH reaches channel subscribers in the order they subscribed, then pattern subscribers.
"""

from __future__ import annotations

from .glob import glob_match


class SubscriptionCounts:
    """What a client's ``channels``, ``patterns`` and ``shard_channels`` say about it; shared by
    the engine's live Client and the backends' ClientState snapshot."""

    @property
    def subscription_count(self) -> int:
        """Channels + patterns: the count Redis puts in (p)subscribe frames."""
        return len(self.channels) + len(self.patterns)

    @property
    def in_pubsub_mode(self) -> bool:
        return bool(self.channels or self.patterns or self.shard_channels)


class PubSubRegistry:
    __slots__ = ("channels", "patterns", "shard_channels")

    def __init__(self) -> None:
        self.channels: dict[bytes, dict] = {}
        self.patterns: dict[bytes, dict] = {}
        self.shard_channels: dict[bytes, dict] = {}

    @staticmethod
    def add(table: dict, name: bytes, client) -> None:
        subscribers = table.get(name)
        if subscribers is None:
            subscribers = table[name] = {}
        subscribers[client] = None

    @staticmethod
    def remove(table: dict, name: bytes, client) -> None:
        subscribers = table.get(name)
        if subscribers is not None:
            subscribers.pop(client, None)
            if not subscribers:
                del table[name]

    def receivers(self, channel: bytes):
        """Yield ``(client, pattern_or_None)`` for each delivery a PUBLISH to ``channel`` makes."""
        subscribers = self.channels.get(channel)
        if subscribers:
            for client in subscribers:
                yield client, None
        if self.patterns:
            for pattern, clients in list(self.patterns.items()):
                if glob_match(pattern, channel):
                    for client in list(clients):
                        yield client, pattern

    def names(self, table: dict, pattern: bytes | None) -> list[bytes]:
        if pattern is None:
            return list(table)
        return [name for name in table if glob_match(pattern, name)]

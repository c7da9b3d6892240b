"""The keyspace: numbered databases mapping keys to values, with millisecond expiry.

Values are ``bytes`` (Redis strings) or model objects such as ``Stream``. The database knows
nothing of commands; it reports deletions so the engine can wake clients blocked on a key.
"""

from __future__ import annotations

from typing import Callable

from .errors import WRONGTYPE, CommandError

NUM_DATABASES = 16


def type_name(value) -> str:
    """Redis's TYPE name for a stored value."""
    if type(value) is bytes:
        return "string"
    return value.TYPE_NAME


class Database:
    """One numbered database (SELECT n)."""

    __slots__ = ("index", "data", "expires", "_now", "_on_delete")

    def __init__(self, index: int, now: Callable[[], int], on_delete: Callable) -> None:
        self.index = index
        self.data: dict[bytes, object] = {}
        self.expires: dict[bytes, int] = {}
        self._now = now
        self._on_delete = on_delete

    def get(self, key: bytes):
        """The live value at ``key`` or None (expired keys are removed on access, as Redis does)."""
        value = self.data.get(key)
        if value is not None and self.expires and key in self.expires:
            if self.expires[key] <= self._now():
                self.delete(key)
                return None
        return value

    def get_typed(self, key: bytes, kind: type):
        """The value at ``key`` if it is a ``kind``; None if missing; WRONGTYPE otherwise."""
        value = self.get(key)
        if value is not None and type(value) is not kind:
            raise CommandError(WRONGTYPE)
        return value

    def set(self, key: bytes, value, *, keep_ttl: bool = False) -> None:
        old = self.data.get(key)
        self.data[key] = value
        if not keep_ttl:
            self.expires.pop(key, None)
        if old is not None and old is not value and type(old) is not bytes:
            self._on_delete(self.index, key)  # a stream replaced: wake its blocked readers

    def expire_at(self, key: bytes, when_ms: int) -> None:
        self.expires[key] = when_ms

    def delete(self, key: bytes) -> bool:
        if key not in self.data:
            return False
        del self.data[key]
        self.expires.pop(key, None)
        self._on_delete(self.index, key)
        return True

    def live_keys(self) -> list[bytes]:
        """All keys that have not expired, in insertion order."""
        if self.expires:
            now = self._now()
            for key, when in list(self.expires.items()):
                if when <= now:
                    self.delete(key)
        return list(self.data)

    def clear(self) -> None:
        keys = list(self.data)
        self.data.clear()
        self.expires.clear()
        for key in keys:
            self._on_delete(self.index, key)

    def __len__(self) -> int:
        return len(self.data)

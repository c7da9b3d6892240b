"""The backend seam: what the session needs from a Redis, whichever Redis it is.

The session (and through it the shell, the views and the course) talks to one ``Backend``. Two
implementations exist: ``LocalBackend`` (the embedded Engine, in-process, with its virtual
clock) and ``RemoteBackend`` (a real redis-server over sockets). Nothing above the session sees
an engine object: client state comes back as the small frozen dataclasses below, so the same
prompt, toolbar, ``:clients`` and lesson checks work on both.

A backend speaks in reply *values* (``redis_lab.model.reply``: bytes, int, list, ``Error``,
``Map``...), the values ``redis_lab.protocol.resp.parse`` makes of the bytes a server sent, so
one formatter prints both exactly as redis-cli would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine import BLOCKED
from ..model.pubsub import SubscriptionCounts

__all__ = ["BLOCKED", "Backend", "BackendError", "Blocked", "ClientState", "Note",
           "OutputListener"]

#: ``listener(label, value, resp3)``: something was pushed to client ``label``.
OutputListener = Callable[[str, object, bool], None]


class BackendError(Exception):
    """A problem reaching the server, in one line a learner can act on (refused, WRONGPASS...)."""


class Note(str):
    """A line about a connection (reconnected, messages lost), not something Redis sent."""


@dataclass(frozen=True)
class Blocked:
    """What a client is blocked on: ``XREADGROUP`` on ``(b"orders",)`` since/until (ms)."""

    command: str                 # upper case, subcommands spaced: "XREADGROUP", "BLPOP"
    keys: tuple[bytes, ...]
    since_ms: int
    deadline_ms: int             # absolute; 0 = no timeout

    @property
    def keys_text(self) -> str:
        return ", ".join(k.decode("utf-8", "replace") for k in self.keys) or "?"


@dataclass(frozen=True)
class ClientState(SubscriptionCounts):
    """One named client as the shell, views and course see it."""

    label: str
    id: int
    db: int = 0
    resp: int = 2
    channels: tuple[bytes, ...] = ()
    patterns: tuple[bytes, ...] = ()
    shard_channels: tuple[bytes, ...] = ()
    blocked: Blocked | None = None
    multi_queued: int | None = None   # commands queued since MULTI; None outside MULTI
    closed: bool = False
    last_command: str = ""


class Backend:
    """The interface; see ``local.LocalBackend`` and ``remote.RemoteBackend``.

    Clients are named (``default``, ``alice``) and connected on first use. Labels written
    ``__like_this__`` belong to tools, not learners.
    """

    #: None for the embedded engine; else where the session is, for the prompt and toolbar:
    #: ``redis://127.0.0.1:6379/0 · Redis 7.0.15``.
    location: str | None = None
    #: True when the server is shared with others (a real Redis): destructive commands ask first.
    remote: bool = False
    #: The database clients start in (a ``/db`` in the URL).
    home_db: int = 0
    #: True on a Redis Cluster (the views then name the node serving a key or shard channel).
    cluster: bool = False

    @property
    def clock(self):  # pragma: no cover - interface
        """The clock the server's time is read from (``now_ms()``, ``virtual``)."""
        raise NotImplementedError

    def labels(self) -> list[str]:  # pragma: no cover - interface
        """Every client's label, in the order they were first used."""
        raise NotImplementedError

    def connect(self, label: str) -> bool:  # pragma: no cover - interface
        """Make sure client ``label`` exists; True if it was new."""
        raise NotImplementedError

    def state(self, label: str) -> ClientState | None:  # pragma: no cover - interface
        raise NotImplementedError

    def execute(self, label: str, args: list[bytes]) -> object:  # pragma: no cover
        """Run ``args`` as ``label``; the reply value, or BLOCKED while the client waits."""
        raise NotImplementedError

    def introspect(self, args: list[bytes], db: int = 0) -> object:  # pragma: no cover
        """Run a read-only command on a tool's own connection; the reply value (errors too)."""
        raise NotImplementedError

    def poll(self) -> None:  # pragma: no cover - interface
        """Let time pass: expire wall-clock BLOCK timeouts, collect what readers received."""
        raise NotImplementedError

    #: Each backend starts its own (empty) list: who hears output outside a reply.
    _listeners: list[OutputListener]

    def add_listener(self, listener: OutputListener) -> None:
        """Hear what clients receive outside a reply (pushes, late replies); once per listener."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener: OutputListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def crash(self, label: str) -> None:  # pragma: no cover - interface
        """Drop ``label``'s connection at once and forget the client (``:crash``)."""
        raise NotImplementedError

    def cancel_block(self, label: str) -> None:  # pragma: no cover - interface
        """Stop ``label``'s blocked command as redis-cli's Ctrl-C does (answers with its timeout
        reply)."""
        raise NotImplementedError

    def set_clock(self, factory: Callable | None) -> None:  # pragma: no cover - interface
        """Use clocks made by ``factory`` (None: the wall clock)."""
        raise NotImplementedError

    def reset(self) -> None:  # pragma: no cover - interface
        """Forget every client. The embedded engine starts empty; a real server keeps its data
        (nothing is ever flushed implicitly)."""
        raise NotImplementedError

    def track_keys(self, keys: set[bytes]) -> None:
        """Add to ``keys`` every key a command writes from now on (lessons clean up after
        themselves on a shared server); the embedded engine has nothing to clean."""

    def forget_keys(self, keys: set[bytes]) -> None:
        """Delete exactly ``keys`` (and empty the set): the keys lessons wrote, nothing else."""
        keys.clear()

    def take_notes(self) -> list[str]:
        """Lines about the connection since the last call (reconnected, messages lost...)."""
        return []

    def close(self) -> None:
        """Release connections (nothing to do for the embedded engine)."""

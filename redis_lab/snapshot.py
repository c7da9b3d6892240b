"""Engine snapshots: save what an engine holds and put it back (``:undo``, ``:retry``, ``:restore``).

A snapshot copies the data a command could change and nothing else, so one can be taken before
every learner command: a read-only command copies no key at all, a write copies only the keys
named in its arguments (a stream is copied node by node, its arrays with one ``memcpy`` each),
and only commands that reach beyond their arguments (FLUSHALL, SWAPDB, a client with queued
commands that a write may release) copy every key. Keys that did not exist are remembered as
absent, so restoring deletes what the command created. Connection state (subscriptions,
blocking, MULTI queues, client ids) and the virtual clock are small and always saved.

Restoring keeps every Client and Database object in place and refills them, so anything that
holds one (the session, a blocked reader's wait) stays valid.
"""

from __future__ import annotations

import itertools
from array import array

_ATOMIC = frozenset({bytes, int, str, bool, float, type(None), frozenset})
_FLAT = frozenset({array, bytearray})
_EVERYTHING = frozenset({b"flushall", b"flushdb", b"swapdb", b"select", b"move"})
_ABSENT = object()


def copy_value(value, memo: dict | None = None):
    """A deep copy of a stored value (bytes, or a Stream with its groups) that shares nothing
    mutable with the original. Objects reached twice (a consumer from the PEL and from the
    group) are copied once, so the copy has the original's shape."""
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if kind is array or kind is bytearray:
        return value[:]
    if kind is tuple:
        return value if all(type(v) in _ATOMIC for v in value) else tuple(copy_value(v, memo) for v in value)
    if memo is None:
        memo = {}
    found = memo.get(id(value))
    if found is not None:
        return found
    if kind is list:
        if not value or type(value[0]) in _ATOMIC and type(value[-1]) in _ATOMIC \
                and all(type(v) in _ATOMIC for v in value):
            return value[:]
        out: list = []
        memo[id(value)] = out
        out.extend(copy_value(v, memo) for v in value)
        return out
    if kind is dict:
        out_d: dict = {}
        memo[id(value)] = out_d
        for k, v in value.items():
            out_d[k] = v if type(v) in _ATOMIC else copy_value(v, memo)
        return out_d
    copier = _COPIERS.get(kind)
    if copier is None:
        copier = _COPIERS[kind] = _make_copier(kind)
    return copier(value, memo)


_COPIERS: dict[type, object] = {}


def _make_copier(kind: type):
    """A copier written for one class, attribute by attribute (as dataclasses writes its
    __init__): a stream of 100,000 entries is 1,000 nodes of 15 slots each, and naming the
    slots in code instead of calling getattr/setattr by string makes its copy several times
    faster. Machine-word arrays and bytearrays are copied with one slice each."""
    lines = ["def copier(value, memo):", "    out = new(kind)", "    memo[id(value)] = out"]
    for name in _slots(kind):
        lines += [f"    try:", f"        item = value.{name}", "    except AttributeError:",
                  "        pass", "    else:", "        t = type(item)",
                  f"        out.{name} = item if t in atomic else item[:] if t in flat "
                  "else copy_value(item, memo)"]
    lines.append("    return out")
    scope = {"new": kind.__new__, "kind": kind, "atomic": _ATOMIC, "flat": _FLAT,
             "copy_value": copy_value}
    exec("\n".join(lines), scope)  # noqa: S102 - generated from the class's own slot names
    return scope["copier"]


_SLOTS: dict[type, tuple[str, ...]] = {}


def _slots(kind: type) -> tuple[str, ...]:
    found = _SLOTS.get(kind)
    if found is None:
        names: list[str] = []
        for klass in kind.__mro__:
            slots = klass.__dict__.get("__slots__", ())
            names.extend([slots] if isinstance(slots, str) else slots)
        if not names:
            raise TypeError(f"cannot snapshot a {kind.__name__}: it declares no __slots__")
        found = _SLOTS[kind] = tuple(names)
    return found


def _next(counter) -> tuple[int, itertools.count]:
    """The next number a counter would give, and a counter that still gives it."""
    n = next(counter)
    return n, itertools.count(n)


class Snapshot:
    """An engine's state at one moment (all of it, or what one command could change)."""

    def __init__(self, engine, keys: dict[tuple[int, bytes], object] | None,
                 complete: bool) -> None:
        self.complete = complete
        self.keys = keys or {}       # (db, key) -> (value copy, expire) or _ABSENT
        self.data: list | None = None
        self.clients = {label: (c, _client_state(c)) for label, c in engine.clients.items()}
        engine_ids, engine._ids = _next(engine._ids)
        anonymous, engine._anonymous = _next(engine._anonymous)
        self.counters = (engine_ids, anonymous)
        self.blocked_on = {k: dict(v) for k, v in engine.blocked_on.items()}
        self.ready_keys = dict(engine.ready_keys)
        self.unblocked = list(engine.unblocked)
        self.pubsub = tuple({name: dict(subs) for name, subs in table.items()}
                            for table in _pubsub_tables(engine))
        self.clock_ms = engine.clock.now_ms() if getattr(engine.clock, "virtual", False) else None
        if complete:
            self.data = [({k: copy_value(v) for k, v in db.data.items()}, dict(db.expires))
                         for db in engine.dbs]

    @property
    def size(self) -> int:
        """Roughly how many stored stream entries this snapshot holds (to bound memory)."""
        total = 0
        values = [v for v in self.keys.values() if v is not _ABSENT]
        if self.data is not None:
            values = [(v, None) for data, _ in self.data for v in data.values()]
        for value, _ in values:
            total += getattr(value, "length", 1)
        return total + 1


def _pubsub_tables(engine) -> tuple[dict, dict, dict]:
    registry = engine.pubsub
    return registry.channels, registry.patterns, registry.shard_channels


_CONTAINERS = ("channels", "patterns", "shard_channels", "queued_while_blocked", "outbox")


def _client_state(client) -> dict:
    state = dict(vars(client))
    for name in _CONTAINERS:
        if name in state:
            state[name] = type(state[name])(state[name])
    if state.get("multi") is not None:
        state["multi"] = list(state["multi"])
    return state


def take(engine, args: list[bytes] | None = None) -> Snapshot:
    """A snapshot before ``args`` runs (copying only what it may change), or of everything."""
    if args is None or _reaches_everything(engine, args):
        return Snapshot(engine, None, complete=True)
    named = list(args[1:])
    for client in engine.clients.values():
        for _, queued in client.multi or ():
            named.extend(queued[1:])           # EXEC runs what MULTI queued
    keys: dict[tuple[int, bytes], object] = {}
    readonly = _is_readonly(engine, args)
    for db in engine.dbs:
        for key in db.expires:                 # reading an expired key deletes it
            keys[(db.index, key)] = (copy_value(db.data[key]), db.expires[key]) \
                if key in db.data else _ABSENT
        if readonly:
            continue
        for key in named:
            if (db.index, key) in keys:
                continue
            value = db.data.get(key)
            keys[(db.index, key)] = _ABSENT if value is None else \
                (copy_value(value), db.expires.get(key))
    return Snapshot(engine, keys, complete=False)


def _flags(engine, args: list[bytes]) -> frozenset:
    cmd = engine.commands.get(args[0].lower()) if args else None
    if cmd is not None and cmd.subcommands and len(args) > 1:
        cmd = cmd.subcommands.get(args[1].lower())
    return cmd.flags if cmd is not None else frozenset()


def _is_readonly(engine, args: list[bytes]) -> bool:
    return "readonly" in _flags(engine, args)


def changes_nothing(engine, args: list[bytes]) -> bool:
    """True for a read-only, non-blocking command while no key has a TTL (reading an expired
    key deletes it): there is nothing for ``:undo`` to take back."""
    flags = _flags(engine, args)
    return "readonly" in flags and "blocking" not in flags \
        and not any(db.expires for db in engine.dbs) \
        and not any(c.multi is not None for c in engine.clients.values())


def _reaches_everything(engine, args: list[bytes]) -> bool:
    if not args or args[0].lower() in _EVERYTHING:
        return True
    # A write may serve a blocked client, which then runs the commands it queued meanwhile.
    return any(c.queued_while_blocked for c in engine.clients.values())


def restore(engine, snapshot: Snapshot, *, keep: bool = True) -> None:
    """Put the engine back as it was when ``snapshot`` was taken.

    ``keep``: the snapshot may be restored again (its values are copied once more); an undo
    entry is restored once and hands its copies over.
    """
    give = copy_value if keep else (lambda v: v)
    if snapshot.complete:
        for db, (data, expires) in zip(engine.dbs, snapshot.data):
            db.data.clear()
            db.data.update({k: give(v) for k, v in data.items()})
            db.expires.clear()
            db.expires.update(expires)
    else:
        for (index, key), saved in snapshot.keys.items():
            db = engine.dbs[index]
            if saved is _ABSENT:
                db.data.pop(key, None)
                db.expires.pop(key, None)
                continue
            value, expire = saved
            db.data[key] = give(value)
            if expire is None:
                db.expires.pop(key, None)
            else:
                db.expires[key] = expire
    # The same Client objects come back (even one that crashed since): the pub/sub tables,
    # blocked_on and the session hold them. Their order is kept too (CLIENT LIST shows it).
    engine.clients.clear()
    for label, (client, state) in snapshot.clients.items():
        fresh = dict(state)
        for name in _CONTAINERS:
            if name in fresh:
                fresh[name] = type(fresh[name])(fresh[name])
        if fresh.get("multi") is not None:
            fresh["multi"] = list(fresh["multi"])
        vars(client).clear()
        vars(client).update(fresh)
        engine.clients[label] = client
    engine._ids = itertools.count(snapshot.counters[0])
    engine._anonymous = itertools.count(snapshot.counters[1])
    engine.blocked_on.clear()
    engine.blocked_on.update({k: dict(v) for k, v in snapshot.blocked_on.items()})
    engine.ready_keys.clear()
    engine.ready_keys.update(snapshot.ready_keys)
    engine.unblocked[:] = snapshot.unblocked
    for table, saved in zip(_pubsub_tables(engine), snapshot.pubsub):
        table.clear()
        table.update({name: dict(subs) for name, subs in saved.items()})
    if snapshot.clock_ms is not None and engine.clock.now_ms() != snapshot.clock_ms:
        engine.clock.set(snapshot.clock_ms)
    if getattr(engine, "aof", None) is not None:
        engine.aof.rewrite()   # --data: the file must say what the engine now holds



class History:
    """A session's undo stack and named snapshots.

    ``before(engine, args)`` is called before each learner command (``args`` None before a
    meta-command that changes state: everything is saved); ``undo`` puts back the newest entry.
    Memory stays bounded: once the saved copies hold more than ``budget`` stream entries, the
    oldest entries are dropped (``undo`` then says how far back it can go).
    """

    def __init__(self, budget: int = 2_000_000) -> None:
        self.entries: list[tuple[str, Snapshot]] = []
        self.named: dict[str, Snapshot] = {}
        self.budget = budget
        self.dropped = 0
        self.paused = 0

    def before(self, engine, args: list[bytes] | None, what: str) -> None:
        if self.paused or (args is not None and changes_nothing(engine, args)):
            return
        self.entries.append((what, take(engine, args)))
        total = sum(s.size for _, s in self.entries)
        while total > self.budget and len(self.entries) > 1:
            total -= self.entries.pop(0)[1].size
            self.dropped += 1

    def undo(self, engine) -> str | None:
        """Undo the newest entry; its description, or None when there is nothing to undo."""
        if not self.entries:
            return None
        what, snapshot = self.entries.pop()
        restore(engine, snapshot, keep=False)
        return what

    def clear(self) -> None:
        self.entries.clear()
        self.dropped = 0

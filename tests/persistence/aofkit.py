"""Helpers for the AOF tests: the state worth comparing, read through introspection commands.

``state(call, keys)`` collects, for each key, TYPE and for streams XINFO STREAM FULL COUNT 0,
XINFO GROUPS, and per group XPENDING (summary and every row) and XINFO CONSUMERS, each parsed
from RESP so the engine and redis-server compare alike. What depends on when a command ran
(a consumer's seen-time and idle, a pending entry's idle) is masked; delivery times are not:
the AOF keeps them (XCLAIM ... TIME).
"""

from __future__ import annotations

from redis_lab.protocol.resp import encode, parse

MASKED = (b"seen-time", b"idle", b"inactive")
RADIX = (b"radix-tree-keys", b"radix-tree-nodes")


def _mask(value, names=MASKED):
    if isinstance(value, list):
        out = [_mask(item, names) for item in value]
        for i in range(len(out) - 1):
            if out[i] in names:
                out[i + 1] = "masked"
        return out
    return value


def engine_call(engine, db: int = 0):
    """``call(args) -> parsed reply`` through the engine's invisible observer."""
    def call(*args):
        return parse(encode(engine.introspect([_b(a) for a in args], db)))[0]
    return call


def server_call(server):
    def call(*args):
        return parse(server.command(*args))[0]
    return call


def _b(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def state(call, keys, *, mask_radix: bool = False) -> dict:
    """Everything introspection shows about ``keys`` (times that depend on 'now' masked)."""
    names = MASKED + RADIX if mask_radix else MASKED
    found = {}
    for key in keys:
        kind = str(call("TYPE", key))
        found[(key, "type")] = kind
        if kind == "string":
            found[(key, "value")] = call("GET", key)
        if kind != "stream":
            continue
        found[(key, "full")] = _mask(call("XINFO", "STREAM", key, "FULL", "COUNT", "0"), names)
        groups = call("XINFO", "GROUPS", key)
        found[(key, "groups")] = groups
        for group in groups:
            name = group[group.index(b"name") + 1]
            found[(key, name, "summary")] = call("XPENDING", key, name)
            rows = call("XPENDING", key, name, "-", "+", "1000000")
            found[(key, name, "rows")] = [[r[0], r[1], "masked", r[3]] for r in rows]
            found[(key, name, "consumers")] = _mask(call("XINFO", "CONSUMERS", key, name))
    return found


def assert_same(want: dict, got: dict, label: str = "") -> None:
    assert want.keys() == got.keys(), label
    for name in want:
        assert want[name] == got[name], \
            f"{label} {name}:\n  want {want[name]!r}\n  got  {got[name]!r}"

"""Live views of Redis state: streams, the PEL, consumer lag, pub/sub fan-out, delivery flow.

Layers, each built only on the one before it:

    connection.py   Connection protocol: ``execute(args) -> reply`` (the engine's Client has it)
    snapshots.py    dataclasses gathered through XINFO / XPENDING / XRANGE / PUBSUB / TIME
    observe.py      before/after observations of one command, and the PEL flow it caused
    explain.py      one line of narration from before/after
    stream.py, pel.py, lag.py, fanout.py, flow.py, narration.py
                    rich renderables, one per module (rich loads only when they do)
    watches.py      WatchList and ViewSession: what the shell calls

Nothing here looks inside the engine: the same views work against a real Redis server. Importing
this package does not import rich (the shell must start fast); the names below load lazily.
"""

from __future__ import annotations

_EXPORTS = {
    "ViewSession": "watches", "WatchList": "watches", "Watch": "watches",
    "ViewSettings": "watches", "Message": "watches", "META_COMMANDS": "watches",
    "Connection": "connection", "engine_connection": "connection",
    "Subscriber": "snapshots", "subscribers_from_clients": "snapshots",
    "gather_stream": "snapshots", "gather_pel": "snapshots", "gather_lag": "snapshots",
    "gather_fanout": "snapshots",
    "StreamView": "stream", "PelView": "pel", "LagView": "lag", "FanoutView": "fanout",
    "FlowView": "flow", "Narration": "narration",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redis_lab.views' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

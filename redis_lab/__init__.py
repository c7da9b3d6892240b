"""redis-lab: learn Redis Pub/Sub and Streams on an in-process engine that answers as Redis 7.0.

    from redis_lab import Engine, VirtualClock
    engine = Engine(clock=VirtualClock(1_700_000_000_000))
    alice = engine.client("alice")
    alice.call("SUBSCRIBE", "chat")
"""

__version__ = "0.1.0"

from .engine import Engine  # noqa: E402
from .model.clock import VirtualClock, WallClock  # noqa: E402

__all__ = ["Engine", "VirtualClock", "WallClock", "__version__"]

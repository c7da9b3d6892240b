"""The prompt and the bottom toolbar: pure functions of the session's state (litecli style)."""

from __future__ import annotations

import time


def client_flags(client) -> list[str]:
    """What the prompt says about a client: ``subscribed: 2``, ``blocked``, ``RESP3`` ..."""
    if client.closed:
        return ["disconnected"]
    flags = []
    count = client.subscription_count + len(client.shard_channels)
    if count:
        flags.append(f"subscribed: {count}")
    if client.blocked is not None:
        flags.append("blocked")
    if client.multi is not None:
        flags.append(f"MULTI: {len(client.multi)} queued")
    if client.resp == 3:
        flags.append("RESP3")
    if client.db.index:
        flags.append(f"db {client.db.index}")
    return flags


def prompt_parts(session) -> tuple[str, str]:
    """``("alice", " (subscribed: 2)")`` for the prompt ``alice (subscribed: 2)> ``."""
    client = session.client()
    flags = client_flags(client)
    return session.current, (f" ({', '.join(flags)})" if flags else "")


def prompt_text(session) -> str:
    label, flags = prompt_parts(session)
    return f"{label}{flags}> "


def clock_text(clock) -> str:
    now = clock.now_ms()
    if clock.virtual:
        stamp = time.strftime("%H:%M:%S", time.gmtime(now // 1000)) + f".{now % 1000:03d}"
        return f"virtual clock {stamp}"
    return "wall clock " + time.strftime("%H:%M:%S", time.gmtime(now // 1000)) + " UTC"


def toolbar_text(session) -> str:
    """One line: the clients and their state, the clock, and the keys to remember."""
    parts = []
    for label, client in session.engine.clients.items():
        if label.startswith("__"):
            continue  # a tool's own connection (the views'), not a learner's client
        flags = client_flags(client)
        mark = "*" if label == session.current else ""
        parts.append(f"{mark}{label}" + (f" ({', '.join(flags)})" if flags else ""))
    return f" {'  '.join(parts)} | {clock_text(session.clock)} | :help"

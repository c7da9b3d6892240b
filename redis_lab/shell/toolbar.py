"""The prompt and the bottom toolbar: pure functions of the session's state (litecli style)."""

from __future__ import annotations

import time

from ..backends import ClientState


def client_flags(client: ClientState) -> list[str]:
    """What the prompt says about a client: ``subscribed: 2``, ``blocked``, ``RESP3`` ..."""
    if client.closed:
        return ["disconnected"]
    flags = []
    count = client.subscription_count + len(client.shard_channels)
    if count:
        flags.append(f"subscribed: {count}")
    if client.blocked is not None:
        flags.append("blocked")
    if client.multi_queued is not None:
        flags.append(f"MULTI: {client.multi_queued} queued")
    if client.resp == 3:
        flags.append("RESP3")
    if client.db:
        flags.append(f"db {client.db}")
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
    for client in session.client_states():  # a tool's own connection (the views') is left out
        flags = client_flags(client)
        mark = "*" if client.label == session.current else ""
        parts.append(f"{mark}{client.label}" + (f" ({', '.join(flags)})" if flags else ""))
    where = f"{session.location} | " if session.location else ""
    return f" {'  '.join(parts)} | {where}{clock_text(session.clock)} | :help"

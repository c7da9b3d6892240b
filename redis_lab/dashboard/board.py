"""Gather a server's state through commands and draw it: connections, streams, channels."""

from __future__ import annotations

import socket
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..protocol.resp import Incomplete, encode_command, parse
from ..views.lag import LagView
from ..views.snapshots import LagSnapshot, gather_lag

NAME = b"redis-lab-dashboard"
MAX_STREAMS = 8


class RespConnection:
    """A plain RESP2 connection: ``execute(args) -> reply value`` (what the views read with)."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        parsed = urlparse(url if "://" in url else f"redis://{url}")
        self.sock = socket.create_connection((parsed.hostname or "127.0.0.1",
                                              parsed.port or 6379), timeout=timeout)
        self.buf = b""
        if parsed.password:
            self.execute([b"AUTH", unquote(parsed.username or "default").encode(),
                          unquote(parsed.password).encode()])
        self.execute([b"CLIENT", b"SETNAME", NAME])

    def execute(self, args: list) -> object:
        self.sock.sendall(encode_command(args))
        while True:
            try:
                value, end = parse(self.buf)
            except Incomplete:
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    raise ConnectionError("the server closed the connection") from None
                self.buf += chunk
                continue
            self.buf = self.buf[end:]
            return value

    def close(self) -> None:
        self.sock.close()


@dataclass
class State:
    """One picture of the server."""

    clients: list[dict[str, str]] = field(default_factory=list)
    streams: list[LagSnapshot] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)
    dropped: str = "0"


def _lines(reply) -> list[dict[str, str]]:
    raw = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    rows = []
    for line in raw.splitlines():
        fields = dict(part.split("=", 1) for part in line.split(" ") if "=" in part)
        if fields and fields.get("name") != NAME.decode():
            rows.append(fields)
    return rows


def _stream_keys(conn: RespConnection) -> list[bytes]:
    keys, cursor = [], b"0"
    while True:
        cursor, batch = conn.execute([b"SCAN", cursor, b"TYPE", b"stream", b"COUNT", b"1000"])
        keys += batch
        if cursor == b"0" or len(keys) >= MAX_STREAMS:
            return sorted(keys)[:MAX_STREAMS]


def gather(conn: RespConnection) -> State:
    state = State(clients=_lines(conn.execute([b"CLIENT", b"LIST"])))
    state.streams = [gather_lag(conn, key) for key in _stream_keys(conn)]
    names = sorted(conn.execute([b"PUBSUB", b"CHANNELS"]))
    if names:
        counts = conn.execute([b"PUBSUB", b"NUMSUB", *names])
        state.channels = [(counts[i].decode("utf-8", "replace"), counts[i + 1])
                          for i in range(0, len(counts), 2)]
    info = conn.execute([b"INFO", b"stats"])
    text = info.decode("utf-8", "replace") if isinstance(info, bytes) else str(info)
    for line in text.splitlines():
        if line.startswith("client_output_buffer_limit_disconnections:"):
            state.dropped = line.split(":", 1)[1].strip()
    return state


class Dashboard:
    """The rich renderable of one State."""

    def __init__(self, state: State, title: str) -> None:
        self.state = state
        self.title = title

    def __rich_console__(self, console, options):
        state = self.state
        table = Table(title=f"{self.title}: {len(state.clients)} connections", expand=True)
        for column in ("client", "db", "subscriptions", "state", "last command", "idle"):
            table.add_column(column)
        for c in state.clients:
            flags = c.get("flags", "")
            doing = "blocked" if "b" in flags else "in MULTI" if "x" in flags else \
                "subscribed" if "P" in flags else ""
            subs = "/".join(c.get(k, "0") for k in ("sub", "psub", "ssub"))
            table.add_row(c.get("name") or c.get("addr", "?"), c.get("db", ""), subs, doing,
                          c.get("cmd", ""), f"{c.get('idle', '0')}s")
        parts = [table]
        if state.channels:
            parts.append(Text("channels: " + ", ".join(f"{name} ({n} subscribers)"
                                                        for name, n in state.channels)))
        parts.append(Text(f"slow subscribers dropped (client-output-buffer-limit): "
                          f"{state.dropped}"))
        parts += [LagView(snap) for snap in state.streams]
        yield Group(*parts)


def run(url: str, *, once: bool = False, width: int | None = None,
        interval: float = 0.5, sort: str = "name", student: str | None = None) -> int:
    """Draw the dashboard of the server at ``url``: once, or live until Ctrl-C. A classroom's
    teacher gets the class table instead (:mod:`.classroom`, sorted by ``sort``), or with
    ``student`` that student's sandbox, read-only."""
    from .classroom import picture_for, safe_title

    console = Console(width=width) if width else Console()
    try:
        conn = RespConnection(url)
    except OSError as exc:
        console.print(f"redis-lab dashboard: cannot connect to {safe_title(url)}: "
                      f"{exc.strerror or exc}")
        return 1
    try:
        picture = picture_for(conn, url, sort, student)
        if once:
            console.print(picture())
            return 0
        if student is None and console.is_terminal and sys.stdin.isatty():
            from .classroom import ClassBoard

            if isinstance(picture(), ClassBoard):   # the teacher's table: with keys
                from .live import browse

                return browse(conn, url, sort, interval, console)
        refresh(picture, console, interval)
    except KeyboardInterrupt:
        return 0
    except (OSError, ConnectionError) as exc:
        console.print(f"redis-lab dashboard: {exc}")
        return 1
    finally:
        conn.close()


def refresh(picture, console: Console, interval: float, stop=None) -> None:
    """Redraw ``picture()`` in place every ``interval`` s: until Ctrl-C, or until ``stop`` (a
    threading.Event: ``serve --dashboard`` runs this beside the server) is set."""
    from rich.live import Live

    with Live(picture(), console=console, auto_refresh=False) as live:
        while True:
            if stop is None:
                time.sleep(interval)
            elif stop.wait(interval):
                return
            live.update(picture(), refresh=True)

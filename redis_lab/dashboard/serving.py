"""``redis-lab serve --dashboard``: the server and, in the same terminal, its live dashboard.

The server keeps the main thread (its event loop owns SIGINT/SIGTERM); once it listens, a
thread draws the dashboard exactly as ``redis-lab dashboard URL`` would, through a loopback
connection of its own -- so it shows what any client would see, and the server needs no second
way in. Ctrl-C stops the server, which then stops the dashboard and waits for it.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

from rich.console import Console

from ..server import ServerOptions, run
from .board import RespConnection, refresh

INTERVAL_S = 0.5
_ANY = {"0.0.0.0": "127.0.0.1", "*": "127.0.0.1", "::": "::1", "::*": "::1"}


def serve_with_dashboard(options: ServerOptions, interval: float = INTERVAL_S) -> int:
    """Serve ``options`` in the foreground with the live dashboard; the server's exit status."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def on_ready(server) -> None:
        thread = threading.Thread(target=watch, args=(loopback_url(server), stop, interval),
                                  name="dashboard", daemon=True)
        thread.start()
        threads.append(thread)

    try:
        return run(options, on_ready)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def loopback_url(server) -> str:
    """How the dashboard reaches ``server``: its first bind address (a wildcard becomes the
    loopback), with the password it needs -- a classroom's teacher sees the class table."""
    host = server.options.bind.split()[0].lstrip("-")
    host = _ANY.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    auth = ""
    if server.classroom is not None:
        auth = f"teacher:{quote(server.classroom.teacher_password, safe='')}@"
    elif server.options.requirepass:
        auth = f":{quote(server.options.requirepass, safe='')}@"
    return f"redis://{auth}{host}:{server.port}"


def watch(url: str, stop: threading.Event, interval: float) -> None:
    """Draw the dashboard of ``url`` until ``stop``; a connection lost at shutdown is no error."""
    from .classroom import picture_for, safe_title

    console = Console()
    try:
        conn = RespConnection(url)
        try:
            refresh(picture_for(conn, url, "name", None), console, interval, stop)
        finally:
            conn.close()
    except (OSError, ConnectionError) as exc:
        if not stop.wait(1.0):   # not the server stopping: say why the dashboard went away
            console.print(f"redis-lab dashboard: {safe_title(url)}: {exc}")

"""Workloads outside the command path: shell start-up, and rendering the PEL and lag views.

Both depend on code other people are writing (redis_lab/shell/app.py, redis_lab/views). When it
is not there (or its API is not one we know), the metric is reported as "n/a" with the reason,
never as a failure.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .config import Sizes

ROOT = Path(__file__).resolve().parents[2]
_ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>78]|\x1b\][^\x07]*\x07")
#: The shell's prompt, "default> " or "alice> " at the start of a line (override with
#: REDIS_LAB_BENCH_PROMPT, a regular expression over the output with escape codes removed).
PROMPT = os.environ.get("REDIS_LAB_BENCH_PROMPT", r"(?m)^[\w@:.\-]+>(?=\s|\x08|$)")


class ExtrasContext:
    def __init__(self, sizes: Sizes, log=None) -> None:
        self.sizes = sizes
        self.metrics: dict[str, dict] = {}
        self.notes: list[str] = []
        self._log = log or (lambda text: print(text, file=sys.stderr, flush=True))

    def log(self, text: str) -> None:
        self._log(f"[extras] {text}")

    def record(self, key, label, samples, unit, **extra) -> None:
        self.metrics[key] = {"label": label, "unit": unit, "samples": samples,
                             "median": statistics.median(samples), **extra}
        self.log(f"{label}: {self.metrics[key]['median']:.4g} {unit}")

    def na(self, key, label, unit, reason) -> None:
        self.metrics[key] = {"label": label, "unit": unit, "samples": [], "median": None,
                             "na": reason}
        self.notes.append(f"{label}: n/a ({reason})")
        self.log(f"{label}: n/a ({reason})")


# ---------------------------------------------------------------------------------------------
# Shell start-up: `python -m redis_lab` in a pty, until the first prompt; then Ctrl-D
# ---------------------------------------------------------------------------------------------

def time_to_prompt(timeout: float = 10.0) -> tuple[float | None, str]:
    """Seconds from spawning ``python -m redis_lab`` on a pty to its first prompt (or None, why)."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "100",
        "LINES": "40"}
    env.pop("NO_COLOR", None)
    pattern = re.compile(PROMPT.encode())
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "redis_lab"], stdin=slave, stdout=slave,
                            stderr=slave, env=env, cwd=str(ROOT), start_new_session=True,
                            close_fds=True)
    os.close(slave)
    buf = b""
    elapsed = None
    why = f"no prompt matching {PROMPT!r} within {timeout:.0f} s"
    try:
        while True:
            remaining = started + timeout - time.perf_counter()
            if remaining <= 0:
                break
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                data = os.read(master, 1 << 16)
            except OSError:
                data = b""
            if not data:
                why = f"the shell exited before a prompt: {_ANSI.sub(b'', buf)[-300:]!r}"
                break
            buf += data
            if pattern.search(_ANSI.sub(b"", buf)):
                elapsed = time.perf_counter() - started
                break
        if elapsed is not None:
            os.write(master, b"\x04")  # Ctrl-D: leave the shell
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                why = "the shell did not exit on Ctrl-D"
                elapsed = None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        os.close(master)
    return elapsed, ("" if elapsed is not None else why)


def shell_startup(ctx: ExtrasContext) -> None:
    label = "Shell start-up to first prompt (python -m redis_lab on a pty)"
    if importlib.util.find_spec("redis_lab.shell.app") is None:
        ctx.na("shell_startup", label, "s", "redis_lab/shell/app.py (the shell) is not there yet")
        return
    samples = []
    time_to_prompt()  # warm the file cache and .pyc files: start-up, not first install, counts
    for _ in range(ctx.sizes.repeats):
        elapsed, why = time_to_prompt()
        if elapsed is None:
            ctx.na("shell_startup", label, "s", why)
            return
        samples.append(elapsed)
    ctx.record("shell_startup", label, samples, "s")


# ---------------------------------------------------------------------------------------------
# Views: PEL and lag of a group with 10k pending entries and 100 consumers
# ---------------------------------------------------------------------------------------------

def _view_engine(sizes: Sizes):
    """An engine with stream 'orders' (10k+100 entries), group 'g', 100 consumers, 10k pending."""
    from redis_lab import Engine

    engine = Engine()
    client = engine.client("bench")
    n, consumers = sizes.view_pending, sizes.view_consumers
    per = n // consumers
    for i in range(1, per * consumers + 101):  # the last 100 nobody reads yet: lag 100
        client.execute((b"XADD", b"orders", b"%d-0" % i, b"user", b"%d" % i, b"action", b"click"))
    client.execute((b"XGROUP", b"CREATE", b"orders", b"g", b"0"))
    for c in range(consumers):
        client.execute((b"XREADGROUP", b"GROUP", b"g", b"worker-%d" % c, b"COUNT", b"%d" % per,
                        b"STREAMS", b"orders", b">"))
    pending = client.execute((b"XPENDING", b"orders", b"g"))
    assert pending[0] == per * consumers and len(pending[3]) == consumers, pending
    return engine


#: view name -> (snapshot function, module of the renderable, renderable class)
VIEW_API = {"pel": ("gather_pel", "redis_lab.views.pel", "PelView"),
            "lag": ("gather_lag", "redis_lab.views.lag", "LagView")}


def find_view_renderer(name: str):
    """(frame(engine, key, group, width) -> str, "") for the named view, or (None, why).

    One frame is what the watch pane does on every refresh: gather the snapshot through the
    views' own connection (redis_lab.views.connection.engine_connection, then
    redis_lab.views.snapshots.gather_pel(conn, key, group) / gather_lag(conn, key)), and render
    the view (PelView / LagView, rich renderables) to text at the given width.
    """
    gather_name, module_name, class_name = VIEW_API[name]
    if importlib.util.find_spec("redis_lab.views") is None:
        return None, "redis_lab/views is not there yet"
    try:
        connection = importlib.import_module("redis_lab.views.connection")
        snapshots = importlib.import_module("redis_lab.views.snapshots")
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - someone else's work in progress
        return None, f"importing the {name} view failed: {type(exc).__name__}: {exc}"
    engine_connection = getattr(connection, "engine_connection", None)
    gather = getattr(snapshots, gather_name, None)
    view_class = getattr(module, class_name, None)
    if engine_connection is None or gather is None or view_class is None:
        return None, (f"expected redis_lab.views.connection.engine_connection, "
                      f"redis_lab.views.snapshots.{gather_name} and {module_name}.{class_name}")

    def frame(engine, key: bytes, group: bytes, width: int) -> str:
        conn = engine_connection(engine)
        snap = gather(conn, key, group) if name == "pel" else gather(conn, key)
        return _text(view_class(snap), width)

    return frame, ""


def _text(rendered, width: int) -> str:
    """A rich renderable (or a str) as the text of one frame, with colours, as a terminal gets."""
    if isinstance(rendered, str):
        return rendered
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system="truecolor",
                      force_terminal=True, _environ={})
    console.print(rendered)
    return console.file.getvalue()


def views_render(ctx: ExtrasContext) -> None:
    s = ctx.sizes
    engine = None
    for name in ("pel", "lag"):
        pending = s.view_pending // s.view_consumers * s.view_consumers
        title = {"pel": "PEL", "lag": "Lag"}[name]
        label = f"{title} view render ({pending} pending, {s.view_consumers} consumers)"
        key = f"views_{name}"
        renderer, why = find_view_renderer(name)
        if renderer is None:
            ctx.na(key, label, "ms/frame", why)
            continue
        if engine is None:
            engine = _view_engine(s)
        try:
            text = renderer(engine, b"orders", b"g", 100)
            expect = "worker-" if name == "lag" else f"{pending:,}"
            if expect not in text and expect.replace(",", "") not in text:
                raise AssertionError(f"the {name} view does not show {expect!r}:\n{text}")
            frames = max(10, 2 * s.repeats)
            samples = []
            for _ in range(frames):
                t0 = time.perf_counter()
                renderer(engine, b"orders", b"g", 100)
                samples.append((time.perf_counter() - t0) * 1000)
        except Exception as exc:  # noqa: BLE001 - someone else's API in progress
            ctx.na(key, label, "ms/frame", f"rendering failed: {type(exc).__name__}: {exc}")
            continue
        ctx.record(key, label, samples, "ms/frame")


EXTRAS = [shell_startup, views_render]

"""Non-interactive runs: lines from -c, a file or stdin through one Session, printed as
redis-cli prints them (colour and width as the Environment allows).

What other clients receive is labelled (``alice ◂ 1) "message"``). A command that blocks the
current client with a BLOCK timeout on the wall clock waits in place, as redis-cli does; at the
end of input the remaining timeouts run out so their replies print.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import TextIO

from ..session import Printed, Session, label_block, render
from ..settings import Environment, Settings, isatty

#: Styles of the printed blocks in a coloured script run (the shell's own palette is richer).
STYLES = {"blocked": "dim", "tip": "dim", "invalid": "red", "error": "red"}
LABEL_STYLE = "cyan"


def paint(item: Printed, color: bool, width: int = 100) -> str:
    """One printed block as text, coloured like the shell when ``color`` (through rich)."""
    if item.renderable is not None:
        return render(item, width, color)
    if not color:
        return render(item)
    from rich.text import Text

    if item.kind == "delivery":
        text = Text(label_block(item.label or "?", item.text))
        text.stylize(LABEL_STYLE, 0, len(item.label or "?") + 3)   # "alice ◂ "
    else:
        text = Text(item.text, style=STYLES.get(item.kind, ""))
    return _ansi(text)


def _ansi(text) -> str:
    """``text`` with ANSI colours, never wrapped (a script's lines stay whole)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, color_system="standard", force_terminal=True, highlight=False,
            legacy_windows=False, _environ={}).print(text, soft_wrap=True, end="")
    return buffer.getvalue()


def run_lines(lines: Iterable[str], settings: Settings, out: TextIO | None = None,
              err: TextIO | None = None, *, env: Environment | None = None,
              session: Session | None = None, source: str | None = None) -> int:
    """Run lines as a script; return the exit status (1 with --strict after an error reply).

    ``source`` names where the lines come from (a file, or ``-c``): an error then says where it
    is, ``demo.redis:7: (error) ERR ...``, as compilers do. Without it (stdin) the output stays
    exactly redis-cli's. ``--strict`` stops at the first error.
    """
    from . import make_session

    out = out or sys.stdout
    err = err or sys.stderr
    env = env if env is not None else Environment.detect(stdout=out)
    out_tty = isatty(out)
    color = env.use_color(settings, out_tty)
    width = env.width(settings, out_tty)
    if session is None:
        session = make_session(settings, interactive=False, env=env)
    for warning in session.warnings:
        err.write(f"warning: {warning}\n")
    failed = False

    def emit(items: list[Printed], where: str = "") -> None:
        for item in items:
            if item.kind in ("tip", "exit"):
                continue
            located = where and item.is_error and item.kind in ("reply", "invalid", "error")
            out.write((where if located else "") + paint(item, color, width) + "\n")
        out.flush()

    for number, raw in enumerate(lines, 1):
        where = f"{source}:{number}: " if source else ""
        text = raw.rstrip("\r\n")
        if settings.echo and text.strip() and not text.lstrip().startswith("#"):
            out.write(f"{session.current}> {text.strip()}\n")
        try:
            result = session.run_line(text)
        except Exception as exc:  # noqa: BLE001 - one broken line must not end the run
            err.write(f"internal error: {type(exc).__name__}: {exc}\n")
            failed = True
            continue
        printed = result.printed
        label = result.blocked_label
        if label is not None and result.line.target is None and session.waits_in_place(label):
            # The current client blocked with a timeout on the wall clock: wait, as redis-cli does.
            printed = [p for p in printed if p.kind != "blocked"]
            emit(printed, where)
            session.wait_sync(label)
            emit(session.finish_block(label, session.drain()), where)
        else:
            emit(printed, where)
        if result.is_error:
            failed = True
            if settings.strict:
                break
        if result.exit:
            break
    wait_for_timeouts(session, emit)
    return 1 if settings.strict and failed else 0


def wait_for_timeouts(session: Session, emit) -> None:
    """At the end of input, let wall-clock BLOCK timeouts run out so their replies print."""
    if session.clock.virtual:
        return
    while True:
        deadline = session.next_deadline()
        if deadline is None:
            return
        remaining = deadline - session.clock.now_ms()
        if remaining > 0:
            time.sleep(min(remaining, 50) / 1000)
        deliveries = session.drain()
        if deliveries:
            emit(session.printed_deliveries(deliveries))

"""A pager for output taller than the terminal, as iredis and pgcli have.

A line whose output (reply, deliveries, views) would not fit on the screen is piped through
``$PAGER``, or ``less -SRXF`` when it is unset: -S chops long lines instead of wrapping them,
-R keeps colours, -X leaves the text on screen after quitting, -F quits at once when it fits
after all. ``--no-pager`` (or ``pager = ""`` in the config file) turns it off; it is never used
when the output is not a terminal (scripts, pipes, tests without a pty).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Mapping

DEFAULT_PAGER = "less -SRXF"


def pager_command(choice: str | None, environ: Mapping[str, str]) -> list[str] | None:
    """The pager to run: ``choice`` (the setting), else $PAGER, else less -SRXF; "" is none."""
    if choice == "":
        return None
    text = choice or environ.get("PAGER") or DEFAULT_PAGER
    try:
        words = shlex.split(text)
    except ValueError:
        return None
    return words or None


def too_tall(text: str, rows: int, columns: int) -> bool:
    """Would ``text`` scroll off a terminal of ``rows`` x ``columns`` (keeping the prompt's row)?"""
    height = 0
    for line in text.split("\n"):
        height += max(1, -(-_visible_len(line) // max(columns, 1)))
        if height >= rows:
            return True
    return False


_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _visible_len(line: str) -> int:
    return len(_SGR.sub("", line))


def page(text: str, command: list[str]) -> bool:
    """Show ``text`` through ``command``; False when the pager could not be started."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE)
    except OSError:
        return False
    try:
        process.communicate(text.encode("utf-8", "replace"))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        if process.poll() is None:
            process.wait()
    return True

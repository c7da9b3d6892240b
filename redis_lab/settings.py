"""Typed configuration: what the user chose (Settings) and what the process runs in (Environment).

Both are plain data, built once by the composition root (``redis_lab.app``) from the command
line, the environment variables and the terminal, and passed down. Nothing below the
composition root reads ``os.environ``, ``argv`` or the terminal to decide colour or width: it
asks these objects, so a test can hand in a fake terminal instead of patching globals.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

DEFAULT_VIRTUAL_START_MS = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC, as in the tests
DEFAULT_WIDTH = 100                           # columns when there is no terminal to ask


@dataclass
class Settings:
    """What the options chose; shared by every front door."""

    virtual_clock: bool = False
    clock_start: int | None = None
    strict: bool = False
    width: int | None = None
    color: bool | None = None     # None: colour when writing to a terminal (and NO_COLOR unset)
    echo: bool = False
    startup: tuple[str, ...] = ()  # lines the shell runs before the first prompt (:lesson N)
    # -- durability (--data): an AOF in Redis's format, replayed at start (docs/PERSISTENCE.md) --
    data_dir: str | None = None
    appendfsync: str = "everysec"  # always | everysec | no, as Redis means them
    aof_load_truncated: bool = True  # a cut tail: load up to the last whole command and warn
    # -- where Redis is (None: the embedded engine) ----------------------------------------------
    redis_url: str | None = None
    cluster: bool = False
    tls_ca: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    insecure: bool = False
    force: bool = False            # lessons may run on a database that already holds keys
    yes: bool = False              # no confirmation before FLUSHALL/FLUSHDB/DEL of many keys
    # -- the shell's display (shell/config.py reads defaults for these from the config file) ------
    raw: bool = False              # replies as redis-cli --raw prints them
    utf8: bool = False             # UTF-8 strings shown decoded ("café", not "caf\xc3\xa9")
    pager: str | None = None       # a command; None: $PAGER, else "less -SRXF"; "": no pager
    history_size: int = 10_000     # lines of history kept between runs
    completion_case: str = "auto"  # command names completed as typed ("auto"), "upper", "lower"
    theme: str = "dark"            # "dark", "light", "mono" (no colours) or "projector"
    screen_reader: bool = False    # lessons and demos as linear text: no boxes, no redraw

    @property
    def virtual(self) -> bool:
        return self.virtual_clock or self.clock_start is not None

    @property
    def remote(self) -> bool:
        return self.redis_url is not None

    def clock_factory(self):
        """A maker of the virtual clock the options asked for, or None for the wall clock."""
        if not self.virtual:
            return None
        from .model.clock import VirtualClock

        start = self.clock_start if self.clock_start is not None else DEFAULT_VIRTUAL_START_MS
        return lambda: VirtualClock(start)


def isatty(stream) -> bool:
    """``stream.isatty()``, False for anything that is not a real stream."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def terminal_width(fallback: int = DEFAULT_WIDTH) -> int:
    """The terminal's columns now (``COLUMNS`` first, as shutil does), else ``fallback``.

    The one place redis-lab asks the terminal for its width.
    """
    return shutil.get_terminal_size((fallback, 24)).columns


@dataclass
class Environment:
    """The process's surroundings, as far as output is concerned (httpie's ``Environment``)."""

    stdin_tty: bool = False
    stdout_tty: bool = False
    no_color: bool = False          # NO_COLOR is set
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def detect(cls, stdin: TextIO | None = None, stdout: TextIO | None = None,
               environ: Mapping[str, str] | None = None) -> Environment:
        environ = os.environ if environ is None else environ
        return cls(stdin_tty=isatty(sys.stdin if stdin is None else stdin),
                   stdout_tty=isatty(sys.stdout if stdout is None else stdout),
                   no_color=bool(environ.get("NO_COLOR")), environ=dict(environ))

    @property
    def interactive(self) -> bool:
        """Both ends are terminals: the shell, not a script run."""
        return self.stdin_tty and self.stdout_tty

    def use_color(self, settings: Settings, stream_tty: bool | None = None) -> bool:
        """--no-color, else NO_COLOR, else colour only on a terminal."""
        if settings.color is not None:
            return settings.color
        if self.no_color:
            return False
        return self.stdout_tty if stream_tty is None else stream_tty

    def width(self, settings: Settings, stream_tty: bool | None = None) -> int:
        """--width, else the terminal's width when writing to one, else 100."""
        if settings.width:
            return settings.width
        tty = self.stdout_tty if stream_tty is None else stream_tty
        return terminal_width() if tty else DEFAULT_WIDTH

"""A real pseudo-terminal running ``python -m redis_lab``, typed at as a person would.

Each terminal is its own pty (CI has no terminal) at a fixed size with
``PROMPT_TOOLKIT_NO_CPR=1``; its history, data and config directories are private to the test.
What the terminal receives is reduced to text by dropping escape sequences, which is enough to
see replies, labels, hints and warnings. The ``term`` fixture (conftest.py) starts them.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>()][0-9A-Za-z]?|[\r\x08]")

UP = "\x1b[A"
CTRL_C, CTRL_D, CTRL_R, TAB = "\x03", "\x04", "\x12", "\t"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


class Terminal:
    """A pty running redis-lab; ``expect`` waits for text in what was printed since ``mark``."""

    def __init__(self, state_dir: Path, *args: str, cols: int = 120, rows: int = 30,
                 env: dict | None = None):
        env = dict(os.environ, **(env or {}), PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(state_dir),
                   XDG_CONFIG_HOME=str(state_dir / "config"),
                   XDG_DATA_HOME=str(state_dir / "data"),
                   PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color",
                   COLUMNS=str(cols), LINES=str(rows))
        self.child = pexpect.spawn(sys.executable, ["-m", "redis_lab", *args], cwd=str(ROOT),
                                   env=env, dimensions=(rows, cols), encoding="utf-8",
                                   codec_errors="replace")
        self.text = ""
        self.raw = ""  # what the terminal received, escape sequences included
        self.pos = 0

    def _read(self, timeout: float) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        self.raw += data
        self.text += _ESCAPES.sub("", data)

    def expect(self, wanted: str, timeout: float = 5.0) -> str:
        """Wait until ``wanted`` appears after the mark; move the mark past it."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.text.find(wanted, self.pos)
            if found >= 0:
                self.pos = found + len(wanted)
                return self.text[found:self.pos]
            if time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} not shown; the terminal showed:\n"
                                     f"{self.text[self.pos:][-2000:]}")
            if not self.child.isalive():
                self._read(0.05)
                if self.text.find(wanted, self.pos) < 0:
                    raise AssertionError(f"redis-lab exited before showing {wanted!r}:\n"
                                         f"{self.text[-2000:]}")
                continue
            try:
                self._read(0.05)
            except pexpect.EOF:
                pass

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def tab(self, typed: str) -> None:
        """Type ``typed``, pause as a person does, press Tab, and let the completion land."""
        self.child.send(typed)
        time.sleep(0.15)
        self.child.send(TAB)
        time.sleep(0.15)

    def paste(self, text: str) -> None:
        """Paste ``text`` as a terminal with bracketed paste does."""
        self.child.send(PASTE_START + text + PASTE_END)

    def line(self, text: str) -> None:
        self.child.send(text + "\r")

    def quit(self) -> int:
        self.send(CTRL_D)
        self.child.expect(pexpect.EOF, timeout=5)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)

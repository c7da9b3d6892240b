"""Ctrl-C while a line runs: honoured between two commands, so nothing is left half-done.

At the prompt the terminal is in raw mode and Ctrl-C is a key. While a line runs (``:repeat
1000000 XADD ...``, a long paste) the terminal is back in cooked mode and Ctrl-C is SIGINT.
Python's default would raise KeyboardInterrupt wherever the interpreter happens to be, possibly
in the middle of an engine command; asyncio's would wait until the line ends. ``ctrl_c_requests``
instead records the request on the session, and ``Session.run_line`` honours it before the next
command starts (every long meta-command runs its commands through ``run_line``), raising
KeyboardInterrupt there. A single command is never cut in two.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


_depth = 0  # nested uses (a paste runs lines that each use it) share the outer one


@contextmanager
def ctrl_c_requests(session):
    """While the block runs, SIGINT sets ``session.interrupt_requested`` instead of raising.

    Nested blocks keep the outer one's handler and request, so a Ctrl-C between two pasted lines
    stops the next one.
    """
    global _depth
    if _depth or threading.current_thread() is not threading.main_thread():
        yield
        return
    session.interrupt_requested = False

    def request(signum, frame) -> None:
        session.interrupt_requested = True

    previous = signal.signal(signal.SIGINT, request)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        signal.signal(signal.SIGINT, previous)
        session.interrupt_requested = False

"""``:restart-server`` in the real REPL, in a pseudo-terminal, on a ``--data`` directory."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "shell_pty", Path(__file__).resolve().parents[1] / "shell" / "_pty.py")
_pty = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_pty)


def test_the_stream_survives_a_restart_in_the_shell_and_the_subscription_does_not(tmp_path):
    term = _pty.Terminal(tmp_path / "state", "--data", str(tmp_path / "data"), "--virtual-clock")
    try:
        term.expect("default>", timeout=10)
        for line in ["@alice SUBSCRIBE news", "XGROUP CREATE jobs w $ MKSTREAM",
                     "XADD jobs * task resize", "@w1 XREADGROUP GROUP w w1 STREAMS jobs >"]:
            term.line(line)
            term.expect("default>")
        term.line(":restart-server")
        term.expect("engine restarted from its data directory")
        term.expect("default>")
        term.line("PUBLISH news hello")
        term.expect("(integer) 0")
        term.line("XPENDING jobs w")
        term.expect('1) (integer) 1')
        term.expect('4) 1) 1) "w1"')
        assert term.quit() == 0
    finally:
        term.close()
    # A second process on the same directory sees the same.
    again = _pty.Terminal(tmp_path / "state", "--data", str(tmp_path / "data"))
    try:
        again.expect("default>", timeout=10)
        again.line("XLEN jobs")
        again.expect("(integer) 1")
        assert again.quit() == 0
    finally:
        again.close()

"""Teaching accuracy that lives outside the lesson files: HELP's related commands name whole
subcommands (``XINFO GROUPS``, never a bare ``GROUPS``), and idle is not called "last seen"."""

from __future__ import annotations

from redis_lab.app import make_session
from redis_lab.session import render
from redis_lab.settings import Settings


def _help(line: str) -> str:
    session = make_session(Settings(virtual_clock=True), interactive=False)
    return "\n".join(render(p, 100) for p in session.run_line(line).printed)


def test_help_xinfo_consumers_names_related_subcommands_whole():
    text = _help("HELP XINFO CONSUMERS")
    related = next(line for line in text.split("\n") if line.strip().startswith("related:"))
    assert related.split(":", 1)[1].strip() == "XINFO GROUPS, XPENDING"
    assert "last seen" not in text.lower()


def test_help_keeps_plain_related_commands_apart():
    related = next(line for line in _help("HELP XLEN").split("\n")
                   if line.strip().startswith("related:"))
    assert related.split(":", 1)[1].strip() == "XADD, XINFO"

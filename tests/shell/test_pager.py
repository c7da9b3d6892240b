"""When output is paged, and through what (the pty tests show the pager itself)."""

from __future__ import annotations

from redis_lab.shell.pager import pager_command, too_tall


def test_too_tall_counts_wrapped_lines_and_ignores_colour_codes():
    assert not too_tall("a\nb\nc", rows=4, columns=80)
    assert too_tall("a\nb\nc\nd", rows=4, columns=80)          # the prompt needs a row
    assert too_tall("x" * 200, rows=3, columns=80)             # 3 rows once wrapped
    assert not too_tall("\x1b[31m" + "x" * 80 + "\x1b[0m", rows=2, columns=80)
    assert pager_command(None, {}) == ["less", "-SRXF"]
    assert pager_command(None, {"PAGER": "more -d"}) == ["more", "-d"]
    assert pager_command("", {"PAGER": "more"}) is None       # --no-pager / pager = ""

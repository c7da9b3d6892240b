"""The live class table's keys (redis_lab.dashboard.live.Browser), without a terminal: what
each key does to the highlighted row, the open sandbox and the sort. The pseudo-terminal test
in test_dashboard_class.py drives the same keys through the real dashboard."""

from __future__ import annotations

import io

from rich.console import Console

from redis_lab.dashboard.classroom import ClassBoard, decode
from redis_lab.dashboard.live import Browser


def test_keys_move_open_go_back_and_quit():
    b = Browser()
    b.show(["ann", "ben", "cy"])
    assert b.selected == "ann"
    assert b.press("up") and b.selected == "ann"          # stays at the top
    assert b.press("down") and b.press("j") and b.selected == "cy"
    assert b.press("down") and b.selected == "cy"          # stays at the bottom
    assert b.press("k") and b.selected == "ben"
    assert b.press("escape") and b.opened is None          # Esc on the table does not quit
    assert b.press("c-m") and b.opened == "ben"
    assert b.press("down") and b.press("s") and (b.selected, b.sort) == ("ben", "name")
    assert b.press("q") and b.opened is None               # q in a sandbox: back
    assert b.press("c-m") and b.press("escape") and b.opened is None
    assert b.press("s") and b.sort == "progress"
    assert b.press("s") and b.press("s") and b.sort == "name"
    b.show(["cy", "ben"])                                  # re-sorted: still ben
    assert b.selected == "ben"
    b.show(["cy"])                                         # ben left the table
    assert b.selected == "cy"
    assert not b.press("q")
    assert not Browser().press("c-c")


def test_no_student_to_open():
    b = Browser()
    b.show([])
    assert b.press("down") and b.press("c-m") and b.opened is None and b.selected is None


def test_the_highlighted_row_is_marked():
    rooms = [[b"name", b"ann", b"clients", 1], [b"name", b"ben", b"clients", 0]]
    out = io.StringIO()
    Console(file=out, width=80, color_system=None, _environ={}).print(
        ClassBoard(decode(rooms, []), "t", selected="ben"))
    rows = [line.split("│")[1] for line in out.getvalue().splitlines()
            if line.startswith("│")]
    assert rows == ["   ann   ", " > ben   "]

"""split_paste: which lines a bracketed paste completes, and what stays in the buffer."""

from __future__ import annotations

from redis_lab.shell.paste import split_paste


def test_each_line_of_a_paste_is_its_own_command():
    assert split_paste("", "@carol SUBSCRIBE news\n@carol SUBSCRIBE sport\n", "") == (
        ["@carol SUBSCRIBE news", "@carol SUBSCRIBE sport"], "")


def test_typed_text_starts_the_first_line_and_an_unfinished_line_stays():
    assert split_paste("XADD s ", "* f v\r\nXLEN", " s") == (["XADD s * f v"], "XLEN s")


def test_a_paste_without_a_line_break_is_just_inserted():
    assert split_paste("GET ", "key", "") == ([], "GET key")


def test_blank_lines_are_dropped_and_carriage_returns_end_lines():
    assert split_paste("", "PING\r\r\n  \rECHO a\r", "") == (["PING", "ECHO a"], "")

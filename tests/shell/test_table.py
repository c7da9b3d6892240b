"""shell/table.py: the plain tables of :clients and :lessons, laid out by rich.

Rendered into rich consoles exactly as the shell and scripts do (session.render_renderable),
compared as whole strings.
"""

from __future__ import annotations

from redis_lab.session import render_renderable
from redis_lab.shell.table import Table

HEADERS = ("", "client", ">id", ">resp", ">db", "state")
ROWS = [("*", "default", "1", "2", "0", "idle"),
        ("", "alice", "12", "3", "0", "subscribed to channels chat; patterns n*"),
        ("", "名字", "3", "2", "0", "idle")]


def test_columns_one_space_apart_numbers_right_no_trailing_spaces():
    assert render_renderable(Table(HEADERS, ROWS), 100) == "\n".join([
        "  client  id resp db state",
        "* default  1    2  0 idle",
        "  alice   12    3  0 subscribed to channels chat; patterns n*",
        "  名字     3    2  0 idle",       # two columns wide: the next cell still lines up
    ])


def test_the_last_column_wraps_under_itself_on_a_narrow_screen():
    assert render_renderable(Table(HEADERS, ROWS), 36) == "\n".join([
        "  client  id resp db state",
        "* default  1    2  0 idle",
        "  alice   12    3  0 subscribed to",
        "                     channels chat;",
        "                     patterns n*",
        "  名字     3    2  0 idle",
    ])


def test_colour_bolds_the_header_and_nothing_else():
    text = render_renderable(Table(HEADERS, ROWS), 100, color=True)
    header, *rows = text.split("\n")
    assert "\x1b[1m" in header and "client" in header
    assert rows == ["* default  1    2  0 idle",
                    "  alice   12    3  0 subscribed to channels chat; patterns n*",
                    "  名字     3    2  0 idle"]


def test_clients_and_lessons_are_such_tables(session, run):
    run("@alice SUBSCRIBE chat")
    assert run(":clients")[0] == "\n".join([
        "  client  id resp db state",
        "* default  1    2  0 idle",
        "  alice    2    2  0 subscribed to channels chat",
    ])
    listed = run(":lessons")
    assert listed[0].split("\n")[0].split() == ["lesson", "progress"]
    assert listed[0].split("\n")[1].startswith(" 1. Pub/Sub basics ")
    assert listed[1] == "Start one with :lesson N (or `redis-lab lesson N`)."

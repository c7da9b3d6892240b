"""The synopsis grammar: every table entry parses, agrees with its arity, and matches as Redis reads."""

from __future__ import annotations

import pytest

from redis_lab.commands.table import all_commands
from redis_lab.shell import grammar as g

XADD = ("key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> "
        "field value [field value ...]")
COMMANDS = [c for c in all_commands() if not c.is_container]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_synopsis_parses_and_renders_back(command):
    g.check_syntax(command.syntax)
    assert g.render(g.grammar(command.syntax), compact=False) == command.syntax


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_synopsis_agrees_with_arity(command):
    """The table's arity and its synopsis describe the same argument counts."""
    lo, hi = g.arg_bounds(g.grammar(command.syntax))
    words = len(command.name.split())
    if command.arity > 0:
        assert (lo + words, hi if hi is None else hi + words) == (command.arity, command.arity)
    else:
        assert lo + words == -command.arity


def test_compact_rendering_is_redis_cli_style():
    assert g.render(g.grammar(XADD)) == (
        "key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value "
        "[field value ...]")
    assert g.render(g.grammar("[TYPE <NORMAL | PUBSUB>] [ID client-id [client-id ...]]")) == \
        "[TYPE NORMAL|PUBSUB] [ID client-id [client-id ...]]"


def test_keywords_and_parameters():
    assert g.is_keyword("MAXLEN") and g.is_keyword("~") and g.is_keyword("*")
    assert not g.is_keyword("key") and not g.is_keyword("min-idle-time")


def test_bracket_ellipsis_repeats_the_whole_group():
    node = g.grammar("key field value [field value ...]")
    assert g.arg_bounds(node) == (3, None)
    assert g.match(node, ["k", "f", "v", "f2", "v2"])
    remaining = g.best(g.match(node, ["k", "f", "v", "f2"])).cont
    assert g.render(remaining) == "value [field value ...]"


def test_unbalanced_synopsis_falls_back_to_anything():
    with pytest.raises(g.SyntaxParseError):
        g.check_syntax("key [oops")
    assert g.render(g.grammar("key [oops")) == "[arg ...]"


def test_keyword_readings_are_preferred():
    node = g.grammar(XADD)
    states = g.preferred(g.match(node, ["s", "MAXLEN", "~"]))
    assert [w.text for w in g.next_words(states)[0]] == ["threshold"]
    assert g.render(g.best(states).cont) == "threshold [LIMIT count] *|id field value [field value ...]"


def test_keywords_match_case_insensitively():
    states = g.preferred(g.match(g.grammar(XADD), ["s", "maxlen", "=", "10", "limit", "5"]))
    assert g.best(states).keywords == 3


def test_too_many_words_leave_no_reading():
    assert g.match(g.grammar("key"), ["a", "b"]) == []


def test_complete_knows_when_required_arguments_are_typed():
    node = g.grammar("[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]")
    assert not g.complete(g.match(node, ["STREAMS", "s"]))
    assert g.complete(g.match(node, ["STREAMS", "s", "$"]))

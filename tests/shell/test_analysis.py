"""What goes at the cursor, the grey hint, and highlighting roles: pure functions of the text."""

from __future__ import annotations

import pytest

from redis_lab.shell.analysis import analyze, classify, hint_for


def kinds(text: str) -> list[tuple]:
    out = []
    for e in analyze(text).expects:
        out.append((e.kind, e.words) if e.words else (e.kind,))
    return out


def test_command_position():
    assert kinds("") == [("command",)]
    assert kinds("XA") == [("command",)]
    assert kinds("@alice ") == [("command",)]
    assert analyze("@alice XA").target == "alice"


def test_client_position():
    assert kinds("@al") == [("client",)]


def test_subcommands():
    assert kinds("XGROUP ") == [("subcommand", ("CREATE", "CREATECONSUMER", "DELCONSUMER",
                                                "DESTROY", "SETID", "HELP"))]
    assert kinds("PUBSUB nu")[0][0] == "subcommand"
    assert analyze("PUBSUB nu").word == "nu"


def test_xadd_options_then_special_id():
    assert kinds("XADD s ") == [("keyword", ("NOMKSTREAM", "MAXLEN", "MINID")), ("id", ("*",))]
    assert kinds("XADD s MAXLEN ") == [("keyword", ("=", "~"))]
    assert kinds("XADD s MAXLEN ~ 10 ") == [("keyword", ("LIMIT",)), ("id", ("*",))]


def test_key_where_a_key_is_expected():
    (key,) = analyze("XLEN ").expects
    assert (key.kind, key.stream_only) == ("key", True)
    (key,) = analyze("GET ").expects
    assert (key.kind, key.stream_only) == ("key", False)


def test_groups_and_consumers_of_the_typed_stream():
    (group,) = analyze("XINFO CONSUMERS orders ").expects
    assert (group.kind, group.key) == ("group", b"orders")
    (consumer,) = analyze("XGROUP DELCONSUMER orders shipping ").expects
    assert (consumer.kind, consumer.key, consumer.group) == ("consumer", b"orders", b"shipping")
    # XREADGROUP names the group before the stream: groups of every stream are offered
    (group,) = analyze("XREADGROUP GROUP ").expects
    assert (group.kind, group.key) == ("group", None)
    (consumer,) = analyze("XREADGROUP GROUP shipping ").expects
    assert (consumer.kind, consumer.group) == ("consumer", b"shipping")


def test_xreadgroup_options_and_ids():
    assert kinds("XREADGROUP GROUP g c ") == [("keyword", ("COUNT", "BLOCK", "NOACK", "STREAMS"))]
    assert kinds("XREADGROUP GROUP g c STREAMS s ") == [("id", (">", "0")), ("key",)]


def test_xread_ids_and_options():
    assert kinds("XREAD ") == [("keyword", ("COUNT", "BLOCK", "STREAMS"))]
    assert kinds("XREAD BLOCK 0 STREAMS s ") == [("id", ("$", "0")), ("key",)]


@pytest.mark.parametrize("text, expected", [
    ("XRANGE s ", [("id", ("-",))]),
    ("XRANGE s - ", [("id", ("+",))]),
    ("XREVRANGE s ", [("id", ("+",))]),
    ("XGROUP CREATE s g ", [("id", ("$", "0"))]),
    ("XGROUP CREATE s g $ ", [("keyword", ("MKSTREAM", "ENTRIESREAD"))]),
    ("XINFO STREAM s ", [("keyword", ("FULL",))]),
    ("XCLAIM s g c 10 0-1 ", [("keyword", ("IDLE", "TIME", "RETRYCOUNT", "FORCE", "JUSTID",
                                           "LASTID")), ("pending-id",)]),
    ("XAUTOCLAIM s g c 10 0 ", [("keyword", ("COUNT", "JUSTID"))]),
    ("XTRIM s ", [("keyword", ("MAXLEN", "MINID"))]),
])
def test_stream_keywords_and_ids(text, expected):
    assert kinds(text) == expected


def test_channels_after_publish_and_subscribe():
    assert kinds("PUBLISH ") == [("channel",)]
    assert kinds("SUBSCRIBE a ") == [("channel",)]
    assert kinds("PSUBSCRIBE ") == [("pattern",)]
    assert kinds("PUBLISH chat ") == []  # the message: nothing to offer


def test_help_topics():
    assert kinds("HELP ") == [("help-topic",)]
    assert kinds("? ") == [("help-topic",)]


def test_meta_commands():
    assert kinds(":") == [("meta",)]
    (arg,) = analyze(":as al").expects
    assert (arg.kind, arg.meta) == ("meta-arg", "as")


def test_quoted_word_under_the_cursor():
    result = analyze('SET "my ke')
    assert (result.word, result.word_start, result.open_quote) == ("my ke", 4, '"')


def test_unsplittable_line_offers_nothing():
    assert analyze('SET "a"b').invalid


# ---- hints ----------------------------------------------------------------------------------

def test_hint_from_the_issue():
    assert hint_for("XADD mystream ") == (
        "[NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value "
        "[field value ...]")


@pytest.mark.parametrize("text, hint", [
    ("XADD", (" key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value "
              "[field value ...]")),
    ("xadd ", ("key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value "
               "[field value ...]")),
    ("XADD s MAXLEN ", "[=|~] threshold [LIMIT count] *|id field value [field value ...]"),
    ("XADD s * f ", "value [field value ...]"),
    ("XADD s * f v ", "[field value ...]"),
    ("XADD s * f", " value [field value ...]"),
    ("XREAD ", "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]"),
    ("XREAD BLOCK 0 STREAMS s ", "[key ...] id [id ...]"),
    ("PING", " [message]"),
    ("PUBLISH chat ", "message"),
    ("PUBLISH chat hi ", ""),
    ("XGROUP ", "CREATE|CREATECONSUMER|DELCONSUMER|DESTROY|SETID|HELP"),
    ("XGROUP CREATE ", "key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]"),
    ("@alice SUBSCRIBE ", "channel [channel ...]"),
    ("XAD", ""),              # not a command yet
    ("NOSUCH ", ""),
    ("GET a b ", ""),         # too many arguments: no hint
    ('SET "open', ""),        # inside a quote
    (":as ", ""),
    ("", ""),
])
def test_hints_shrink_as_arguments_are_typed(text, hint):
    assert hint_for(text) == hint


# ---- highlighting ---------------------------------------------------------------------------

def roles(line: str) -> list[tuple[str, str]]:
    return [(line[s.start:s.end], s.role) for s in classify(line)]


def test_roles_of_a_stream_command():
    assert roles('@w XADD orders MAXLEN ~ 10 * item "a book"') == [
        ("@w", "client"), ("XADD", "command"), ("orders", "key"), ("MAXLEN", "keyword"),
        ("~", "keyword"), ("10", "arg"), ("*", "id"), ("item", "arg"), ('"a book"', "string"),
    ]


def test_roles_of_subcommand_and_ids():
    assert roles("XGROUP CREATE s g $ MKSTREAM") == [
        ("XGROUP", "command"), ("CREATE", "subcommand"), ("s", "key"), ("g", "arg"),
        ("$", "id"), ("MKSTREAM", "keyword"),
    ]
    assert roles("XRANGE s - + COUNT 2")[2:] == [("-", "id"), ("+", "id"), ("COUNT", "keyword"),
                                                 ("2", "arg")]


def test_unknown_command_is_marked_before_enter():
    assert roles("FOO bar") == [("FOO", "unknown"), ("bar", "arg")]
    assert roles("XADDD") == [("XADDD", "unknown")]
    assert roles("XAD") == [("XAD", "partial")]          # could still become XADD
    assert roles("XGROUP NOPE x")[1] == ("NOPE", "unknown")


def test_roles_of_meta_help_comment_and_bad_quote():
    assert roles(":as alice") == [(":as", "meta"), (" alice", "arg")]
    assert roles("HELP XADD") == [("HELP", "help"), ("XADD", "arg")]
    assert roles("# note") == [("# note", "comment")]
    assert roles('SET "a"b')[-1] == ("b", "error")
    assert roles('PUBLISH chat "hi th')[-1] == ('"hi th', "string")

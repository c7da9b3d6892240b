"""split_line must split every line exactly as redis-cli 7.0's prompt does (sdssplitargs).

The reference is redis-cli itself: it reads lines from stdin, splits them and sends the
arguments to a FakeServer that records them byte for byte. A line it cannot split makes it print
``Invalid argument(s)`` and send nothing.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redis_lab.protocol.tokenize import (
    INVALID_ARGUMENTS,
    PartialLine,
    Token,
    TokenizeError,
    join_args,
    quote_arg,
    split_line,
    split_line_partial,
    split_line_tokens,
)

try:
    from ._server import FakeServer
except ImportError:
    from _server import FakeServer

CASES: list[tuple[bytes, list[bytes]]] = [
    (b"", []),
    (b"   \t ", []),
    (b"PING", [b"PING"]),
    (b"  SET  k   v  ", [b"SET", b"k", b"v"]),
    (b"a\tb", [b"a", b"b"]),
    (b'ECHO "a\\x41b"', [b"ECHO", b"aAb"]),
    (b'"\\x4a\\x4A"', [b"JJ"]),
    (b'"\\xZZ"', [b"xZZ"]),  # not two hex digits: \x is just x
    (b'"\\x4g"', [b"x4g"]),
    (b'"\\x4"', [b"x4"]),
    (b'"\\x00z"', [b"\x00z"]),
    (b'"\\xff"', [b"\xff"]),
    (b'"\\n\\r\\t\\b\\a"', [b"\n\r\t\b\a"]),
    (b'"\\\\ \\" \\q \\\' \\0"', [b"\\ \" q ' 0"]),
    (b"'a\\'b'", [b"a'b"]),
    (b"'a\\nb\\\\x'", [b"a\\nb\\\\x"]),  # single quotes: only \' is an escape
    (b"'a\\\\'", None),  # so a single-quoted argument cannot end with a backslash
    (b"'\"'", [b'"']),
    (b'"\'"', [b"'"]),
    (b'""', [b""]),
    (b"''", [b""]),
    (b'"" ""', [b"", b""]),
    (b'a"b c"', [b"ab c"]),  # a quote can open mid-argument
    (b"a'b c'", [b"ab c"]),
    (b'x"y"\'z\'', None),  # ...but a closing quote must be followed by a blank
    (b'"a"b', None),
    (b"'a'b", None),
    (b'"a"\tb', [b"a", b"b"]),
    (b'"a"\vb', [b"a", b"b"]),  # \v and \f are blanks after a closing quote (isspace)...
    (b"a\vb", [b"a\vb"]),  # ...but do not end an unquoted argument
    (b"a\fb", [b"a\fb"]),
    (b"\va", [b"a"]),  # and are skipped between arguments
    (b"a\\b", [b"a\\b"]),  # outside quotes a backslash is literal
    (b"a\\", [b"a\\"]),
    (b'a\\"b"', [b"a\\b"]),
    (b'"a', None),
    (b"'a", None),
    (b'"a\\"', None),  # the quote is escaped: still open
    (b'"a\\', None),
    (b"'a\\'", None),
    (b'"', None),
    (b"x\x00y", [b"x"]),  # a C string: ends at NUL
    (b'"a\x00"', None),
    (b"caf\xc3\xa9", [b"caf\xc3\xa9"]),
    (b'"\xc3\xa9\\\xc3\xa9"', [b"\xc3\xa9\xc3\xa9"]),  # \ + multibyte char: the char itself
    (b"\xff\xfe", [b"\xff\xfe"]),
    (b'a"\\x41"', [b"aA"]),
    (b"a\rb", [b"a", b"b"]),
    (b'"a\rb"', [b"a\rb"]),
    (b"  \"multi word\"  'and more' x", [b"multi word", b"and more", b"x"]),
]


@pytest.mark.parametrize("line,expected", CASES)
def test_split_line(line: bytes, expected: list[bytes] | None) -> None:
    if expected is None:
        with pytest.raises(TokenizeError) as err:
            split_line(line)
        assert str(err.value) == INVALID_ARGUMENTS
    else:
        assert split_line(line) == expected
        if b"\x00" not in line and all(b < 0x80 for b in line):
            assert split_line(line.decode()) == expected


def test_str_input_is_utf8() -> None:
    assert split_line('SET "café" ☕') == [b"SET", "café".encode(), "☕".encode()]
    assert split_line('"\\xc3\\xa9"') == ["é".encode()]


def test_token_positions() -> None:
    tokens = split_line_tokens('SET  "a b"   c\'d\'')
    assert tokens == [
        Token(b"SET", 0, 3, False),
        Token(b"a b", 5, 10, True),
        Token(b"cd", 13, 17, True),
    ]


def test_error_positions() -> None:
    with pytest.raises(TokenizeError) as err:
        split_line('SET "a"b')
    assert err.value.position == 7
    with pytest.raises(TokenizeError) as err:
        split_line('SET "ab')
    assert err.value.position == 7


# ---- split_line_partial -------------------------------------------------------------------


def test_partial_empty() -> None:
    assert split_line_partial("") == PartialLine()
    assert split_line_partial("   ") == PartialLine()


def test_partial_word_under_cursor() -> None:
    part = split_line_partial("XADD my")
    assert [t.value for t in part.tokens] == [b"XADD"]
    assert part.pending == Token(b"my", 5, 7, False)
    assert part.open_quote is None and part.error is None
    assert part.args == [b"XADD", b"my"]


def test_partial_trailing_blank_means_next_word() -> None:
    part = split_line_partial("XADD mystream ")
    assert [t.value for t in part.tokens] == [b"XADD", b"mystream"]
    assert part.pending is None


def test_partial_open_quote() -> None:
    part = split_line_partial('PUBLISH ch "hello wor')
    assert [t.value for t in part.tokens] == [b"PUBLISH", b"ch"]
    assert part.pending == Token(b"hello wor", 11, 21, True)
    assert part.open_quote == '"'
    assert split_line_partial("SET 'it\\'s").open_quote == "'"
    assert split_line_partial("SET 'it\\'s").pending.value == b"it's"


def test_partial_closed_quote_at_end() -> None:
    part = split_line_partial('ECHO "done"')
    assert part.pending == Token(b"done", 5, 11, True)
    assert part.open_quote is None


def test_partial_unfixable_error() -> None:
    part = split_line_partial('SET "a"b c')
    assert isinstance(part.error, TokenizeError)
    assert part.error.position == 7
    assert [t.value for t in part.tokens] == [b"SET"]


@pytest.mark.parametrize("line,expected", CASES)
def test_partial_agrees_with_split_line(line: bytes, expected: list[bytes] | None) -> None:
    part = split_line_partial(line)
    if expected is None:
        assert part.error is not None or part.open_quote is not None
    else:
        assert part.error is None and part.open_quote is None
        assert part.args == expected


# ---- quote_arg ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arg,shown",
    [
        (b"mystream", "mystream"),
        (b"1526919030474-0", "1526919030474-0"),
        (b"*", "*"),
        (b"", '""'),
        (b"hello world", '"hello world"'),
        (b"it's", '"it\'s"'),
        (b'say "hi"', '"say \\"hi\\""'),
        (b"a\\b", '"a\\\\b"'),
        (b"line\nbreak\t", '"line\\nbreak\\t"'),
        (b"\x00\x7f\xff", '"\\x00\\x7f\\xff"'),
        ("café".encode(), "café"),
        ("a é".encode(), '"a é"'),
        (b"caf\xc3", '"caf\\xc3"'),
        ("\u00a0".encode(), '"\\xc2\\xa0"'),
    ],
)
def test_quote_arg(arg: bytes, shown: str) -> None:
    assert quote_arg(arg) == shown
    assert split_line(shown) == [arg]


@given(st.binary(max_size=40))
@settings(max_examples=500, deadline=None, database=None)
def test_quote_arg_round_trips_bytes(arg: bytes) -> None:
    assert split_line(quote_arg(arg)) == [arg]


@given(st.text(max_size=30))
@settings(max_examples=500, deadline=None, database=None)
def test_quote_arg_round_trips_text(text: str) -> None:
    arg = text.encode("utf-8", "surrogatepass")
    assert split_line(quote_arg(arg)) == [arg]


@given(st.lists(st.binary(max_size=12), max_size=8))
@settings(max_examples=300, deadline=None, database=None)
def test_join_args_round_trips(args: list[bytes]) -> None:
    line = join_args(args)
    assert split_line(line) == args
    assert split_line(line.encode("utf-8", "surrogateescape")) == args


# ---- against the real redis-cli -----------------------------------------------------------


def cli_split(lines: list[bytes]) -> list[list[bytes] | None]:
    """Feed each line to redis-cli as ``X <line>``; return what it sent, or None for an error.

    The ``X`` keeps redis-cli's own handling of a first word (``3 PING`` repeats, ``quit``...)
    out of the way; a line that splits to nothing beyond it is sent as ``[X]``.
    """
    with FakeServer() as fake:
        out = fake.cli(b"".join(b"X " + line + b"\n" for line in lines), "--no-raw")
        results: list[list[bytes] | None] = []
        commands = iter(fake.commands)
        printed = out.split(b"\n")
        assert printed[-1] == b""
        assert len(printed) - 1 == len(lines), out
        for shown in printed[:-1]:
            if shown == b"OK":
                args = next(commands)
                assert args[0] == b"X"
                results.append(args[1:])
            else:
                assert shown.decode() == INVALID_ARGUMENTS
                results.append(None)
        assert next(commands, None) is None
    return results


def ours(line: bytes) -> list[bytes] | None:
    try:
        return split_line(b"X " + line)[1:]
    except TokenizeError:
        return None


def test_cases_agree_with_redis_cli() -> None:
    lines = [line for line, _ in CASES if b"\n" not in line]
    for line, theirs in zip(lines, cli_split(lines)):
        assert ours(line) == theirs, line


FUZZ_ALPHABET = list(b"ab x0fF\\\"' \t\v\x00\xc3\xa9\r")


def test_random_lines_agree_with_redis_cli() -> None:
    rng = random.Random(2024)
    lines = [bytes(rng.choices(FUZZ_ALPHABET, k=rng.randint(0, 12))) for _ in range(3000)]
    for line, theirs in zip(lines, cli_split(lines)):
        assert ours(line) == theirs, line


@given(st.lists(st.lists(st.sampled_from(FUZZ_ALPHABET), max_size=10).map(bytes),
                min_size=1, max_size=40))
@settings(max_examples=25, deadline=None, database=None)
def test_hypothesis_lines_agree_with_redis_cli(lines: list[bytes]) -> None:
    for line, theirs in zip(lines, cli_split(lines)):
        assert ours(line) == theirs, line


@given(st.lists(st.binary(max_size=10), min_size=1, max_size=6))
@settings(max_examples=15, deadline=None, database=None)
def test_quoted_args_survive_redis_cli(args: list[bytes]) -> None:
    assert cli_split([join_args(args).encode("utf-8", "surrogateescape")]) == [args]

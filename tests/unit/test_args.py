"""commands/args.py: the argument cursor and integer helpers, with Redis's error texts.

The texts themselves are checked against redis-server in tests/conformance
(test_argument_cursor.py and the per-family scenario files); here, what the cursor hands out and
which error it raises when.
"""

from __future__ import annotations

import pytest

from redis_lab.commands.args import Args, int_arg, int_in_range
from redis_lab.model.errors import NOT_INTEGER, SYNTAX, CommandError


def error_of(call) -> str:
    with pytest.raises(CommandError) as caught:
        call()
    return caught.value.message


def test_the_cursor_hands_out_words_in_order_from_start():
    args = Args([b"SCAN", b"0", b"count", b"10", b"MATCH", b"k*"], start=2)
    assert args and args.left() == 4
    assert args.next_keyword() == b"COUNT"
    assert args.next_int() == 10
    assert args.next_bytes() == b"MATCH"
    assert args.next_bytes() == b"k*"
    assert not args and args.left() == 0
    args.finish()                                   # nothing left: no error


def test_running_out_is_a_syntax_error_or_the_callers_text():
    assert error_of(Args([b"SCAN", b"0"], start=2).next_bytes) == SYNTAX
    assert error_of(Args([b"SCAN", b"0"], start=2).next_int) == SYNTAX
    assert error_of(Args([b"X"], missing="ERR custom").next_keyword) == "ERR custom"


def test_words_left_over_fail_finish():
    args = Args([b"CMD", b"a", b"b"])
    args.next_bytes()
    assert error_of(args.finish) == SYNTAX
    assert error_of(lambda: args.finish("ERR too many")) == "ERR too many"


@pytest.mark.parametrize("word", [b"abc", b"", b"+1", b"01", b" 1", b"1.5",
                                  b"9223372036854775808", b"-9223372036854775809", b"\xd9\xa3"])
def test_next_int_is_string2ll(word):
    """Redis's string2ll: no '+', no leading zero, no space, int64 only, ASCII digits."""
    assert error_of(Args([b"CMD", word]).next_int) == NOT_INTEGER
    assert error_of(lambda: Args([b"CMD", word]).next_int("ERR own")) == "ERR own"


def test_int64_edges_parse():
    assert int_arg(b"9223372036854775807") == 2**63 - 1
    assert int_arg(b"-9223372036854775808") == -(2**63)
    assert int_arg(b"0") == 0
    assert error_of(lambda: int_arg(b"-0")) == NOT_INTEGER     # string2ll refuses "-0" too


def test_int_in_range_says_the_range():
    assert int_in_range(b"2147483647", -(2**31), 2**31 - 1) == 2**31 - 1
    assert error_of(lambda: int_in_range(b"2147483648", -(2**31), 2**31 - 1)) == (
        "ERR value is out of range, value must between -2147483648 and 2147483647")
    assert error_of(lambda: int_in_range(b"x", 0, 1)) == NOT_INTEGER

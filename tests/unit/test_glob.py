"""glob_match must agree with redis-server 7.0.15's stringmatchlen on every input.

The table is section 1.7 of the semantics reference (each row verified against the server);
the differential tests ask a real server, through the Pub/Sub path the engine emulates.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redis_lab.model.glob import _match, glob_match

try:
    from ._server import start_redis_server
except ImportError:
    from _server import start_redis_server

# (pattern, string, expected) -- section 1.7 of /work/shared/reference/redis-semantics.md
TABLE = [
    (b"*", b"", False),
    (b"a*b", b"ab", True),
    (b"a*b", b"axxb", True),
    (b"a*b", b"axxbc", False),
    (b"?", b"", False),
    (b"?", b"a", True),
    (b"?", b"ab", False),
    (b"h?llo", b"hllo", False),
    (b"?", "é".encode(), False),
    (b"??", "é".encode(), True),
    (b"[abc]", b"b", True),
    (b"[abc]", b"d", False),
    (b"[^a]", b"b", True),
    (b"[^a]", b"a", False),
    (b"[^a]", b"", False),
    (b"[!a]", b"!", True),
    (b"[!a]", b"b", False),
    (b"[a-z]", b"m", True),
    (b"[a-z]", b"M", False),
    (b"[z-a]", b"m", True),
    (b"[a-]", b"^", True),
    (b"[a-]", b"a", True),
    (b"[a-]", b"-", False),
    (b"[-a]", b"-", True),
    (b"[]", b"a", False),
    (b"[]", b"]", False),
    (b"[^]", b"x", True),
    (b"[]a]", b"]", False),
    (b"[]a]", b"a]", False),
    (b"[\\]]", b"]", True),
    (b"[abc", b"a", True),
    (b"[abc", b"abc", False),
    (b"\\*", b"*", True),
    (b"\\*", b"a", False),
    (b"a\\", b"a\\", True),
    (b"h\\?llo", b"h?llo", True),
    (b"h\\?llo", b"hello", False),
    (b"a**b", b"ab", True),
    (b"[\\-]", b"-", True),
    (b"[a\\-z]", b"m", False),
    (b"A*", b"a", False),
    (b"[*]", b"*", True),
    (b"[?]", b"?", True),
    (b"*[", b"a[", False),
    (b"x[]", b"x", False),
]

# More corners, worked out from the C source and confirmed by the differential tests below.
EXTRA = [
    (b"", b"", True),
    (b"", b"a", False),
    (b"a", b"", False),
    (b"**", b"", False),
    (b"*", b"a", True),
    (b"**", b"abc", True),
    (b"news.*", b"news.", True),
    (b"news.*", b"news", False),
    (b"*.error", b"x.error", True),
    (b"*.error", b".error", True),
    (b"*.error", b"error", False),
    (b"*mid*", b"mid", True),
    (b"*mid*", b"xmidx", True),
    (b"*mid*", b"xmix", False),
    (b"a*", b"a", True),  # trailing stars are skipped once the string is used up
    (b"a*?", b"a", False),
    (b"*a*b*c*", b"aXbXc", True),
    (b"*a*b*c*", b"cba", False),
    (b"[a-]", b"]", True),  # the range is ']'..'a'
    (b"[a-]x", b"a", True),  # ...and the class swallows the rest of the pattern
    (b"[a-]x", b"ax", False),
    (b"[^", b"z", True),  # unterminated negated empty class: any byte
    (b"[", b"[", False),
    (b"[\\", b"\\", True),  # a lone backslash in an unterminated class is literal
    (b"\\", b"\\", True),
    (b"\\a", b"a", True),
    (b"[\\a-z]", b"a", True),  # escaped 'a', then literals '-', 'z'
    (b"[\\a-z]", b"m", False),
    (b"[a-\\]", b"\\", True),  # range 'a'..'\\' swapped to '\\'..'a'
    (b"[a-\\]", b"_", True),
    (b"[--0]", b"/", True),
    (b"[^-]", b"-", False),
    (b"[]]", b"]", False),
    (b"[^]]", b"]", False),  # [^] matches any byte, then a literal ']' is needed
    (b"[^]]", b"x]", True),
    (b"?*", b"a", True),
    (b"*?", b"a", True),
    (b"*?", b"", False),
    # Ranges compare signed chars: 0xff is -1, so [a-\xff] is the range -1..'a'.
    (b"[a-\xff]", b"\x00", True),
    (b"[a-\xff]", b"\xff", True),
    (b"[a-\xff]", b"\xfe", False),
    (b"[a-\xff]", b"b", False),
    (b"[\x80-\xff]", b"\x90", True),
    (b"[\x80-\x7f]", b"\x00", True),  # -128..127: every byte
    (b"\xc3\xa9", "é".encode(), True),
]


@pytest.mark.parametrize("pattern,string,expected", TABLE + EXTRA)
def test_table(pattern: bytes, string: bytes, expected: bool) -> None:
    assert glob_match(pattern, string) is expected
    assert _match(pattern, string) is expected  # the general matcher, bypassing fast paths


def test_no_exponential_blowup() -> None:
    # The pattern that hung pre-7.0.9 servers (CVE-2022-36021) must stay fast.
    pattern = b"a*" * 40 + b"b"
    assert glob_match(pattern, b"a" * 5000) is False


def test_many_stars_do_not_recurse() -> None:
    assert glob_match(b"*a" * 5000, b"a" * 5000) is True


ALPHABET = list(b"*?[]^-\\!a b")


@st.composite
def small_bytes(draw, max_size: int = 7) -> bytes:
    return bytes(draw(st.lists(st.sampled_from(ALPHABET), max_size=max_size)))


@given(pattern=small_bytes(), string=small_bytes())
@settings(max_examples=500, deadline=None, database=None)
def test_fast_paths_agree_with_general_matcher(pattern: bytes, string: bytes) -> None:
    assert glob_match(pattern, string) == _match(pattern, string)


@pytest.mark.parametrize("body", [b"", b"a", b"ab", b"a.b"])
@pytest.mark.parametrize("shape", ["{}", "{}*", "*{}", "*{}*", "{}**", "**{}**"])
def test_fast_path_shapes(shape: str, body: bytes) -> None:
    pattern = shape.encode().replace(b"{}", body)
    for string in [b"", b"a", b"ab", b"xab", b"abx", b"xabx", b"a.b", b"b", b"aa"]:
        assert glob_match(pattern, string) == _match(pattern, string), (pattern, string)


# ---- differential tests against redis-server ----------------------------------------------


@pytest.fixture(scope="module")
def server():
    with start_redis_server() as srv:
        yield srv


@given(pattern=small_bytes(), string=small_bytes())
@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_psubscribe_publish_agrees_with_server(server, pattern: bytes, string: bytes) -> None:
    sub, pub = server.connect(), server.connect()
    try:
        sub.send(b"PSUBSCRIBE", pattern)
        assert sub.read()[0] == [b"psubscribe", pattern, 1]
        receivers = pub.call(b"PUBLISH", string, b"x")
        assert receivers in (0, 1)
        assert glob_match(pattern, string) is bool(receivers), (pattern, string)
    finally:
        sub.close()
        pub.close()


def test_pubsub_channels_agrees_with_server(server) -> None:
    """Many patterns against many channels: PUBSUB CHANNELS <pattern> lists the matches."""
    rng = random.Random(7015)
    alphabet = list(b"*?[]^-\\!ab \x00\x7f\x80\xff")
    channels = {bytes(rng.choices(alphabet, k=rng.randint(0, 6))) for _ in range(300)}
    channels.add(b"")
    patterns = [bytes(rng.choices(alphabet, k=rng.randint(0, 7))) for _ in range(5000)]
    patterns += [pattern for pattern, _, _ in TABLE + EXTRA]
    sub, query = server.connect(), server.connect()
    try:
        sub.send(b"SUBSCRIBE", *sorted(channels))
        for _ in channels:
            sub.read()
        for pattern in patterns:
            query.send(b"PUBSUB", b"CHANNELS", pattern)
        for pattern in patterns:
            listed = set(query.read()[0])
            expected = {c for c in channels if glob_match(pattern, c)}
            assert listed == expected, pattern
    finally:
        sub.close()
        query.close()


def test_table_agrees_with_server(server) -> None:
    sub, pub = server.connect(), server.connect()
    try:
        for pattern, string, expected in TABLE + EXTRA:
            sub.send(b"PSUBSCRIBE", pattern)
            sub.read()
            assert pub.call(b"PUBLISH", string, b"x") == int(expected), (pattern, string)
            if expected:
                assert sub.read()[0] == [b"pmessage", pattern, string, b"x"]
            sub.send(b"PUNSUBSCRIBE", pattern)
            sub.read()
    finally:
        sub.close()
        pub.close()

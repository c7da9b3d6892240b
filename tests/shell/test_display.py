"""Reply display: redis-cli's exact text by default, ``:raw`` as redis-cli --raw, ``:utf8``.

The raw display is compared with the real redis-cli 7.0 binary run with ``--raw`` on the same
script against a real redis-server (both started by the test fixtures).
"""

from __future__ import annotations

import subprocess

import pytest
from servers import require_binary

from redis_lab.model.reply import Error, Map, Status
from redis_lab.protocol.cli_format import format_raw, format_reply

RAW_SCRIPT = """FLUSHALL
PING
ECHO "two words"
ECHO "tab\\there"
ECHO café
GET missing
SET n 42
XADD s 1-1 f v g w
XADD s 2-0 f "multi\\nline"
XRANGE s - +
XREAD COUNT 1 STREAMS s 0
XREAD STREAMS s $
XLEN s
XINFO STREAM s
XGROUP CREATE s g 0
XREADGROUP GROUP g c STREAMS s >
XPENDING s g
PUBSUB NUMSUB a b
NOSUCHCOMMAND x
GET
MULTI
SET k v
XADD s 1-0 late entry
EXEC
XRANGE nokey - +
"""


def test_raw_display_matches_redis_cli_raw(redis_server, run, session):
    cli = require_binary("redis-cli")
    redis_server.flush()
    expected = subprocess.run(
        [cli, "--raw", "-h", redis_server.host, "-p", str(redis_server.port)],
        input=RAW_SCRIPT, capture_output=True, text=True, timeout=30, check=False,
        encoding="utf-8")
    assert expected.returncode == 0, expected.stderr
    assert run(":raw on") == ["raw output on (as redis-cli --raw)"]
    ours = "".join(text + "\n" for text in run(*RAW_SCRIPT.splitlines()))
    assert ours == expected.stdout
    redis_server.flush()


def test_default_display_is_unchanged_and_raw_toggles_back(run):
    run("SET k café")
    assert run("GET k") == ['"caf\\xc3\\xa9"']
    run(":raw")
    assert run("GET k") == ["café"]
    run(":raw")
    assert run("GET k") == ['"caf\\xc3\\xa9"']
    assert run(":raw maybe") == ["usage: :raw [on | off] (no argument toggles)"]


def test_utf8_display_decodes_valid_utf8_and_still_escapes_the_rest(run):
    run("SET k café", 'SET ctl "\\xe2\\x80\\xa8snow\\xe2\\x98\\x83\\t"', 'SET bad "\\xff\\xfe"')
    assert run(":utf8 on") == ["UTF-8 strings are shown decoded"]
    assert run("GET k", "GET ctl", "GET bad") == [
        '"café"', '"\\xe2\\x80\\xa8snow☃\\t"', '"\\xff\\xfe"']   # U+2028 is not printable
    run("XADD s 1-1 prénom Zoé")
    assert run("XRANGE s - +") == ['1) 1) "1-1"\n   2) 1) "prénom"\n      2) "Zoé"']


@pytest.mark.parametrize("value, text", [
    (Map([b"a", 1, b"b", [b"x", b"y"]]), "a 1\nb x\ny"),
    ([Error("ERR x"), Status("OK")], "ERR x\n\nOK"),
    ([], ""), (None, ""), (True, "(true)"), (1.5, "1.5"),
])
def test_raw_text_of_resp3_values_follows_cliFormatReplyRaw(value, text):
    assert format_raw(value) == text
    assert format_reply(value, raw=True) == text

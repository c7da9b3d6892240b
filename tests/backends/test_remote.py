"""The same lines on the embedded engine and on a real redis-server print the same text.

A script that exercises what the remote backend must follow by itself (subscriptions and their
confirmation frames, a blocked read served by another client, MULTI, HELLO 3, SELECT) runs on
both; the only differences allowed are the client ids the server hands out.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from redis_lab.app import make_session
from redis_lab.app.script import run_lines
from redis_lab.backends.remote import RemoteBackend, Target, blocking_spec, safe_url
from redis_lab.settings import Environment, Settings

SCRIPT = """\
PING
@alice SUBSCRIBE chat
@alice GET x
PUBLISH chat hi
@bob XADD s 1-1 f v
XGROUP CREATE s g 0
@c1 XREADGROUP GROUP g c1 COUNT 1 STREAMS s >
XPENDING s g
@w XREAD BLOCK 0 STREAMS s $
XADD s 2-1 a b
@alice PSUBSCRIBE n*
PUBLISH news x
@alice PUNSUBSCRIBE
HELLO 3
XINFO GROUPS s
MULTI
GET a
EXEC
SELECT 2
GET a
SUBSCRIBE mine
PUBLISH mine to-myself
@bob PUBLISH mine from-bob
:clients
""".splitlines()


def _run(lines, **settings) -> str:
    out, err = io.StringIO(), io.StringIO()
    status = run_lines(lines, Settings(**settings), out, err, env=Environment())
    assert (status, err.getvalue()) == (0, "")
    return out.getvalue()


def _without_ids(text: str) -> str:
    text = re.sub(r'"id" => \(integer\) \d+', '"id" => (integer) N', text)
    return re.sub(r"^(\*?\s+\w+)\s+\d+ ", r"\1 N ", text, flags=re.M)


def test_a_script_prints_the_same_on_the_engine_and_on_redis_server(url):
    embedded = _run(SCRIPT)
    remote = _run(SCRIPT, redis_url=url)
    assert 'alice ◂ 1) "message"' in remote and 'w ◂ 1) 1) "s"' in remote
    assert _without_ids(remote) == _without_ids(embedded)


def test_subscriber_receives_a_publish_sent_from_outside_by_redis_cli(url, server):
    session = make_session(Settings(redis_url=url), interactive=False, env=Environment())
    session.run_line("@alice SUBSCRIBE news")
    subprocess.run(["redis-cli", "-p", str(server.port), "PUBLISH", "news", "from outside"],
                   check=True, capture_output=True, timeout=10)
    printed = []
    for _ in range(100):  # the shell's poller does this ten times a second
        printed += session.printed_deliveries(session.drain())
        if printed:
            break
        session.backend.clients["alice"].wire.fill(0.05)
    assert [p.text for p in printed] == ['1) "message"\n2) "news"\n3) "from outside"']
    session.backend.close()


def test_a_group_made_by_redis_cli_shows_in_the_pel_view(url, server):
    cli = ["redis-cli", "-p", str(server.port)]
    for args in (["XADD", "jobs", "1-1", "task", "a"], ["XADD", "jobs", "2-1", "task", "b"],
                 ["XGROUP", "CREATE", "jobs", "workers", "0"],
                 ["XREADGROUP", "GROUP", "workers", "w1", "STREAMS", "jobs", ">"]):
        subprocess.run(cli + args, check=True, capture_output=True, timeout=10)
    text = _run([":show pel jobs workers"], redis_url=url, width=80)
    assert "w1" in text and "1-1" in text and "2-1" in text


def test_the_location_names_the_server_and_its_version_never_the_password(url):
    backend = RemoteBackend(Target.from_settings(Settings(redis_url=url)))
    assert re.fullmatch(r"redis://127\.0\.0\.1:\d+/0 · Redis 7\.0\.\d+", backend.location)
    backend.close()
    assert safe_url("redis://u:secret@h:1/0") == "redis://u:***@h:1/0"


def test_blocking_spec_reads_keys_and_timeouts():
    spec = blocking_spec([b"XREADGROUP", b"GROUP", b"g", b"c", b"BLOCK", b"500", b"STREAMS",
                          b"a", b"b", b">", b">"], 1000)
    assert (spec.command, spec.keys, spec.deadline_ms) == ("XREADGROUP", (b"a", b"b"), 1500)
    assert blocking_spec([b"BLPOP", b"q", b"0"], 5).deadline_ms == 0
    assert blocking_spec([b"XREAD", b"STREAMS", b"s", b"0"], 5) is None


def test_lessons_verify_passes_on_the_real_server_and_leaves_the_database_empty(url, server):
    done = subprocess.run([sys.executable, "-m", "redis_lab", "--redis", url, "lessons",
                           "--verify"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "13 lessons played on the server, 0 problems; skipped 14-scaling-out" in done.stdout
    assert server.command("DBSIZE") == b":0\r\n"


@pytest.mark.parametrize("entry", [["-c", "PING"], ["lessons", "--verify"]])
def test_a_server_that_is_not_there_is_one_line(entry):
    done = subprocess.run([sys.executable, "-m", "redis_lab", "--redis",
                           "redis://127.0.0.1:1/0", *entry], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 1
    assert done.stderr == ("redis-lab: cannot connect to redis://127.0.0.1:1/0: connection "
                           "refused (is redis-server running there?)\n")


def test_show_and_export_work_on_the_real_server(url, tmp_path):
    page = tmp_path / "views.html"
    text = _run(["XADD s 1-1 f v", ":show stream s", f":export html {page}"], redis_url=url,
                width=80)
    assert "─ stream s ─" in text
    assert page.exists() and "stream s" in page.read_text(encoding="utf-8")

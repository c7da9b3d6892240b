"""Faults on a real server: each is one line, the shell goes on, nothing is changed by a refusal."""

from __future__ import annotations

import io
import subprocess
import sys

from servers import RedisServer, require_redis_server

from redis_lab.app import make_session
from redis_lab.app.script import run_lines
from redis_lab.settings import Environment, Settings


def _lab(*args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redis_lab", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_server_restarted_mid_session_reconnects_and_says_what_was_lost(tmp_path):
    server = RedisServer(require_redis_server(), tmp_path)
    server.start()
    port = server.port
    try:
        session = make_session(Settings(redis_url=f"redis://127.0.0.1:{port}/0"),
                               interactive=False, env=Environment())
        session.run_line("@alice SUBSCRIBE news")
        server.stop()
        server.port_picker = lambda: port
        server.start()
        first = session.run_line("PUBLISH news lost")
        texts = [p.text for p in first.printed]
        assert texts[0] == "(integer) 0"   # alice was not subscribed again yet: the message is gone
        notes = "\n".join(t for p, t in zip(first.printed, texts) if p.kind == "warning")
        assert "connection of default" in notes and "connection of alice" in notes
        assert "alice subscribed again to news: messages published while it was away are lost" \
            in notes
        second = session.run_line("PUBLISH news hello")
        assert [p.text for p in second.printed] == [
            "(integer) 1", '1) "message"\n2) "news"\n3) "hello"']
        session.backend.close()
    finally:
        server.stop()


def test_server_gone_is_one_line_and_the_session_goes_on(tmp_path):
    server = RedisServer(require_redis_server(), tmp_path)
    server.start()
    session = make_session(Settings(redis_url=f"redis://127.0.0.1:{server.port}/0"),
                           interactive=False, env=Environment())
    server.stop()
    out, err = io.StringIO(), io.StringIO()
    status = run_lines(["PING", "PING"], Settings(), out, err, env=Environment(),
                       session=session)   # not --strict: that stops at the first error
    lines = out.getvalue().splitlines()
    assert status == 0 and err.getvalue() == ""
    assert lines == [f"cannot connect to redis://127.0.0.1:{server.port}/0: connection refused "
                     "(is redis-server running there?)"] * 2


def test_wrong_password_and_no_password_are_one_line(tmp_path):
    server = RedisServer(require_redis_server(), tmp_path)
    server.start()
    try:
        server.command("CONFIG", "SET", "requirepass", "s3cret")
        _auth_cases(f"127.0.0.1:{server.port}/0")
    finally:
        server.stop()


def _auth_cases(base: str) -> None:
    wrong = _lab("--redis", f"redis://:nope@{base}", "-c", "PING")
    assert wrong.returncode == 1 and wrong.stdout == ""
    assert wrong.stderr.startswith(f"redis-lab: redis://{base}: WRONGPASS ")
    assert len(wrong.stderr.splitlines()) == 1 and "nope" not in wrong.stderr
    missing = _lab("--redis", f"redis://{base}", "-c", "PING")
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"redis-lab: redis://{base}: NOAUTH Authentication required")
    right = _lab("--redis", f"redis://:s3cret@{base}", "-c", "PING", "-c", ":clients")
    assert right.returncode == 0 and right.stdout.startswith("PONG\n")
    assert "s3cret" not in right.stdout + right.stderr


def test_a_lesson_refuses_a_database_that_holds_keys_and_changes_nothing(url, server):
    server.command("SET", "user:1", "precious")
    for args in (["lesson", "1"], ["lessons", "--verify"]):
        done = _lab("--redis", url, *args)
        assert done.returncode == 1, done.stdout
        assert "holds 1 keys; a lesson wants an empty one (nothing was changed)" in done.stderr
        assert done.stdout == ""
    assert server.command("DBSIZE") == b":1\r\n"
    assert server.command("GET", "user:1") == b"$8\r\nprecious\r\n"
    forced = _lab("--redis", url, "lessons", "--verify", "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert server.command("KEYS", "*") == b"*1\r\n$6\r\nuser:1\r\n"


def test_flushall_and_del_of_many_keys_run_only_when_typed_twice(url):
    out = io.StringIO()
    run_lines(["MSET a 1 b 2 c 3", "FLUSHALL", "DBSIZE", "DEL a b c", "DEL a b c", "DBSIZE",
               "SET a 1", "FLUSHDB", "PING", "FLUSHDB", "FLUSHDB", "DBSIZE"],
              Settings(redis_url=url), out, io.StringIO(), env=Environment())
    lines = out.getvalue().splitlines()
    refusal = [line for line in lines if line.startswith("(not sent")]
    assert len(refusal) == 4
    assert refusal[0].startswith("(not sent: FLUSHALL deletes every key of every database on "
                                 "redis://127.0.0.1:")
    assert "DEL deletes 3 keys at once" in refusal[1]
    assert [line for line in lines if not line.startswith("(not sent")] == [
        "OK", "(integer) 3", "(integer) 3", "(integer) 0", "OK", "PONG", "OK", "(integer) 0"]
    yes = io.StringIO()
    run_lines(["SET a 1", "FLUSHDB", "DBSIZE"], Settings(redis_url=url, yes=True), yes,
              io.StringIO(), env=Environment())
    assert yes.getvalue().splitlines() == ["OK", "OK", "(integer) 0"]


def test_reset_on_a_real_server_closes_connections_and_flushes_nothing(url, server):
    out = io.StringIO()
    run_lines(["SET k v", "@alice SUBSCRIBE news", ":reset", "GET k", ":clients"],
              Settings(redis_url=url), out, io.StringIO(), env=Environment())
    lines = out.getvalue().splitlines()
    assert lines[4].endswith("The data on the server stays: nothing was flushed")
    assert lines[5] == '"v"'
    assert [line.split()[:2] for line in lines[6:]] == [["client", "id"], ["*", "default"]]
    assert server.command("GET", "k") == b"$1\r\nv\r\n"


def test_a_unix_socket_url(tmp_path):
    sock = tmp_path / "redis.sock"
    server = RedisServer(require_redis_server(), tmp_path, ("--unixsocket", str(sock)))
    server.start()
    try:
        done = _lab("--redis", f"unix://{sock}", "-c", "PING", "-c", "SET k v", "-c", "GET k")
        assert (done.returncode, done.stdout) == (0, 'PONG\nOK\n"v"\n'), done.stderr
    finally:
        server.stop()
    gone = _lab("--redis", f"unix://{sock}", "-c", "PING")
    assert gone.stderr == f"redis-lab: cannot connect to unix://{sock}: no such socket file\n" \
        or "connection refused" in gone.stderr


def test_a_command_the_server_lacks_gets_its_error_and_the_version_that_added_it(tmp_path):
    # An older server is simulated: XAUTOCLAIM (Redis 6.2) renamed away, the version read as 6.0.
    server = RedisServer(require_redis_server(), tmp_path, ("--rename-command", "XAUTOCLAIM", ""))
    server.start()
    try:
        session = make_session(Settings(redis_url=f"redis://127.0.0.1:{server.port}/0"),
                               interactive=True, env=Environment())
        session.backend.version = "6.0.16"
        printed = session.run_line("XAUTOCLAIM s g c 0 0").printed
        assert [p.text for p in printed] == [
            "(error) ERR unknown command 'XAUTOCLAIM', with args beginning with: 's' 'g' 'c' "
            "'0' '0' ",
            "note: XAUTOCLAIM came in Redis 6.2.0; this server is Redis 6.0.16"]
        session.backend.version = "7.0.15"   # as new as the command: only the server's error
        assert len(session.run_line("XAUTOCLAIM s g c 0 0").printed) == 1
        session.backend.close()
    finally:
        server.stop()


def test_completion_offers_only_what_the_server_has(url):
    from redis_lab.shell.completion import Catalog, complete_line

    session = make_session(Settings(redis_url=url), interactive=True, env=Environment())

    def offered(text: str) -> list[str]:
        return [c.text for c in complete_line(text, Catalog(session), "default")[1]]

    assert offered("XAUTOC") == ["XAUTOCLAIM"]          # Redis 7.0.15 has it (since 6.2.0)
    session.backend.version = "6.0.16"                   # as an older server would say in INFO
    assert offered("XAUTOC") == [] and offered("XADD") == ["XADD"]
    session.backend.close()


def test_cluster_without_a_url_is_one_line():
    done = _lab("--cluster", "-c", "PING")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("redis-lab: --cluster needs --redis URL (any node of the cluster); on "
                           "the embedded engine, :cluster 3 emulates a cluster's slot map\n")


def test_advance_on_a_real_server_ages_the_pel_with_xclaim(url, server):
    out = io.StringIO()
    run_lines(["XADD jobs 1-1 task a", "XGROUP CREATE jobs workers 0",
               "@w1 XREADGROUP GROUP workers w1 STREAMS jobs >", ":advance 61s"],
              Settings(redis_url=url), out, io.StringIO(), env=Environment())
    assert out.getvalue().splitlines()[-1].startswith(
        "1 pending entries aged by 61 s on redis://127.0.0.1:")
    from redis_lab.protocol.resp import parse

    (entry_id, owner, idle, count), = parse(server.command("XPENDING", "jobs", "workers", "-",
                                                           "+", "10"))[0]
    assert (entry_id, owner, count) == (b"1-1", b"w1", 1) and idle >= 61_000

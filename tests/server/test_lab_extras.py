"""The shell on a redis-lab server reaches the lab's virtual clock through ``LAB CLOCK``.

``redis-lab --redis URL`` recognises ``redis-lab serve`` by ``LAB CLOCK`` answering; with
``--virtual-clock`` on the server, ``:advance`` sends ``LAB CLOCK ADVANCE ms``: a BLOCK timeout
fires at once (its ``(nil)`` prints before the next command's reply) and idle times move by
exactly the amount advanced. On a real redis-server ``LAB`` is an unknown command and the shell
keeps its fallback (XCLAIM ... IDLE aging, BLOCK timeouts in real time).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from redis_lab.backends.remote import RemoteBackend, Target
from redis_lab.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def virtual_lab(lab_server_factory):
    return lab_server_factory("--virtual-clock")


def _url(server, db: int) -> str:
    return f"redis://127.0.0.1:{server.port}/{db}"


def _shell(url: str, *lines: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "redis_lab", "--redis", url, *extra]
    for line in lines:
        args += ["-c", line]
    return subprocess.run(args, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          cwd=ROOT)


def _server_ms(server) -> int:
    reply = server.command("LAB", "CLOCK")         # *2 :1 :<ms>
    return int(reply.split(b"\r\n")[-2][1:])


def test_a_lab_server_is_recognised_and_a_real_one_is_not(virtual_lab, redis_server):
    lab = RemoteBackend(Target.from_settings(Settings(redis_url=_url(virtual_lab, 0))))
    real = RemoteBackend(Target.from_settings(Settings(redis_url=_url(redis_server, 0))))
    try:
        assert lab.lab_clock is True and lab.location.endswith(" · redis-lab server")
        assert lab.clock.virtual and lab.clock.now_ms() == _server_ms(virtual_lab)
        assert real.lab_clock is None and "redis-lab" not in real.location
        assert not real.clock.virtual
    finally:
        lab.close()
        real.close()


def test_advance_expires_a_block_at_once_and_clock_shows_the_servers_time(virtual_lab):
    before = _server_ms(virtual_lab)
    result = _shell(_url(virtual_lab, 1), "DEL s", "XADD s * a 1",
                    "@w XREAD BLOCK 5000 STREAMS s $", ":advance 6s", "PING", ":clock")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == f'"{before}-0"'                 # XADD * took the server's virtual time
    assert lines[2] == "(w is blocked: XREAD on s, timeout 5 s)"
    assert lines[3].startswith("virtual clock +6 s: now ")
    assert lines[4:6] == ["w ◂ (nil)", "PONG"]         # served by the advance, not by waiting
    assert f"({before + 6000} ms)" in lines[6]
    assert _server_ms(virtual_lab) == before + 6000


def test_advance_moves_idle_times_exactly(virtual_lab):
    result = _shell(_url(virtual_lab, 2), "DEL s", "XADD s * a 1", "XGROUP CREATE s g 0",
                    "XREADGROUP GROUP g c STREAMS s >", ":advance 10s",
                    "XPENDING s g - + 10", "DEL s")
    assert result.returncode == 0, result.stderr
    assert '   3) (integer) 10000' in result.stdout.splitlines()


def test_a_session_clock_moves_the_servers_clock_by_as_much(virtual_lab):
    before = _server_ms(virtual_lab)
    result = _shell(_url(virtual_lab, 3), "DEL s", "XADD s * a 1",
                    "@w XREAD BLOCK 2000 STREAMS s $", ":advance 3s", "PING", "DEL s",
                    extra=("--clock-start", "1000000"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == '"1000000-0"'                   # the session's clock names the IDs
    assert lines[4:6] == ["w ◂ (nil)", "PONG"]
    assert _server_ms(virtual_lab) == before + 3000


def test_the_lessons_verify_over_the_wire_and_leave_the_database_empty(virtual_lab):
    result = _shell(_url(virtual_lab, 5), extra=("lessons", "--verify"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("13 lessons played on the server, 0 problems; skipped 14-scaling-out"
            in result.stdout)
    assert virtual_lab.session(("SELECT", "5"), ("DBSIZE",))[1] == b":0\r\n"


def test_a_real_server_keeps_the_fallback(redis_server):
    result = _shell(_url(redis_server, 6), "DEL s", "XADD s 1-1 a 1", "XGROUP CREATE s g 0",
                    "XREADGROUP GROUP g c STREAMS s >", ":advance 10s", "DEL s")
    assert result.returncode == 0, result.stderr
    assert ("1 pending entries aged by 10 s on redis://127.0.0.1:"
            in result.stdout)
    assert "Redis's own clock did not move" in result.stdout


def test_snapshot_and_restore_go_through_lab_snapshot_and_restore(virtual_lab):
    result = _shell(_url(virtual_lab, 7), "DEL s", "XADD s 1-1 a 1", ":snapshot one",
                    "XADD s 2-1 a 2", ":restore one", "XRANGE s - +", ":restore two", "DEL s")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].startswith(
        "saved snapshot one on the redis-lab server (LAB SNAPSHOT one")
    assert result.stdout.splitlines()[4:8] == [
        "restored snapshot one (LAB RESTORE one; connections stay as they are)",
        '1) 1) "1-1"', '   2) 1) "a"', '      2) "1"']
    assert "-c:7: no snapshot named two: saved ones: one" in result.stdout + result.stderr


def test_snapshots_stay_refused_on_a_real_server(redis_server):
    result = _shell(_url(redis_server, 7), ":snapshot one")
    assert ("-c:1: snapshots and :undo work on the embedded engine only, not on a real Redis"
            in result.stdout + result.stderr)

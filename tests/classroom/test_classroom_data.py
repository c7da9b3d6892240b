"""``redis-lab serve --classroom --data DIR``: each sandbox in its own AOF, across restarts.

The server is stopped with SIGTERM and started again on the same directory, as a teacher does
between two lessons: alice's stream, consumer group and pending entries come back when she logs
in again, bob never sees them, and ``LAB RESET alice`` empties her sandbox on disk too.
"""

from __future__ import annotations

import pytest
import redis
from classroom_helpers import TEACHER_PASSWORD, ClassServer

from redis_lab.model.errors import CommandError
from redis_lab.server.classroom import room_dir


def without_times(info: dict) -> dict:
    """XINFO STREAM FULL as redis-py parses it, minus a consumer's seen-time (set again when
    the AOF's XCLAIM is replayed, in Redis as here); delivery times are kept."""
    for group in info["groups"]:
        for consumer in group["consumers"]:
            consumer.pop("seen-time")
    return info


def test_a_sandbox_survives_a_restart_and_reset_empties_it(tmp_path):
    data = tmp_path / "data"
    server = ClassServer(tmp_path, ("--data", str(data)))
    server.start()
    try:
        alice = server.as_user("alice")
        for n in range(3):
            alice.xadd("orders", {"n": str(n)})
        alice.xgroup_create("orders", "billing", id="0")
        alice.xreadgroup("billing", "w1", {"orders": ">"}, count=2)
        alice.xreadgroup("billing", "w2", {"orders": ">"}, count=1)
        alice.xack("orders", "billing", alice.xrange("orders", count=1)[0][0])
        before = without_times(alice.xinfo_stream("orders", full=True))
        assert before["groups"][0]["pel-count"] == 2
        server.as_user("bob").set("bobs", "1")
        server.stop()
        assert (data / "rooms" / "alice" / "appendonly.aof").stat().st_size > 0

        server.start()
        alice = server.as_user("alice")
        assert without_times(alice.xinfo_stream("orders", full=True)) == before
        assert alice.keys("*") == [b"orders"]
        bob = server.as_user("bob")
        assert bob.keys("*") == [b"bobs"]   # his own key back, none of alice's
        assert bob.exists("orders") == 0

        teacher = server.as_user("teacher", TEACHER_PASSWORD)
        assert teacher.execute_command("LAB RESET", "alice") == b"OK"
        assert not (data / "rooms" / "alice").exists()
        assert not [p for p in (data / "rooms").iterdir() if p.name.startswith(".")]
        server.stop()

        server.start()
        assert server.as_user("alice").keys("*") == []
        # bob has not logged in since this start: his sandbox is on disk only, and resettable
        teacher = server.as_user("teacher", TEACHER_PASSWORD)
        assert (data / "rooms" / "bob" / "appendonly.aof").stat().st_size > 0
        assert teacher.execute_command("LAB RESET", "bob") == b"OK"
        assert server.as_user("bob").keys("*") == []
        with pytest.raises(redis.ResponseError, match="no such student 'nobody'"):
            teacher.execute_command("LAB RESET", "nobody")
        with pytest.raises(redis.ResponseError, match="no such student 'teacher'"):
            teacher.execute_command("LAB RESET", "teacher")
    finally:
        server.stop()


def test_a_damaged_sandbox_refuses_its_login_in_one_line(tmp_path):
    data = tmp_path / "data"
    (data / "rooms" / "carol").mkdir(parents=True)
    (data / "rooms" / "carol" / "appendonly.aof").write_bytes(b"not an AOF\r\n*1\r\n$4\r\nPING\r\n")
    server = ClassServer(tmp_path, ("--data", str(data), "--appendfsync", "always"))
    server.start()
    try:
        with pytest.raises(redis.ResponseError) as refused:
            server.as_user("carol")
        assert str(refused.value) == ("cannot load carol's sandbox: its file is damaged or "
                                      "unreadable (the server log says where)")
        log = server.logfile.read_text()
        assert "cannot load carol's sandbox: " in log and "at offset 0" in log
        assert "Traceback" not in log
        dave = server.as_user("dave")   # the others work on
        dave.xadd("s", {"f": "v"})
        assert (data / "rooms" / "dave" / "appendonly.aof").read_bytes().count(b"XADD") == 1
    finally:
        server.stop()


@pytest.mark.parametrize("name", ["..", ".hidden", "a/b", "../../etc", "", "x" * 33])
def test_no_name_reaches_out_of_the_rooms_directory(tmp_path, name):
    with pytest.raises(CommandError):
        room_dir(tmp_path, name)


def test_room_directories(tmp_path):
    assert room_dir(tmp_path, "alice") == tmp_path.resolve() / "rooms" / "alice"
    assert room_dir(tmp_path, "class") == tmp_path.resolve() / "rooms" / "class"

"""Classroom mode over the wire: logging in, private sandboxes, the teacher's LAB commands, the
roster, limits, and the isolation abuse list of issue 17 (each refused or confined).

Error texts Redis itself has (WRONGPASS, NOAUTH) are compared with a real redis-server 7.0.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys

import pytest
import redis
from classroom_helpers import CLASS_PASSWORD, ROOT, TEACHER_PASSWORD


def rooms(teacher: redis.Redis) -> dict[str, dict]:
    """LAB ROOMS as {name: {field: value}}."""
    out = {}
    for row in teacher.execute_command("LAB ROOMS"):
        fields = dict(zip(row[::2], row[1::2]))
        out[fields[b"name"].decode()] = {k.decode(): v for k, v in fields.items()}
    return out


def raw_exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data


def test_nothing_runs_before_auth_and_errors_are_redis_texts(classroom, redis_server):
    reply = raw_exchange(classroom.port, b"PING\r\nKEYS *\r\nAUTH nobody wrong\r\n")
    assert reply == (b"-NOAUTH Authentication required.\r\n" * 2
                     + b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    assert redis_server.command("AUTH", "nobody", "wrong") == \
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"


def test_each_student_has_a_private_keyspace_pubsub_and_clients(classroom):
    alice, bob = classroom.as_user("r-alice"), classroom.as_user("r-bob")
    alice.set("secret", "a")
    alice.xadd("orders", {"n": "1"})
    sub = alice.pubsub()   # a second connection of alice's
    sub.subscribe("alice-news")
    sub.get_message(timeout=5)
    assert sorted(alice.keys("*")) == [b"orders", b"secret"]
    assert bob.keys("*") == [] and bob.dbsize() == 0 and bob.get("secret") is None
    assert bob.info("keyspace") == {} and alice.info("keyspace")["db0"]["keys"] == 2
    assert bob.pubsub_channels("*") == [] and alice.pubsub_channels("*") == [b"alice-news"]
    assert bob.publish("alice-news", "hi") == 0
    assert len(bob.client_list()) == 1 and len(alice.client_list()) == 2
    assert bob.info("clients")["connected_clients"] == 1
    assert alice.info("clients")["connected_clients"] == 2
    # The counters are per sandbox too: bob's INFO does not show what alice ran.
    assert alice.info("commandstats")["cmdstat_xadd"]["calls"] == 1
    assert "cmdstat_xadd" not in bob.info("commandstats")
    assert bob.info("stats")["total_commands_processed"] < \
        alice.info("stats")["total_commands_processed"]
    sub.close()


def test_abuse_list_is_refused_or_confined(classroom):
    alice, alice_worker = classroom.as_user("ab-alice"), classroom.as_user("ab-alice")
    bob = classroom.as_user("ab-bob")
    alice.set("mine", "1")
    worker_id = alice_worker.client_id()
    worker_addr = [c["addr"] for c in alice.client_list() if int(c["id"]) == worker_id][0]
    # CLIENT KILL of another student's client: ids and addresses are looked up in bob's room.
    assert bob.execute_command("CLIENT KILL", "ID", worker_id + 5) == 0
    with pytest.raises(redis.ResponseError, match="No such client"):
        bob.execute_command("CLIENT KILL", worker_addr)
    assert bob.execute_command("CLIENT KILL", "ADDR", worker_addr) == 0
    assert alice_worker.ping() is True
    # CLIENT LIST, PUBSUB CHANNELS *, KEYS * show bob's own things only.
    assert [int(c["id"]) for c in bob.client_list()] == [bob.client_id()]
    assert bob.pubsub_channels("*") == [] and bob.keys("*") == []
    # SELECT 1 is bob's own database 1.
    alice.execute_command("SELECT", "1")
    alice.set("in-db1", "x")
    bob.execute_command("SELECT", "1")
    assert bob.keys("*") == []
    # The teacher's commands.
    for command in ("LAB RESET ab-alice", "LAB ROOMS", "LAB PEEK ab-alice KEYS *", "LAB CLASS"):
        with pytest.raises(redis.ResponseError) as refused:
            bob.execute_command(*command.split())
        sub = command.split()[1].lower()
        assert str(refused.value) == \
            f"this user has no permissions to run the 'lab|{sub}' command"
    # The teacher's name with the class password: refused, and bob stays where he was.
    with pytest.raises(redis.AuthenticationError):
        bob.execute_command("AUTH", "teacher", CLASS_PASSWORD)
    bob.set("bob-key", "1")
    assert bob.keys("*") == [b"bob-key"]
    assert alice.keys("*") == [b"in-db1"]
    assert alice.execute_command("SELECT", "0") and alice.keys("*") == [b"mine"]


def test_reserved_and_odd_names_are_refused(classroom):
    for user in ("default", "bad name", "x" * 40):
        assert classroom.login_refused(user, CLASS_PASSWORD)


def test_hello_3_auth_lands_in_the_sandbox(classroom):
    plain = classroom.as_user("h-carol")
    plain.set("k", "v")
    resp3 = classroom.as_user("h-carol", protocol=3)
    assert resp3.get("k") == b"v"
    hello = resp3.execute_command("HELLO", "3")
    assert hello[b"proto"] == 3 and hello[b"id"] == resp3.client_id()
    ids = sorted(int(c["id"]) for c in plain.client_list())
    assert ids == sorted([plain.client_id(), resp3.client_id()])


def test_teacher_lists_peeks_and_resets(classroom):
    dave = classroom.as_user("t-dave")
    dave.xadd("s", {"f": "v"}, id="1-1")
    dave.set("k", "v")
    teacher = classroom.as_user("teacher")
    seen = rooms(teacher)["t-dave"]
    assert seen["clients"] == 1 and seen["keys"] == 2 and seen["last-command"] == b"set"
    assert sorted(teacher.execute_command("LAB PEEK", "t-dave", "KEYS", "*")) == [b"k", b"s"]
    assert teacher.execute_command("LAB PEEK", "t-dave", "XLEN", "s") == 1
    assert teacher.execute_command("LAB PEEK", "t-dave", "PUBSUB", "CHANNELS") == []
    assert len(teacher.execute_command("LAB PEEK", "t-dave", "CLIENT", "LIST").splitlines()) == 1
    for command in (("XADD", "s", "*", "f", "v"), ("DEL", "k"), ("XREAD", "BLOCK", "0",
                                                                   "STREAMS", "s", "$")):
        with pytest.raises(redis.ResponseError, match="LAB PEEK runs read-only commands only"):
            teacher.execute_command("LAB PEEK", "t-dave", *command)
    assert dave.dbsize() == 2
    with pytest.raises(redis.ResponseError, match="no such student 'nobody'"):
        teacher.execute_command("LAB PEEK", "nobody", "KEYS", "*")
    assert teacher.keys("*") == []   # the teacher's own sandbox
    assert teacher.execute_command("LAB RESET", "t-dave") == b"OK"
    assert "t-dave" not in rooms(teacher)          # its connection was closed with it
    again = classroom.as_user("t-dave")
    assert again.keys("*") == [] and rooms(teacher)["t-dave"]["clients"] == 1
    with pytest.raises(redis.ConnectionError):
        dave.ping()


def test_progress_reported_by_a_student_reaches_the_teacher(classroom):
    erin = classroom.as_user("p-erin")
    assert erin.execute_command("LAB PROGRESS", "05-consumer-groups", 3, 2, 1) == b"OK"
    frank = classroom.as_user("p-frank")
    frank.execute_command("LAB PROGRESS", "05-consumer-groups", 1, 0, 0)
    teacher = classroom.as_user("teacher")
    erin_row = rooms(teacher)["p-erin"]
    assert (erin_row["lesson"], erin_row["task"], erin_row["tries"], erin_row["hints"]) == \
        (b"05-consumer-groups", 3, 2, 1)
    assert erin_row["progress-age-ms"] >= 0
    summary = {(lesson, task): count for lesson, task, count
               in teacher.execute_command("LAB CLASS") if lesson == b"05-consumer-groups"}
    # erin works on task 3 (tasks 1 and 2 finished); frank on task 1 (none finished)
    assert summary == {(b"05-consumer-groups", 1): 1, (b"05-consumer-groups", 2): 1}
    with pytest.raises(redis.ResponseError, match="non-negative integers"):
        erin.execute_command("LAB PROGRESS", "x", "one", 0, 0)
    with pytest.raises(redis.ResponseError, match="student's own connection"):
        teacher.execute_command("LAB PROGRESS", "x", 1, 0, 0)


def test_shared_room_fans_one_publish_out_to_thirty_subscribers(classroom):
    subscribers = []
    for _ in range(30):
        sub = classroom.as_user("class").pubsub()
        sub.subscribe("lecture")
        assert sub.get_message(timeout=5)["type"] == "subscribe"
        subscribers.append(sub)
    presenter = classroom.as_user("class")
    assert presenter.publish("lecture", "hello class") == 30
    for sub in subscribers:
        assert sub.get_message(timeout=5)["data"] == b"hello class"
        sub.close()
    assert classroom.as_user("f-gina").publish("lecture", "x") == 0   # her own sandbox
    presenter.xadd("shared", {"f": "v"})
    teacher = classroom.as_user("teacher")
    assert teacher.execute_command("LAB PEEK", "class", "XLEN", "shared") == 1
    assert teacher.execute_command("LAB RESET", "class") == b"OK"
    assert classroom.as_user("class").exists("shared") == 0


def test_each_sandbox_has_its_own_virtual_clock(classroom_factory):
    server = classroom_factory("--virtual-clock")
    alice, bob = server.as_user("alice"), server.as_user("bob")
    start = alice.execute_command("LAB CLOCK")
    assert start == [1, 1_700_000_000_000] == bob.execute_command("LAB CLOCK")
    assert alice.execute_command("LAB CLOCK", "ADVANCE", 65_000) == 1_700_000_065_000
    assert alice.xadd("s", {"f": "v"}) == b"1700000065000-0"
    assert bob.execute_command("LAB CLOCK") == start and bob.xadd("s", {"f": "v"}) == \
        b"1700000000000-0"


def test_roster_mode(classroom_factory, tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("# class 3B\nalice\nbob\n\n", encoding="utf-8")
    server = classroom_factory("--roster", str(roster))
    secret = tmp_path / "roster.txt.passwords"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    passwords = dict(line.split(" ", 1) for line in secret.read_text().splitlines())
    assert sorted(passwords) == ["alice", "bob"] and passwords["alice"] != passwords["bob"]
    alice = server.as_user("alice", passwords["alice"])
    alice.set("k", "v")
    for user, password in (("bob", passwords["alice"]), ("alice", CLASS_PASSWORD),
                           ("mallory", CLASS_PASSWORD), ("teacher", passwords["alice"])):
        assert server.login_refused(user, password), user
    assert not server.login_refused("bob", passwords["bob"])
    with pytest.raises(redis.AuthenticationError):
        alice.execute_command("AUTH", "bob", passwords["alice"])
    assert alice.keys("*") == [b"k"]
    assert server.as_user("class").ping() is True
    teacher = server.as_user("teacher", TEACHER_PASSWORD)
    # the whole roster, connected or not, then the shared room
    assert list(rooms(teacher)) == ["alice", "bob", "class"]
    assert "passwords are in" in server.logfile.read_text()
    assert passwords["alice"] not in server.logfile.read_text()


def test_limits_are_refused_with_redis_style_errors(classroom_factory):
    server = classroom_factory("--max-keys", "3", "--max-stream-length", "5",
                               "--max-memory", "20000", "--max-students", "2")
    kim = server.as_user("kim")
    for n in range(5):
        kim.xadd("s", {"n": n})
    with pytest.raises(redis.ResponseError, match=r"^classroom limit: stream 's' already "
                                                  r"holds 5 entries"):
        kim.xadd("s", {"n": 5})
    assert kim.xlen("s") == 5
    kim.xadd("s", {"n": 5}, maxlen=5)       # trimming as it adds stays under the cap
    kim.set("a", "1")
    kim.set("b", "1")
    with pytest.raises(redis.ResponseError, match="already holds 3 keys"):
        kim.set("c", "1")
    kim.set("a", "2")                        # an existing key can still be written
    assert kim.dbsize() == 3
    kim.set("a", "x" * 15000)
    kim.set("b", "y" * 15000)
    with pytest.raises(redis.exceptions.OutOfMemoryError, match="classroom limit: this sandbox"):
        kim.set("a", "z" * 15000)
    kim.delete("a")
    kim.set("a", "small")                    # room again once the data is gone
    server.as_user("lee").ping()
    with pytest.raises(redis.ResponseError, match=r"the class is full \(2 students"):
        server.as_user("max").ping()
    assert server.as_user("class").ping() is True   # the shared room is no student


def test_commands_per_second_cap(classroom_factory):
    server = classroom_factory("--max-commands-per-second", "20")
    pipe = server.as_user("quick").pipeline(transaction=False)
    for _ in range(100):
        pipe.ping()
    replies = pipe.execute(raise_on_error=False)
    refused = [r for r in replies if isinstance(r, redis.ResponseError)]
    # One pipeline runs within at most two one-second windows: at most 40 PINGs get through.
    assert len(refused) >= 60
    assert str(refused[0]) == ("classroom limit: more than 20 commands in one second from "
                               "this student; slow down")


@pytest.mark.parametrize("lines, message", [
    ("bob\nteacher\n", "roster.txt:2: 'teacher' cannot be a student name"),
    (None, "cannot read roster"),
])
def test_an_unusable_roster_is_one_line(tmp_path, lines, message):
    roster = tmp_path / "roster.txt"
    if lines is not None:
        roster.write_text(lines, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "redis_lab", "serve", "--classroom", "--port",
                           "0", "--roster", str(roster)], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr

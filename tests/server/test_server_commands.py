"""The commands only a server has (INFO, CONFIG, CLIENT KILL/REPLY/NO-EVICT, FUNCTION FLUSH,
DEBUG, QUIT in a pipeline), byte for byte against redis-server on raw sockets."""

from __future__ import annotations

import socket
import time

import pytest
from test_abuse import exchange

from redis_lab.protocol.resp import encode_command


def commands(*cmds) -> bytes:
    return b"".join(encode_command([str(a).encode() for a in c]) for c in cmds)


SEQUENCES = {
    "quit-in-a-pipeline": commands(["PING"], ["QUIT"], ["PING"]),
    "inline-quit": b"PING\r\nQUIT\r\nPING\r\n",
    "client-kill-forms": commands(["CLIENT", "KILL", "ID", "999999"],
                                  ["CLIENT", "KILL", "1.2.3.4:5"],
                                  ["CLIENT", "KILL", "ID", "0"], ["CLIENT", "KILL", "TYPE", "x"],
                                  ["CLIENT", "KILL", "USER", "nobody"],
                                  ["CLIENT", "KILL", "SKIPME", "maybe"],
                                  ["CLIENT", "KILL", "TYPE", "pubsub"]),
    "client-kill-myself": commands(["CLIENT", "SETNAME", "x"],
                                   ["CLIENT", "KILL", "SKIPME", "no", "TYPE", "normal"],
                                   ["PING"]),
    "misc-accepted": commands(["CLIENT", "NO-EVICT", "on"], ["CLIENT", "NO-EVICT", "maybe"],
                              ["FUNCTION", "FLUSH"], ["FUNCTION", "FLUSH", "SYNC"],
                              ["FUNCTION", "FLUSH", "bad"], ["DBSIZE"]),
    "debug-refused-by-default": commands(["DEBUG", "SLEEP", "0"], ["DEBUG", "nosuch"]),
    "config-get-set": commands(
        ["CONFIG", "GET", "maxclients"], ["CONFIG", "GET", "stream-node-max-bytes"],
        ["CONFIG", "GET", "nosuch"], ["CONFIG", "SET", "nosuch", "1"],
        ["CONFIG", "SET", "maxclients"], ["CONFIG", "SET", "stream-node-max-entries", "x"],
        ["CONFIG", "SET", "stream-node-max-entries", "5"],
        ["CONFIG", "GET", "stream-node-max-entries"],
        ["CONFIG", "SET", "stream-node-max-entries", "100"],
        ["CONFIG", "SET", "notify-keyspace-events", "Q"],
        ["CONFIG", "SET", "notify-keyspace-events", "KA"],
        ["CONFIG", "GET", "notify-keyspace-events"],
        ["CONFIG", "SET", "notify-keyspace-events", "$lshzxeKE"],
        ["CONFIG", "GET", "notify-keyspace-events"],
        ["CONFIG", "SET", "notify-keyspace-events", ""],
        ["CONFIG", "SET", "enable-debug-command", "yes"],
        ["CONFIG", "GET", "enable-debug-command"], ["CONFIG", "GET", "appendonly"]),
    "info-keyspace-and-resetstat": commands(["FLUSHALL"], ["SET", "k", "v", "EX", "100"],
                                            ["XADD", "s", "1-1", "f", "v"], ["SELECT", "2"],
                                            ["SET", "k", "v"], ["CONFIG", "RESETSTAT"],
                                            ["INFO", "keyspace"], ["FLUSHALL"],
                                            ["INFO", "keyspace"]),
    "client-reply": commands(["CLIENT", "REPLY", "OFF"], ["PING"], ["CLIENT", "REPLY", "SKIP"],
                             ["PING"], ["CLIENT", "REPLY", "ON"], ["PING"],
                             ["CLIENT", "REPLY", "SKIP"], ["PING"], ["ECHO", "x"],
                             ["CLIENT", "REPLY", "MAYBE"]),
}


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_server_commands_as_redis(redis_server, lab_server, name):
    want = exchange(redis_server.port, SEQUENCES[name])
    got = exchange(lab_server.port, SEQUENCES[name])
    assert got == want


def test_lab_snapshot_and_restore(redis_server, lab_server):
    """The lab's extras over the wire; a real Redis answers LAB as an unknown command."""
    lab_server.flush()
    assert redis_server.command("LAB", "SNAPSHOT").startswith(b"-ERR unknown command 'LAB'")
    assert lab_server.session(
        ("XADD", "s", "1-1", "f", "v"), ("SET", "k", "v"), ("LAB", "SNAPSHOT"),
        ("XADD", "s", "2-1", "f", "v"), ("XGROUP", "CREATE", "s", "g", "0"), ("DEL", "k"),
        ("SET", "new", "x"), ("LAB", "SNAPSHOT", "later"), ("LAB", "RESTORE"),
        ("XLEN", "s"), ("XINFO", "GROUPS", "s"), ("GET", "k"), ("EXISTS", "new"),
        ("LAB", "RESTORE", "later"), ("XLEN", "s"), ("LAB", "RESTORE", "nosuch"),
    ) == [b"$3\r\n1-1\r\n", b"+OK\r\n", b"+OK\r\n", b"$3\r\n2-1\r\n", b"+OK\r\n", b":1\r\n",
          b"+OK\r\n", b"+OK\r\n", b"+OK\r\n", b":1\r\n", b"*0\r\n", b"$1\r\nv\r\n", b":0\r\n",
          b"+OK\r\n", b":2\r\n", b"-ERR no snapshot named 'nosuch'\r\n"]
    # a reader blocked on a stream that the restore gives new entries is served at once
    assert lab_server.command("LAB", "RESTORE") == b"+OK\r\n"   # s back to 1 entry
    reader = socket.create_connection(("127.0.0.1", lab_server.port), timeout=5)
    reader.sendall(encode_command([b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"1-1"]))
    deadline = time.monotonic() + 10
    while b"blocked_clients:1\r\n" not in lab_server.command("INFO", "clients"):
        assert time.monotonic() < deadline
    assert lab_server.command("LAB", "RESTORE", "later") == b"+OK\r\n"
    assert reader.recv(1000) == (b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n"
                                 b"*2\r\n$1\r\nf\r\n$1\r\nv\r\n")
    reader.close()

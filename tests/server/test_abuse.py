"""Abuse: what hostile or broken clients do to ``redis-lab serve``, next to redis-server 7.0.

Each test does something a server must survive (malformed frames, a 600 MB declared bulk, 200
clients at once, a subscriber that never reads while 40 MB are published, disconnects in the
middle of a frame or while blocked, too many clients, no password, a foreign address) and then
checks that the server still answers PING. Where Redis has an answer, the same bytes are
expected from both servers.
"""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from redis_lab.protocol.resp import Incomplete, encode_command, parse

QUIET_S = 0.2


def exchange(port: int, data: bytes, host: str = "127.0.0.1", chunks: int = 1,
             source: str | None = None) -> tuple[bytes, bool]:
    """Send ``data`` (in ``chunks`` pieces); return (everything received, closed by server)."""
    sock = socket.create_connection((host, port), timeout=5,
                                    source_address=(source, 0) if source else None)
    with sock:
        step = max(1, len(data) // chunks)
        try:
            for i in range(0, len(data), step):
                sock.sendall(data[i:i + step])
        except OSError:
            pass  # the server may close before reading everything (it refused the request)
        return read_until_quiet(sock)


def read_until_quiet(sock: socket.socket, quiet: float = QUIET_S) -> tuple[bytes, bool]:
    received = b""
    sock.settimeout(quiet)
    while True:
        try:
            chunk = sock.recv(1 << 16)
        except socket.timeout:
            return received, False
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk


def assert_pings(port: int, host: str = "127.0.0.1") -> None:
    reply, _ = exchange(port, b"*1\r\n$4\r\nPING\r\n", host)
    assert reply == b"+PONG\r\n"


def command(sock: socket.socket, *args) -> bytes:
    """Send one command; return its reply frame's bytes."""
    sock.sendall(encode_command([a if isinstance(a, bytes) else str(a).encode() for a in args]))
    sock.settimeout(5)
    received = b""
    while True:
        try:
            _, end = parse(received)
            assert end == len(received), received
            return received
        except Incomplete:
            chunk = sock.recv(1 << 16)
            if not chunk:
                return received
            received += chunk


MALFORMED = {
    "integer-in-request": b"*1\r\n:5\r\n",
    "multibulk-count-not-a-number": b"*abc\r\n",
    "multibulk-count-leading-zero": b"*01\r\n$4\r\nPING\r\n",
    "multibulk-count-too-big": b"*3000000000\r\n",
    "bulk-length-not-a-number": b"*1\r\n$abc\r\n",
    "bulk-length-negative": b"*1\r\n$-1\r\n",
    "600-MB-declared-bulk": b"*2\r\n$4\r\nECHO\r\n$600000000\r\n",
    "nested-array-after-a-good-command": b"*1\r\n$4\r\nPING\r\n*1\r\n*1\r\n$4\r\nPING\r\n",
    "unbalanced-quotes-inline": b'SET k "unbalanced\r\n',
    "closing-quote-not-followed-by-space": b'ECHO "a"b\r\n',
    "inline-line-too-long": b"x" * 70_000,
    "bulk-count-string-too-long": b"*1\r\n$" + b"1" * 70_000,
    "mbulk-count-string-too-long": b"*" + b"1" * 70_000,
    "http-post": b"POST / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "http-host-header": b"Host: example.com\r\n*1\r\n$4\r\nPING\r\n",
    "empty-requests-ignored": b"*0\r\n*-1\r\n\r\n  \r\n*1\r\n$4\r\nPING\r\n",
    "inline-quotes-and-escapes": b'ECHO "a\\x41b\\n" \'c d\'\r\nPING\r\n',
    "inline-then-multibulk": b"PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n",
    "bulk-not-followed-by-crlf": b"*2\r\n$4\r\nECHO\r\n$2\r\nhixx*1\r\n$4\r\nPING\r\n",
    "byte-by-byte": b"*3\r\n$4\r\nXADD\r\n$1\r\ns\r\n$1\r\n*\r\n*2\r\n$4\r\nECHO\r\n$2\r\nok\r\n",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_input_answered_as_redis_does(redis_server, lab_server, name):
    data = MALFORMED[name]
    chunks = len(data) if name == "byte-by-byte" else 1
    want = exchange(redis_server.port, data, chunks=chunks)
    got = exchange(lab_server.port, data, chunks=chunks)
    assert got == want
    assert_pings(lab_server.port)


def test_two_hundred_concurrent_clients(lab_server):
    lab_server.flush()
    socks = [socket.create_connection(("127.0.0.1", lab_server.port), timeout=10)
             for _ in range(200)]
    try:
        for i, sock in enumerate(socks):
            sock.sendall(b"".join(encode_command(c) for c in (
                [b"CLIENT", b"SETNAME", b"c%d" % i], [b"XADD", b"s%d" % i, b"1-1", b"f", b"v"],
                [b"PUBLISH", b"nobody", b"x"], [b"XADD", b"all", b"*", b"from", b"%d" % i],
                [b"XLEN", b"s%d" % i], [b"PING"])))
        for i, sock in enumerate(socks):
            want = b"+OK\r\n$3\r\n1-1\r\n:0\r\n"
            got = b""
            while got.count(b"\r\n") < 6:
                got += sock.recv(4096)
            assert got.startswith(want) and got.endswith(b":1\r\n+PONG\r\n"), (i, got)
        listing = lab_server.command("CLIENT", "LIST")
        assert listing.count(b"name=c") == 200
        assert lab_server.command("XLEN", "all") == b":200\r\n"
    finally:
        for sock in socks:
            sock.close()
    wait_for(lambda: b"connected_clients:1\r\n" in lab_server.command("INFO", "clients"))
    assert_pings(lab_server.port)


def wait_for(condition, timeout: float = 10) -> None:
    """Poll until the server has processed something asynchronous (a disconnect)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.02)


def _slow_subscriber_run(server) -> dict:
    """A subscriber that never reads while 40 MB are published; another one reads everything."""
    server.flush()
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(("127.0.0.1", server.port))
    slow.sendall(encode_command([b"SUBSCRIBE", b"news"]))
    slow.recv(100)
    fast = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    fast.sendall(encode_command([b"SUBSCRIBE", b"news"]))
    message = b"m" * 100_000
    frame_len = len(b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$100000\r\n") + 100_000 + 2
    received = []

    def read_fast():
        total, want = 0, len(b"*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n") + 400 * frame_len
        while total < want:
            chunk = fast.recv(1 << 20)
            if not chunk:
                break
            total += len(chunk)
        received.append(total)

    reader = threading.Thread(target=read_fast)
    reader.start()
    counts = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as publisher:
        for _ in range(40):  # 40 x 10 x 100 kB = 40 MB
            publisher.sendall(encode_command([b"PUBLISH", b"news", message]) * 10)
            got = b""
            while got.count(b"\r\n") < 10:
                got += publisher.recv(4096)
            counts += [int(n) for n in re.findall(rb":(\d+)\r\n", got)]
    reader.join(30)
    pubsub_clients = server.command("CLIENT", "LIST", "TYPE", "pubsub").count(b"id=")
    slow.close()
    fast.close()
    return {"fast_got_everything": received and received[0] >= 400 * frame_len,
            "receivers_first": counts[0], "receivers_last": counts[-1],
            "pubsub_clients_after": pubsub_clients}


def test_a_subscriber_that_never_reads_is_dropped(redis_server, lab_server):
    want = _slow_subscriber_run(redis_server)
    got = _slow_subscriber_run(lab_server)
    assert got == want == {"fast_got_everything": True, "receivers_first": 2,
                           "receivers_last": 1, "pubsub_clients_after": 1}
    stats = lab_server.command("INFO", "stats")
    assert b"client_output_buffer_limit_disconnections:1\r\n" in stats
    assert "overcoming of output buffer limits" in lab_server.log_text()
    rss = _rss_bytes(lab_server.pid)
    if rss is not None:  # the dropped subscriber's 32 MB were freed, not kept
        assert rss < 200 * 1024 * 1024, rss
    assert_pings(lab_server.port)


def _rss_bytes(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def test_disconnects_mid_frame_and_while_blocked_leave_no_trace(lab_server):
    lab_server.flush()
    lab_server.command("XGROUP", "CREATE", "jobs", "g", "$", "MKSTREAM")
    half = socket.create_connection(("127.0.0.1", lab_server.port))
    half.sendall(b"*5\r\n$4\r\nXADD\r\n$4\r\njobs\r\n$1\r\n*\r\n$1")
    blocked = socket.create_connection(("127.0.0.1", lab_server.port))
    blocked.sendall(encode_command([b"XREAD", b"BLOCK", b"0", b"STREAMS", b"jobs", b"$"]))
    group_reader = socket.create_connection(("127.0.0.1", lab_server.port))
    group_reader.sendall(encode_command([b"XREADGROUP", b"GROUP", b"g", b"w1", b"BLOCK", b"0",
                                         b"STREAMS", b"jobs", b">"]))
    wait_for(lambda: b"blocked_clients:2\r\n" in lab_server.command("INFO", "clients"))
    for sock in (half, blocked, group_reader):
        sock.close()
    wait_for(lambda: b"connected_clients:1\r\n" in lab_server.command("INFO", "clients"))
    info = lab_server.command("INFO", "clients")
    assert b"blocked_clients:0\r\n" in info
    assert lab_server.command("CLIENT", "LIST").count(b"id=") == 1
    assert lab_server.command("XLEN", "jobs") == b":0\r\n"  # the half frame ran nothing
    assert lab_server.command("XADD", "jobs", "1-1", "f", "v") == b"$3\r\n1-1\r\n"
    assert lab_server.command("XPENDING", "jobs", "g") == b"*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n"
    assert_pings(lab_server.port)


def _maxclients_run(server) -> list[bytes]:
    socks = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(3)]
    try:
        replies = [command(sock, "PING") for sock in socks]
        extra = exchange(server.port, encode_command([b"PING"]))
        socks.pop().close()
        time.sleep(0.1)
        again = exchange(server.port, encode_command([b"PING"]))
    finally:
        for sock in socks:
            sock.close()
    return [*replies, *[repr(x).encode() for x in (extra, again)]]


def test_maxclients(redis_server_factory, lab_server_factory):
    redis = redis_server_factory("redis-maxclients", "--maxclients", "3")
    lab = lab_server_factory("--maxclients", "3")
    got = _maxclients_run(lab)
    assert got == _maxclients_run(redis)
    assert got[3] == repr((b"-ERR max number of clients reached\r\n", True)).encode()
    assert_pings(lab.port)


AUTH_STEPS = [
    ("PING",), ("AUTH", "wrong"), ("AUTH", "default", "wrong"), ("AUTH", "a", "b", "c"),
    ("HELLO", "3"), ("HELLO", "3", "AUTH", "default", "wrong"), ("MULTI",), ("NOSUCH",),
    ("CLIENT", "ID", "x"), ("AUTH", "s3cret"), ("PING",), ("RESET",), ("PING",),
    ("HELLO", "2", "AUTH", "default", "s3cret", "SETNAME", "me"), ("CLIENT", "GETNAME"),
    ("CONFIG", "GET", "requirepass"),
]


def _auth_run(server) -> list[bytes]:
    replies = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for step in AUTH_STEPS:
            replies.append(re.sub(rb"id\r\n:\d+", b"id\r\n:0", command(sock, *step)))
    # before AUTH, Redis refuses big requests outright
    replies.append(repr(exchange(server.port, encode_command([b"ECHO", b"x" * 20_000]))).encode())
    replies.append(repr(exchange(server.port, encode_command([b"DEL", *[b"k"] * 11]))).encode())
    return replies


def test_requirepass(redis_server_factory, lab_server_factory):
    redis = redis_server_factory("redis-requirepass")
    assert redis.command("CONFIG", "SET", "requirepass", "s3cret") == b"+OK\r\n"
    lab = lab_server_factory("--requirepass", "s3cret")
    got = _auth_run(lab)
    assert got == _auth_run(redis)
    assert got[0] == b"-NOAUTH Authentication required.\r\n"
    assert exchange(lab.port, encode_command([b"AUTH", b"s3cret"]) + encode_command([b"PING"]))[0] \
        == b"+OK\r\n+PONG\r\n"


def _foreign_address() -> str | None:
    """An address of this machine that is not loopback (None when it has none)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_protected_mode(redis_server_factory, lab_server_factory):
    address = _foreign_address()
    if address is None:
        pytest.skip("not applicable on this platform: no non-loopback IPv4 address to connect "
                    "from")
    redis = redis_server_factory("redis-protected", "--bind", "0.0.0.0", "--protected-mode",
                                 "yes")
    lab = lab_server_factory("--bind", "0.0.0.0")
    ping = encode_command([b"PING"])
    got = exchange(lab.port, ping, host=address, source=address)
    assert got == exchange(redis.port, ping, host=address, source=address)
    assert got[0].startswith(b"-DENIED Redis is running in protected mode") and got[1]
    assert_pings(lab.port)  # loopback clients are still served
    with_password = lab_server_factory("--bind", "0.0.0.0", "--requirepass", "pw")
    assert exchange(with_password.port, ping, host=address, source=address) == \
        (b"-NOAUTH Authentication required.\r\n", False)

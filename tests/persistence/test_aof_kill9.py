"""kill -9 against ``redis-lab serve --data D --appendfsync always``.

A client adds 10,000 entries in pipelined batches, recording every ID the server acknowledged,
and a consumer of a group reads and acknowledges as it goes. At a random moment (5 runs, 5
moments) the server gets SIGKILL while a batch is in flight. Restarted on the same directory:
every acknowledged ID is there, last-generated-id is at least the last acknowledged one, and
the group agrees with what the consumer was told (every entry it received and did not XACK is
pending to it, none it XACKed is, its last-delivered-id covers what it received).

The data directory is on a RAM file system when there is one (/dev/shm): SIGKILL ends the
process, not the kernel, so what ``write`` handed to the kernel survives either way; what this
proves is that nothing is acknowledged before it was written. (What fsync adds — surviving a
power loss — no test can show; on a RAM disk it costs nothing, which keeps the five runs fast.)
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
from pathlib import Path

import pytest
from servers import LabServer

from redis_lab.protocol.resp import Incomplete, encode_command, parse

TOTAL = 10_000
BATCH = 100


class Pipe:
    """A raw RESP connection: send many commands, read their replies."""

    def __init__(self, server) -> None:
        self.sock = server.connect(timeout=10)
        self.buf = b""

    def send(self, commands) -> None:
        self.sock.sendall(b"".join(encode_command(c) for c in commands))

    def replies(self, count: int) -> list:
        out = []
        while len(out) < count:
            try:
                value, end = parse(self.buf)
            except Incomplete:   # read more
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    raise ConnectionError("closed")
                self.buf += chunk
                continue
            self.buf = self.buf[end:]
            out.append(value)
        return out


def _load(server, *commands):
    return [parse(raw)[0] for raw in server.session(*commands)]


@pytest.fixture
def data_dir(tmp_path):
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        with tempfile.TemporaryDirectory(dir="/dev/shm", prefix="redis-lab-aof-") as folder:
            yield Path(folder)
    else:
        yield tmp_path / "data"


@pytest.mark.parametrize("run", range(5))
def test_acknowledged_writes_survive_kill_9(run, tmp_path, data_dir):
    rng = random.Random(run)
    kill_after = rng.randrange(BATCH, TOTAL - BATCH)
    data = data_dir
    args = ("--data", str(data), "--appendfsync", "always")
    server = LabServer(tmp_path / "first", args)
    server.start()
    acked: list[bytes] = []
    received: set[bytes] = set()
    xacked: set[bytes] = set()
    try:
        pipe = Pipe(server)
        pipe.send([[b"XGROUP", b"CREATE", b"s", b"g", b"$", b"MKSTREAM"]])
        pipe.replies(1)
        n = 0
        while n < TOTAL:
            batch = [[b"XADD", b"s", b"*", b"n", b"%d" % (n + i)] for i in range(BATCH)]
            read = [b"XREADGROUP", b"GROUP", b"g", b"c", b"COUNT", b"60", b"STREAMS", b"s", b">"]
            pipe.send(batch + [read])
            if n >= kill_after:
                server.proc.send_signal(signal.SIGKILL)   # a batch is in flight
                server.proc.wait(timeout=10)
                break
            replies = pipe.replies(BATCH + 1)
            acked.extend(replies[:BATCH])
            got = [entry[0] for entry in replies[BATCH][0][1]]
            received.update(got)
            to_ack = got[::2]
            pipe.send([[b"XACK", b"s", b"g", *to_ack]])
            assert pipe.replies(1) == [len(to_ack)]
            xacked.update(to_ack)
            n += BATCH
    finally:
        server.stop()
    assert acked, "the server was killed before acknowledging anything"
    again = LabServer(tmp_path / "second", args)
    again.start()
    try:
        ids = {entry[0] for entry in _load(again, ("XRANGE", "s", "-", "+"))[0]}
        missing = [sid for sid in acked if sid not in ids]
        assert not missing, f"{len(missing)} acknowledged IDs lost, first {missing[:3]}"
        info = _load(again, ("XINFO", "STREAM", "s"))[0]
        last = info[info.index(b"last-generated-id") + 1]
        assert _key(last) >= _key(acked[-1])
        pending = {row[0]: row[1] for row in
                   _load(again, ("XPENDING", "s", "g", "-", "+", "100000"))[0]}
        assert all(owner == b"c" for owner in pending.values())
        assert not (xacked & pending.keys())
        assert received - xacked <= pending.keys()
        [group] = _load(again, ("XINFO", "GROUPS", "s"))[0]
        delivered = group[group.index(b"last-delivered-id") + 1]
        assert _key(delivered) >= max(map(_key, received))
        # Shown with pytest -rP (the figures of the closing note).
        print(f"kill -9 run {run}: {len(acked)} XADDs acknowledged, {len(ids)} entries after "
              f"restart, last-generated-id {last.decode()} >= {acked[-1].decode()}, "
              f"{len(received)} delivered, {len(xacked)} XACKed, {len(pending)} pending")
    finally:
        again.stop()


def _key(sid: bytes) -> tuple[int, int]:
    ms, seq = sid.split(b"-")
    return int(ms), int(seq)

"""Node-exact stream trimming: randomised workloads and the reference's measured examples.

Approximate ('~') trimming removes whole listpack nodes only, so the engine must open a new node
exactly where Redis does (100 entries, deleted ones included, or the 4096-byte budget computed
from listpack element sizes) and free a node when XDEL removes its last live entry. Redis does
not show nodes directly; they show through every XTRIM / XADD-with-trim reply and through
XINFO STREAM's radix-tree-keys and radix-tree-nodes.

* ``test_random_trim_workload``: seeded workloads (several node configurations, value sizes
  from 1 to 4000 bytes, integer-looking values, varied field sets, XDELs, MAXLEN / MINID,
  '=' and '~', LIMIT, 'ms-*' IDs, a few invalid commands). Every reply is compared byte for
  byte, including every XINFO STREAM (radix-tree-keys and radix-tree-nodes among its fields)
  and a final XRANGE and XINFO STREAM FULL. The commands are pipelined to the server.
* ``test_reference_measured_example``: the examples measured in the reference (section 4.7,
  Appendix C), each asserted against the documented numbers on both sides.

The engine side sets ``engine.config["stream-node-max-entries" / "stream-node-max-bytes"]``,
the server side CONFIG SET; both are restored to the defaults afterwards. With
``REDIS_LAB_CONFORMANCE_SELFTEST=1`` the engine is replaced by a second redis-server.

``ServerPipe`` and ``compare_replies`` are shared with test_stream_stateful.py.
"""

from __future__ import annotations

import os
import random

import pytest
from harness import Incomplete, parse_frame, parse_frames, show_frames

from redis_lab.protocol.resp import encode_command

SELFTEST = os.environ.get("REDIS_LAB_CONFORMANCE_SELFTEST", "") not in ("", "0")
DEFAULT_CONFIG = {"stream-node-max-entries": 100, "stream-node-max-bytes": 4096}
FAR_MS = 99_999_999_999_999
U64 = (1 << 64) - 1


# ---------------------------------------------------------------------------------------------
# Running command lists on both sides
# ---------------------------------------------------------------------------------------------

def _arg(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode()


class ServerPipe:
    """One connection to a redis-server; commands are pipelined in chunks, raw replies kept."""

    CHUNK = 500

    def __init__(self, server) -> None:
        self.sock = server.connect(timeout=30)
        self.buf = b""

    def run(self, commands) -> list[bytes]:
        replies: list[bytes] = []
        for start in range(0, len(commands), self.CHUNK):
            chunk = commands[start:start + self.CHUNK]
            self.sock.sendall(b"".join(encode_command([_arg(a) for a in c]) for c in chunk))
            replies.extend(self._read(len(chunk)))
        return replies

    def _read(self, n: int) -> list[bytes]:
        out = []
        pos = 0
        while len(out) < n:
            try:
                _, end = parse_frame(self.buf, pos)
            except Incomplete:
                self.buf = self.buf[pos:]
                pos = 0
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    raise ConnectionError("redis-server closed the connection")
                self.buf += chunk
                continue
            out.append(self.buf[pos:end])
            pos = end
        self.buf = self.buf[pos:]
        return out

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def set_server_config(server, config: dict) -> None:
    pipe = ServerPipe(server)
    try:
        replies = pipe.run([("CONFIG", "SET", k, v) for k, v in config.items()])
    finally:
        pipe.close()
    assert all(r == b"+OK\r\n" for r in replies), replies


class ServerSideRunner:
    label = "redis-server"

    def __init__(self, server) -> None:
        self.server = server

    def run(self, config: dict, commands: list) -> list[bytes]:
        pipe = ServerPipe(self.server)
        try:
            pipe.run([("FLUSHALL",)] + [("CONFIG", "SET", k, v) for k, v in
                                         {**DEFAULT_CONFIG, **config}.items()])
            return pipe.run(commands)
        finally:
            pipe.close()
            set_server_config(self.server, DEFAULT_CONFIG)


class EngineRunner:
    label = "engine"

    def __init__(self, make_engine) -> None:
        self.make_engine = make_engine

    def run(self, config: dict, commands: list) -> list[bytes]:
        engine = self.make_engine()
        engine.config.update({**DEFAULT_CONFIG, **config})
        client = engine.client("trim")
        return [client.call(*[_arg(a) for a in c]) for c in commands]


@pytest.fixture
def model_runner(request):
    """The engine, or in self-test mode a second redis-server."""
    if SELFTEST:
        return ServerSideRunner(request.getfixturevalue("reference_redis_server"))
    return EngineRunner(request.getfixturevalue("engine_factory"))


@pytest.fixture
def server_runner(redis_server):
    return ServerSideRunner(redis_server)


def compare_replies(label: str, commands, want: list[bytes], got: list[bytes],
                    model: str = "engine") -> None:
    """Assert equal replies; on the first difference show the command and both replies."""
    assert len(want) == len(got)
    for index, (command, a, b) in enumerate(zip(commands, want, got)):
        if a != b:
            shown = " ".join(_arg(x).decode("utf-8", "backslashreplace")[:60] for x in command)
            raise AssertionError(
                f"{label}: command #{index}: {shown}\n"
                f"  redis-server: {show_frames(a)[:1500]}\n"
                f"  {model}: {show_frames(b)[:1500]}\n"
                f"  redis-server bytes: {a[:300]!r}\n  {model} bytes: {b[:300]!r}"
            )


# ---------------------------------------------------------------------------------------------
# Randomised workloads
# ---------------------------------------------------------------------------------------------

INT_LIKE = [
    "0", "1", "-1", "127", "128", "-128", "4095", "-4096", "4096", "-4097", "32767", "-32768",
    "32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "007", "-0", "+1",
    " 1", "1 ", "12345678901234567890", "99999999999999999999", "1.5", "0x10",
]
FIELD_SETS = [
    ["f"], ["f"], ["f"], ["a", "b"], ["b", "a"], ["a", "b", "c"], ["1", "2"], ["name", "x" * 70],
    ["k" * 200], [""],
]
MS_STEPS = [0, 0, 0, 1, 1, 2, 3, 100, 127, 128, 4095, 4096, 70_000, 1 << 31, 1 << 33]
SEQ_STEPS = [1, 1, 1, 2, 64, 5000, 70_000, 1 << 33]


def _value(rng: random.Random, mode: str) -> str:
    if mode == "ints" or (mode == "mixed" and rng.random() < 0.2):
        value = rng.choice(INT_LIKE)
        return value if rng.random() < 0.8 else str(rng.randint(-(1 << 40), 1 << 40))
    low, high = {
        "tiny": (1, 3), "small": (1, 40), "medium": (30, 130), "large": (100, 1000),
        "huge": (1000, 4000), "mixed": (1, 4000),
    }[mode]
    if mode == "mixed":
        high = rng.choice([10, 63, 64, 200, 4000])
        low = 1
    n = rng.randint(low, high)
    return rng.choice("abcdefghij") * n


class Workload:
    """A seeded command list for one stream key, with the node configuration to run it under."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        rng = self.rng = random.Random(seed)
        self.config = {
            "stream-node-max-entries": rng.choice([100, 100, 100, 10, 7, 3, 1, 0]),
            "stream-node-max-bytes": rng.choice([4096, 4096, 4096, 1000, 500, 100, 0]),
        }
        self.mode = rng.choice(["tiny", "small", "medium", "large", "huge", "mixed", "ints"])
        self.ms = rng.choice([1, 1000, 1 << 32, 1 << 45, FAR_MS])
        self.seq = 0
        self.started = False
        self.ids: list[str] = []
        self.commands: list[tuple] = []
        self._build(rng.randint(150, 350))

    # -- pieces --------------------------------------------------------------------------------
    def _next_id(self) -> str:
        rng = self.rng
        if not self.started:
            self.started = True
            self.seq = rng.choice([0, 1, 5])
            return f"{self.ms}-{self.seq}"
        step = rng.choice(MS_STEPS)
        star = rng.random() < 0.15
        if step:
            self.ms += step
            self.seq = 0 if star else rng.choice([0, 0, 1, 7, 300, 1 << 20])
        else:
            if self.seq > U64 - (1 << 34):
                self.ms += 1
                self.seq = 0
            else:
                self.seq += 1 if star else rng.choice(SEQ_STEPS)
        if star:
            return f"{self.ms}-*"
        return f"{self.ms}-{self.seq}"

    def _known_id(self) -> str:
        rng = self.rng
        if self.ids and rng.random() < 0.85:
            return rng.choice(self.ids)
        return f"{max(self.ms - rng.randint(0, 5000), 0)}-{rng.randint(0, 9)}"

    def _threshold_id(self) -> str:
        rng = self.rng
        sid = self._known_id()
        if rng.random() < 0.3:
            return sid.split("-")[0]          # incomplete ID: ms-0
        return sid

    def _trim_args(self, allow_bad: bool) -> list:
        rng = self.rng
        args: list = []
        if rng.random() < 0.55:
            args.append("MAXLEN")
            op = rng.choice(["~", "~", "=", None])
            if op:
                args.append(op)
            args.append(str(rng.choice([0, 1, 5, 10, 50, 99, 100, 101, 150, 200, 350])
                            if rng.random() < 0.6 else rng.randint(0, 400)))
        else:
            args.append("MINID")
            op = rng.choice(["~", "~", "=", None])
            if op:
                args.append(op)
            args.append(self._threshold_id())
        if rng.random() < 0.35 and (op == "~" or (allow_bad and rng.random() < 0.1)):
            args += ["LIMIT", str(rng.choice([0, 1, 50, 99, 100, 101, 200, 1000]))]
        return args

    def _fields(self) -> list:
        rng = self.rng
        fields = list(rng.choice(FIELD_SETS))
        if rng.random() < 0.05:
            fields = fields + fields          # duplicate field names are stored as given
        pairs: list = []
        for name in fields:
            pairs += [name, _value(rng, self.mode)]
        return pairs

    def _build(self, n_ops: int) -> None:
        rng = self.rng
        key = "s"
        out = self.commands
        for i in range(n_ops):
            r = rng.random() if i else 0.0     # the first command creates the stream
            if r < 0.64:
                cmd: list = ["XADD", key]
                if i and rng.random() < 0.22:
                    cmd += self._trim_args(allow_bad=True)
                if i and rng.random() < 0.02 and self.ids:
                    sid = self.ids[-1]                       # equal or smaller: an error
                elif self.started and self.ms >= FAR_MS and rng.random() < 0.1:
                    self.seq += 1
                    sid = "*"                                # far-future stream: last + 1
                else:
                    sid = self._next_id()
                if sid.endswith("-*"):
                    # what Redis will assign, so later XDEL / MINID can name it
                    self.ids.append(f"{self.ms}-{self.seq}")
                elif sid == "*":
                    self.ids.append(f"{self.ms}-{self.seq}")
                elif sid not in self.ids:
                    self.ids.append(sid)
                out.append(tuple(cmd + [sid] + self._fields()))
            elif r < 0.80:
                count = rng.choice([1, 1, 1, 2, 3, 10])
                out.append(("XDEL", key, *[self._known_id() for _ in range(count)]))
            elif r < 0.93:
                out.append(("XTRIM", key, *self._trim_args(allow_bad=True)))
            elif r < 0.97:
                out.append(("XLEN", key))
            else:
                out.append(("XINFO", "STREAM", key))
            if i % 15 == 14:
                out.append(("XINFO", "STREAM", key))
        out.append(("XLEN", key))
        out.append(("XINFO", "STREAM", key))
        out.append(("XRANGE", key, "-", "+"))
        out.append(("XINFO", "STREAM", key, "FULL", "COUNT", "0"))


N_WORKLOADS = int(os.environ.get("REDIS_LAB_TRIM_WORKLOADS", "120"))


@pytest.mark.parametrize("seed", range(N_WORKLOADS))
def test_random_trim_workload(seed, server_runner, model_runner):
    work = Workload(seed)
    want = server_runner.run(work.config, work.commands)
    got = model_runner.run(work.config, work.commands)
    compare_replies(f"workload {seed} (config {work.config}, values {work.mode})",
                    work.commands, want, got, model_runner.label)


# ---------------------------------------------------------------------------------------------
# The reference's measured examples (section 4.7)
# ---------------------------------------------------------------------------------------------

def _fill(key: str, n: int, value: str = "v", ids=None) -> list:
    if ids is None:
        return [("XADD", key, f"{FAR_MS}-*", "f", value) for _ in range(n)]
    return [("XADD", key, sid, "f", value) for sid in ids]


EXAMPLES: dict[str, tuple[dict, list, list]] = {}


def example(name: str, commands: list, expect: list, config: dict | None = None) -> None:
    """``expect``: (index into commands, expected raw reply); negative indexes allowed."""
    EXAMPLES[name] = (config or {}, commands, expect)


_k = _fill("s", 1000)
example("maxlen-approx-550-removes-400", _k + [
    ("XTRIM", "s", "MAXLEN", "~", "550"), ("XLEN", "s"),
    ("XTRIM", "s", "MAXLEN", "~", "550"),
    ("XTRIM", "s", "MAXLEN", "~", "499"), ("XLEN", "s"),
    ("XTRIM", "s", "MAXLEN", "550"),
    ("XINFO", "STREAM", "s"),
], [(-7, b":400\r\n"), (-6, b":600\r\n"), (-5, b":0\r\n"), (-4, b":100\r\n"), (-3, b":500\r\n"),
    (-2, b":0\r\n")])

example("maxlen-approx-0-with-limits", _k + [
    ("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "150"),
    ("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "99"),
    ("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "0"),
    ("XLEN", "s"), ("XINFO", "STREAM", "s"),
], [(-5, b":100\r\n"), (-4, b":0\r\n"), (-3, b":900\r\n"), (-2, b":0\r\n")])

example("default-limit-is-100-nodes-worth", _fill("s", 20000) + [
    ("XTRIM", "s", "MAXLEN", "~", "0"),
    ("XTRIM", "s", "MAXLEN", "=", "9990"),
    ("XLEN", "s"), ("XINFO", "STREAM", "s"),
], [(-4, b":10000\r\n"), (-3, b":10\r\n"), (-2, b":9990\r\n")])

example("minid-approx-then-exact", _fill("s", 0, ids=[f"{i}-1" for i in range(1, 1001)]) + [
    ("XTRIM", "s", "MINID", "~", "550"),
    ("XRANGE", "s", "-", "+", "COUNT", "1"),
    ("XTRIM", "s", "MINID", "550"),
    ("XRANGE", "s", "-", "+", "COUNT", "1"),
    ("XTRIM", "s", "MINID", "550"),
], [(-5, b":500\r\n"), (-4, b"*1\r\n*2\r\n$5\r\n501-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"),
    (-3, b":49\r\n"), (-2, b"*1\r\n*2\r\n$5\r\n550-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"),
    (-1, b":0\r\n")])

example("100-byte-values-36-per-node", _fill("s", 300, "x" * 100) + [
    ("XINFO", "STREAM", "s"),
    ("XTRIM", "s", "MAXLEN", "~", "200"),
], [(-1, b":72\r\n")])

example("deleted-entries-count-for-approx-maxlen",
        _k + [("XDEL", "s", *[f"{FAR_MS}-{i}" for i in range(0, 100, 2)]),
              ("XTRIM", "s", "MAXLEN", "~", "901"),
              ("XTRIM", "s", "MAXLEN", "~", "900"),
              ("XLEN", "s")],
        [(-4, b":50\r\n"), (-3, b":0\r\n"), (-2, b":50\r\n"), (-1, b":900\r\n")])

example("exact-trim-flags-inside-a-node-then-approx-drops-it", _fill("s", 300) + [
    ("XTRIM", "s", "MAXLEN", "250"),
    ("XINFO", "STREAM", "s"),
    ("XTRIM", "s", "MAXLEN", "~", "150"),
    ("XLEN", "s"),
], [(-4, b":50\r\n"), (-2, b":50\r\n"), (-1, b":200\r\n")])

example("xadd-maxlen-approx-10-cycle",
        [("XADD", "z", "MAXLEN", "~", "10", f"{FAR_MS}-*", "f", "v") for _ in range(230)]
        + [("XLEN", "z")], [])

example("xadd-maxlen-approx-10-cycle-node-entries-5",
        [("XADD", "z", "MAXLEN", "~", "10", f"{FAR_MS}-*", "f", "v") for _ in range(40)]
        + [("XLEN", "z")], [], config={"stream-node-max-entries": 5})

example("deleted-entries-use-node-capacity", _fill("s", 100) + [
    ("XDEL", "s", *[f"{FAR_MS}-{i}" for i in range(50)]),
    ("XINFO", "STREAM", "s"),
    ("XADD", "s", f"{FAR_MS}-*", "f", "v"),
    ("XINFO", "STREAM", "s"),
], [])

example("freeing-the-middle-node", _fill("s", 300) + [
    ("XDEL", "s", *[f"{FAR_MS}-{i}" for i in range(100, 200)]),
    ("XINFO", "STREAM", "s"),
    ("XLEN", "s"),
], [(-3, b":100\r\n"), (-1, b":200\r\n")])

example("ten-nodes-radix-tree", _k + [("XINFO", "STREAM", "s")], [])

for _length, _nodes in [(1, 3), (30, 3), (40, 4), (50, 5), (63, 6), (64, 6), (100, 9),
                        (200, 16), (500, 43), (1000, 75), (2000, 150), (4000, 300)]:
    example(f"node-capacity-value-length-{_length}",
            _fill("s", 0, "x" * _length, ids=[f"{i}-1" for i in range(1, 301)])
            + [("XINFO", "STREAM", "s")], [("keys", _nodes)])


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_reference_measured_example(name, server_runner, model_runner):
    config, commands, expect = EXAMPLES[name]
    if name.startswith("xadd-maxlen-approx-10-cycle"):
        # XLEN after every add: interleave to observe the cycle
        commands = [c for add in commands[:-1] for c in (add, ("XLEN", "z"))]
    want = server_runner.run(config, commands)
    got = model_runner.run(config, commands)
    compare_replies(name, commands, want, got, model_runner.label)
    for index, raw in expect:
        if index == "keys":
            (_, payload), = parse_frames(want[-1])
            fields = {payload[i][1]: payload[i + 1] for i in range(0, len(payload), 2)}
            assert fields[b"radix-tree-keys"] == (":", raw), (name, fields[b"radix-tree-keys"])
            continue
        assert want[index] == raw, (name, index, want[index], raw)
    if name == "xadd-maxlen-approx-10-cycle":
        lengths = [int(r[1:-2]) for r in want[1::2]]
        assert lengths[:109] == list(range(1, 110))
        assert lengths[109] == 10
        assert lengths[110:209] == list(range(11, 110))
        assert lengths[209] == 10
    if name == "xadd-maxlen-approx-10-cycle-node-entries-5":
        lengths = [int(r[1:-2]) for r in want[1::2]]
        assert lengths[:15] == list(range(1, 15)) + [10]
        assert lengths[15:20] == [11, 12, 13, 14, 10]

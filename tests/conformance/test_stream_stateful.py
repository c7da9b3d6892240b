"""Long random sequences of stream and consumer-group commands, engine vs redis-server, step by step.

A seeded generator (not hypothesis: one sequence is thousands of commands and the server side
is pipelined, which keeps the whole file to a few seconds) issues valid and invalid commands on
several streams, groups and consumers: XADD (explicit, 'ms-*' and '*' IDs, NOMKSTREAM, trims),
XDEL, XTRIM, XLEN, XRANGE / XREVRANGE, XREAD, XGROUP CREATE / SETID / DESTROY / CREATECONSUMER /
DELCONSUMER, XREADGROUP ('>' and history, NOACK, COUNT), XACK, XPENDING, XCLAIM (every option),
XAUTOCLAIM, XINFO STREAM [FULL] / GROUPS / CONSUMERS, XSETID, DEL, SET (WRONGTYPE), HELLO 2/3.

Every reply is compared byte for byte after one normalisation: wall-time values (XPENDING and
XINFO CONSUMERS idle, XINFO STREAM FULL delivery and seen times) are masked. Everything else is
made deterministic instead of masked:

* explicit IDs live in the far future (ms >= 99999999999999), and '*' is only issued while the
  stream's last ID is there too (the generator asks the engine), so '*' means last-id + 1;
* min-idle-time (XCLAIM, XAUTOCLAIM) and XPENDING IDLE are 0 or one hour, and XCLAIM IDLE / TIME
  put delivery times either within a minute of now or days in the past, so every idle
  comparison comes out the same on both sides although the server's clock runs;
* no command blocks (BLOCK only with history IDs, which never block).

The generator drives a private engine to make those choices, so the same sequence can also be
replayed server-vs-server (REDIS_LAB_CONFORMANCE_SELFTEST=1).
"""

from __future__ import annotations

import os
import random

import pytest
from harness import MASK_HELLO, parse_frames, show_frames
from test_stream_trimming import SELFTEST, ServerPipe, _arg
from test_streams import MASK_STREAM_TIMES

from redis_lab.model.ids import SEQ_MASK
from redis_lab.model.stream import Stream

FAR = 99_999_999_999_999
HOUR = 3_600_000
KEYS = ["s1", "s2", "s3"]
GROUPS = ["g1", "g2", "g3"]
CONSUMERS = ["alice", "bob", "carol", "dave"]

N_SEQUENCES = int(os.environ.get("REDIS_LAB_STATEFUL_SEQUENCES", "40"))
N_STEPS = int(os.environ.get("REDIS_LAB_STATEFUL_STEPS", "500"))


class Generator:
    """Builds one command sequence, consulting a private engine for what the streams hold."""

    def __init__(self, seed: int, make_engine) -> None:
        self.rng = random.Random(seed)
        self.engine = make_engine()
        self.client = self.engine.client("stateful")
        self.commands: list[tuple] = []

    # -- looking at the engine ---------------------------------------------------------------
    def stream(self, key: str) -> Stream | None:
        value = self.engine.dbs[0].get(key.encode())
        return value if isinstance(value, Stream) else None

    def known_ids(self, key: str) -> list[str]:
        """IDs worth naming: live entries, pending entries, and a few that never existed."""
        rng = self.rng
        stream = self.stream(key)
        out = []
        if stream is not None:
            for sid, _ in stream.range(0, (1 << 128) - 1):
                out.append(f"{sid >> 64}-{sid & SEQ_MASK}")
            for group in stream.groups.values():
                out.extend(f"{sid >> 64}-{sid & SEQ_MASK}" for sid in list(group.pel)[:20])
        out.append(f"{FAR + rng.randint(0, 40)}-{rng.randint(0, 3)}")
        return out

    def some_id(self, key: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.7:
            return rng.choice(self.known_ids(key))
        if r < 0.85:
            return f"{FAR + rng.randint(0, 40)}"           # incomplete: ms-0 (or ms-max)
        if r < 0.9:
            return rng.choice(["0", "0-0", "1-1", f"{FAR}-0"])
        if r < 0.95:
            return rng.choice(["bad", "", "-1", "1-2-3", "(", "18446744073709551616-0"])
        return rng.choice(["-", "+"])

    def range_bound(self, key: str, end: bool) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            return "+" if end else "-"
        if r < 0.35:
            return "-" if end else "+"
        bound = self.some_id(key)
        if rng.random() < 0.2 and bound not in ("-", "+", ""):
            bound = "(" + bound
        return bound

    def group_for(self, key: str) -> str:
        """Mostly a group that exists on the key (else NOGROUP would dominate)."""
        stream = self.stream(key)
        if stream is not None and stream.groups and self.rng.random() < 0.85:
            return self.rng.choice(sorted(stream.groups)).decode()
        return self.rng.choice(GROUPS)

    def consumer_for(self, key: str, group: str) -> str:
        stream = self.stream(key)
        found = stream.groups.get(group.encode()) if stream is not None else None
        if found is not None and found.consumers and self.rng.random() < 0.6:
            return self.rng.choice(sorted(found.consumers)).decode()
        return self.rng.choice(CONSUMERS)

    # -- command makers ----------------------------------------------------------------------
    def key(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.93:
            return rng.choice(KEYS)
        return rng.choice(["str", "nokey"])

    def fields(self) -> list:
        rng = self.rng
        n = rng.choice([1, 1, 1, 2, 3])
        names = rng.choice([["f"], ["a", "b"], ["b", "a"], ["f", "g", "h"]])
        out = []
        for i in range(n):
            out += [names[i % len(names)], rng.choice(["v", "1", "-7", "hello", "x" * 70, ""])]
        return out

    def trim_options(self, key: str) -> list:
        rng = self.rng
        if rng.random() < 0.5:
            opts = ["MAXLEN"]
            op = rng.choice(["~", "=", None, None])
            if op:
                opts.append(op)
            opts.append(str(rng.choice([0, 1, 2, 5, 10, 100, -1])))
        else:
            opts = ["MINID"]
            op = rng.choice(["~", "=", None])
            if op:
                opts.append(op)
            opts.append(self.some_id(key))
        if op == "~" and rng.random() < 0.3:
            opts += ["LIMIT", str(rng.choice([0, 1, 10, 100]))]
        return opts

    def xadd(self) -> tuple:
        rng = self.rng
        key = self.key()
        args = ["XADD", key]
        if rng.random() < 0.1:
            args.append("NOMKSTREAM")
        if rng.random() < 0.15:
            args += self.trim_options(key)
        stream = self.stream(key)
        last = stream.last_id if stream is not None else 0
        r = rng.random()
        if r < 0.35 and last >> 64 >= FAR and last < (1 << 128) - 1:
            sid = "*"
        elif r < 0.55:
            ms = max(last >> 64, FAR) + rng.choice([0, 0, 1, 2])
            sid = f"{ms}-*"
        elif r < 0.97:
            ms = max(last >> 64, FAR) + rng.choice([0, 0, 1, 3])
            seq = rng.randint(0, 5) if ms > last >> 64 else (last & SEQ_MASK) + rng.randint(1, 3)
            sid = f"{ms}-{seq}"
        else:
            sid = rng.choice(["0-0", "bad", f"{FAR}-0", "-", "1-1"])
        args.append(sid)
        args += self.fields() if rng.random() > 0.02 else ["odd"]
        return tuple(args)

    def xreadgroup(self) -> tuple:
        rng = self.rng
        first = rng.choice(KEYS)
        group = self.group_for(first)
        args = ["XREADGROUP", "GROUP", group, self.consumer_for(first, group)]
        if rng.random() < 0.4:
            args += ["COUNT", str(rng.choice([0, 1, 2, 3, 10, -1]))]
        if rng.random() < 0.15:
            args.append("NOACK")
        keys = [first] if rng.random() < 0.8 else rng.sample(KEYS, 2)
        ids = [">" if rng.random() < 0.6 else self.some_id(k) for k in keys]
        if rng.random() < 0.05 and ">" not in ids:
            args += ["BLOCK", "0"]                      # history reads never block
        return tuple(args + ["STREAMS", *keys, *ids])

    def xclaim(self) -> tuple:
        rng = self.rng
        key = self.key()
        group = self.group_for(key)
        args = ["XCLAIM", key, group, self.consumer_for(key, group),
                str(rng.choice([0, 0, HOUR, -5]))]
        args += [self.some_id(key) for _ in range(rng.choice([1, 1, 2, 3]))]
        for _ in range(rng.choice([0, 0, 1, 2])):
            opt = rng.choice(["JUSTID", "FORCE", "RETRYCOUNT", "IDLE", "TIME", "LASTID"])
            args.append(opt)
            if opt == "RETRYCOUNT":
                args.append(str(rng.choice([0, 1, 5, -1])))
            elif opt == "IDLE":
                args.append(str(rng.choice([0, 50, 100_000_000, -100])))
            elif opt == "TIME":
                args.append(str(rng.choice([1000, FAR, -1])))
            elif opt == "LASTID":
                args.append(self.some_id(key))
        return tuple(args)

    def next_command(self) -> tuple:
        rng = self.rng
        key = self.key()
        group = self.group_for(key) if rng.random() < 0.9 else rng.choice(GROUPS)
        consumer = self.consumer_for(key, group)
        r = rng.random()
        if r < 0.22:
            return self.xadd()
        if r < 0.26:
            return ("XDEL", key, *[self.some_id(key) for _ in range(rng.choice([1, 1, 2]))])
        if r < 0.28:
            return ("XTRIM", key, *self.trim_options(key))
        if r < 0.30:
            return ("XLEN", key)
        if r < 0.34:
            cmd = rng.choice(["XRANGE", "XREVRANGE"])
            a, b = self.range_bound(key, cmd == "XREVRANGE"), self.range_bound(
                key, cmd == "XRANGE")
            extra = ["COUNT", str(rng.choice([0, 1, 2, 5, -1]))] if rng.random() < 0.4 else []
            return (cmd, key, a, b, *extra)
        if r < 0.37:
            keys = rng.sample(KEYS, rng.choice([1, 2]))
            ids = [rng.choice(["$", "0"]) if rng.random() < 0.4 else self.some_id(k)
                   for k in keys]
            extra = ["COUNT", str(rng.choice([1, 2, 0]))] if rng.random() < 0.3 else []
            return ("XREAD", *extra, "STREAMS", *keys, *ids)
        if r < 0.42:
            sid = rng.choice(["$", "0", "$"]) if rng.random() < 0.6 else self.some_id(key)
            args = ["XGROUP", "CREATE", key, rng.choice(GROUPS), sid]
            if rng.random() < 0.3:
                args.append("MKSTREAM")
            if rng.random() < 0.2:
                args += ["ENTRIESREAD", str(rng.choice([0, 1, 3, -1, -2]))]
            return tuple(args)
        if r < 0.45:
            sid = rng.choice(["$", "0", "-", "+"]) if rng.random() < 0.5 else self.some_id(key)
            args = ["XGROUP", "SETID", key, group, sid]
            if rng.random() < 0.3:
                args += ["ENTRIESREAD", str(rng.choice([0, 1, 2, 5, -1]))]
            return tuple(args)
        if r < 0.46:
            return ("XGROUP", "DESTROY", key, group)
        if r < 0.48:
            return ("XGROUP", "CREATECONSUMER", key, group, consumer)
        if r < 0.50:
            return ("XGROUP", "DELCONSUMER", key, group, consumer)
        if r < 0.62:
            return self.xreadgroup()
        if r < 0.67:
            return ("XACK", key, group, *[self.some_id(key) for _ in range(rng.choice([1, 2]))])
        if r < 0.72:
            if rng.random() < 0.4:
                return ("XPENDING", key, group)
            args = ["XPENDING", key, group]
            if rng.random() < 0.3:
                args += ["IDLE", str(rng.choice([0, HOUR]))]
            args += [self.range_bound(key, False), self.range_bound(key, True),
                     str(rng.choice([1, 3, 10, 0]))]
            if rng.random() < 0.3:
                args.append(consumer)
            return tuple(args)
        if r < 0.78:
            return self.xclaim()
        if r < 0.82:
            args = ["XAUTOCLAIM", key, group, consumer, str(rng.choice([0, 0, HOUR])),
                    self.range_bound(key, False)]
            if rng.random() < 0.5:
                args += ["COUNT", str(rng.choice([1, 2, 3, 10, 0]))]
            if rng.random() < 0.3:
                args.append("JUSTID")
            return tuple(args)
        if r < 0.86:
            return ("XINFO", "GROUPS", key)
        if r < 0.89:
            return ("XINFO", "CONSUMERS", key, group)
        if r < 0.93:
            if rng.random() < 0.4:
                return ("XINFO", "STREAM", key, "FULL", "COUNT", str(rng.choice([0, 2, 10])))
            return ("XINFO", "STREAM", key)
        if r < 0.96:
            stream = self.stream(key)
            last = stream.last_id if stream is not None else 0
            ms = max(last >> 64, FAR) + rng.choice([0, 0, 1, -1])
            args = ["XSETID", key, f"{ms}-{rng.randint(0, 9)}"]
            if rng.random() < 0.3:
                args += ["ENTRIESADDED", str(rng.choice([0, 5, 50, 1000]))]
            if rng.random() < 0.3:
                args += ["MAXDELETEDID", self.some_id(key)]
            return tuple(args)
        if r < 0.97:
            return ("DEL", key)
        if r < 0.98:
            return ("SET", "str", "a string")
        if r < 0.99:
            return ("HELLO", rng.choice(["2", "3"]))
        return rng.choice([("XADD", key), ("XREADGROUP", "GROUP", group), ("XGROUP", "FOO"),
                           ("XINFO", "FOO", key), ("XCLAIM", key, group, consumer, "x", "1"),
                           ("XPENDING", key, group, "-", "+"), ("XAUTOCLAIM", key)])

    def build(self, steps: int) -> list[bytes]:
        """Generate ``steps`` commands; returns the engine's replies (kept as the model's)."""
        replies = []
        for _ in range(steps):
            command = self.next_command()
            self.commands.append(command)
            replies.append(self.client.call(*[_arg(a) for a in command]))
        return replies


def _normalise(command: tuple, raw: bytes):
    name = command[0].upper()
    if name not in ("XPENDING", "XINFO", "HELLO"):
        return raw
    frames = parse_frames(raw)
    return MASK_HELLO(frames) if name == "HELLO" else MASK_STREAM_TIMES(frames)


@pytest.mark.parametrize("seed", range(N_SEQUENCES))
def test_stateful_sequence(seed, redis_server, engine_factory, request):
    gen = Generator(seed, engine_factory)
    model = gen.build(N_STEPS)
    model_label = "engine"
    if SELFTEST:
        other = ServerPipe(request.getfixturevalue("reference_redis_server"))
        try:
            other.run([("FLUSHALL",)])
            model = other.run(gen.commands)
        finally:
            other.close()
        model_label = "second redis-server"
    pipe = ServerPipe(redis_server)
    try:
        pipe.run([("FLUSHALL",)])
        want = pipe.run(gen.commands)
    finally:
        pipe.close()
    for index, (command, a, b) in enumerate(zip(gen.commands, want, model)):
        if a == b or _normalise(command, a) == _normalise(command, b):
            continue
        start = max(0, index - 25)
        history = "\n".join(
            f"  {i:4d}  " + " ".join(_arg(x).decode("utf-8", "backslashreplace")
                                      for x in gen.commands[i])
            for i in range(start, index + 1))
        raise AssertionError(
            f"sequence {seed}, step {index}: divergence\n{history}\n"
            f"  redis-server: {show_frames(a)[:2000]}\n"
            f"  {model_label}: {show_frames(b)[:2000]}"
        )

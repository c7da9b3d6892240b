"""Differential conformance harness: the engine against a real redis-server, byte for byte.

A *scenario* is a list of steps. The usual step is a tuple ``(client, arg, arg, ...)``: send the
command on that client's connection. Client names map to separate connections, opened lazily
(a socket to redis-server on one side, ``engine.client(name)`` on the other). For every step the
harness compares, per client, what arrived on the wire:

* the issuing client: the engine's ``call()`` bytes followed by its ``read_output()`` bytes
  (RESP3 self-delivered pushes and the like), against everything its socket received;
* every other client: the engine's ``read_output()`` bytes, against its socket's bytes.

How many frames to wait for on each socket is taken from the engine (a blocked command yields
none). Once they have arrived a short drain (``DRAIN_S``) catches unexpected extra bytes. After
the last step every connected client sends a PING on both sides (the *fence*), compared like any
step: replies are ordered, so an extra frame from either side that the drain missed comes before
the PONG and cannot go unseen. A client the engine leaves blocked gets no PONG on either side;
its socket is then watched for ``FENCE_BLOCKED_DRAIN_S`` (past the server's timeout cron).

Steps (all importable from this module)::

    ("alice", "SUBSCRIBE", "chat")          exact bytes (args: str, bytes or int)
    cmd("alice", "GET", "k")                the same, spelled out
    unordered("alice", "KEYS", "*")         hash-order replies compared as multisets (UNORDERED)
    masked(MASK_CLIENT_ID, "alice", "CLIENT", "ID")
                                            both sides normalised by a mask before comparing
    known("command-count", "alice", "COMMAND", "COUNT")
                                            an accepted divergence, keyed in KNOWN_DIVERGENCES
    advance(150)                            engine: clock.advance(150); server: sleep 0.15 s;
                                            then late output (BLOCK timeouts) is compared
    sleep(20)                               real-server-only wall-clock wait (engine untouched)
    scan_all("alice", "MATCH", "k*", "COUNT", "1")
                                            full SCAN iteration on both sides; key sets compared
    ("bob", "CLIENT", "UNBLOCK", ClientId("alice"))
                                            ClientId is replaced by that client's id on each side

A mask (or any ``compare=`` function) takes the list of parsed frames one client received in the
step and returns a normalised list; both sides go through it and must then be equal. Frames are
typed tuples ``(type_char, payload)`` (see :func:`parse_frame`), so types are never blurred.
Several normalisers can be given as a tuple; they apply left to right.

Ready-made normalisers: UNORDERED, MASK_INTEGERS (= MASK_CLIENT_ID), MASK_HELLO (the id entry),
MASK_TIME, MASK_CLIENT_INFO (volatile CLIENT LIST/INFO fields), MASK_CLIENT_LIST (the same,
lines sorted: the server rotates its client list), MASK_STREAM_IDS, and the
factories mask_regex(pattern, repl) and mask_field_after(key) (e.g. ``mask_field_after(b"idle")``
for XINFO replies).

Blocking: a command that blocks returns b"" from ``call()``; the harness then expects no bytes
on that socket. When a later step (XADD from another client, CLIENT UNBLOCK, ``advance(ms)``
past a BLOCK timeout) makes the engine deliver the late reply through ``read_output()``, the
harness waits for that frame on the blocked client's socket. Example::

    [("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),    # blocks: nothing on the wire
     ("writer", "XADD", "s", "1-1", "f", "v"),                   # reader's reply arrives here
     ("reader", "XREAD", "BLOCK", "100", "STREAMS", "s", "$"),
     advance(150)]                                               # the timeout's nil arrives here

Keep BLOCK timeouts small (100 ms) and advance a little more (150 ms): redis-server serves
timeouts from a 10 Hz timer, and the harness waits up to CONFORMANCE_TIMEOUT_MS (1500) for them.

Running: the ``conformance`` fixture (tests/conformance/conftest.py) gives a :class:`Conformance`
whose ``run(steps)`` flushes the server (FLUSHALL, other clients killed), uses a fresh engine and
fresh connections, and raises AssertionError on the first divergence with the scenario so far,
the step, both byte strings and both parsed values. ``CONFORMANCE_KEEP_GOING=1`` reports every
divergence of a scenario instead of only the first.

``REDIS_LAB_CONFORMANCE_SELFTEST=1`` replaces the engine by a second redis-server (read with a
quiet-period rule instead of frame counts): the harness and the scenarios are then checked
against Redis itself, which must give zero divergences -- use it when writing new scenarios.
"""

from __future__ import annotations

import os
import re
import selectors
import socket
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# Accepted divergences: the ONE place where a difference from redis-server is declared expected.
# Key -> reason. A step opts in with known(key, ...). Keep this list short; the goal is zero.
# ---------------------------------------------------------------------------------------------

KNOWN_DIVERGENCES: dict[str, str] = {
    "command-count": (
        "COMMAND COUNT reports the size of the command table; the engine implements only the "
        "Pub/Sub, Streams and keyspace/connection subset of Redis's ~240 commands."
    ),
}

#: Seconds to keep reading after the expected frames arrived, to catch unexpected extra bytes.
DRAIN_S = float(os.environ.get("CONFORMANCE_DRAIN_MS", "3")) / 1000
#: Seconds a fence PING that the engine leaves unanswered (its client is blocked) waits for
#: server bytes: longer than redis-server's 100 ms timeout cron, so a BLOCK timeout the scenario
#: never advanced past cannot slip by.
FENCE_BLOCKED_DRAIN_S = 0.3
#: Seconds to wait for the frames the engine says are due before calling it a divergence.
FRAME_TIMEOUT_S = float(os.environ.get("CONFORMANCE_TIMEOUT_MS", "1500")) / 1000


#: Glob cases from the reference (section 1.7): (pattern, string). Shared by scenario files.
GLOB_CASES = [
    ("*", ""), ("*", "anything"),
    ("a*b", "ab"), ("a*b", "axxb"), ("a*b", "axxbc"),
    ("?", ""), ("?", "a"), ("?", "ab"),
    ("h?llo", "hllo"), ("h?llo", "hello"), ("h?llo", "hallo"),
    ("?", "\u00e9"), ("??", "\u00e9"),
    ("[abc]", "b"), ("[abc]", "d"),
    ("[^a]", "b"), ("[^a]", "a"), ("[^a]", ""),
    ("[!a]", "!"), ("[!a]", "b"),
    ("[a-z]", "m"), ("[a-z]", "M"), ("[z-a]", "m"),
    ("[a-]", "^"), ("[a-]", "a"), ("[a-]", "-"), ("[-a]", "-"),
    ("[]", "a"), ("[]", "]"), ("[^]", "x"),
    ("[]a]", "]"), ("[]a]", "a]"), ("[\\]]", "]"),
    ("[abc", "a"), ("[abc", "abc"),
    ("\\*", "*"), ("\\*", "a"), ("a\\", "a\\"),
    ("h\\?llo", "h?llo"), ("h\\?llo", "hello"),
    ("a**b", "ab"), ("[\\-]", "-"), ("[a\\-z]", "m"), ("[a\\-z]", "-"),
    ("A*", "a"), ("[*]", "*"), ("[?]", "?"), ("*[", "a["), ("x[]", "x"),
    ("h[ae]llo", "hello"), ("h[ae]llo", "hillo"), ("*o*o*", "foo.boo"), ("*.*", "nodot"),
]


# ---------------------------------------------------------------------------------------------
# Statistics (reported by tests/conformance/conftest.py at the end of the session)
# ---------------------------------------------------------------------------------------------


@dataclass
class Stats:
    scenarios: int = 0
    compared: int = 0          # command steps compared (scan_all counts one per SCAN call)
    divergences: int = 0       # unexpected differences
    known: int = 0             # differences listed in KNOWN_DIVERGENCES
    fences: int = 0            # end-of-scenario PINGs (one per connected client)
    stale_known: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"conformance: {self.compared} commands compared against redis-server "
            f"({self.scenarios} scenarios, {self.fences} end fences), "
            f"{self.divergences} divergences"
        )
        if self.known:
            line += f", {self.known} known divergences (KNOWN_DIVERGENCES)"
        if self.stale_known:
            line += f"; known divergences that no longer diverge: {sorted(set(self.stale_known))}"
        return line


STATS = Stats()


# ---------------------------------------------------------------------------------------------
# A lossless RESP2/RESP3 parser into typed frames
# ---------------------------------------------------------------------------------------------


class Incomplete(Exception):
    """The buffer ends inside a frame."""


_AGGREGATES = frozenset("*>~%|")
_BLOBS = frozenset("$=!")


def parse_frame(data: bytes, pos: int = 0):
    """Parse one frame at ``pos``; return ``((type_char, payload), next_pos)``.

    Payloads: bytes for ``$ + - = ! , ( #`` (``None`` for ``$-1``), int for ``:``, ``None`` for
    ``_`` and for ``*-1``, a list of frames for ``* > ~ % |`` (maps flattened key, value, ...).
    Two frames are equal exactly when their bytes are.
    """
    end = data.find(b"\r\n", pos)
    if end < 0:
        raise Incomplete
    if end == pos:
        raise ValueError(f"empty RESP line at {pos}: {data[pos:pos + 40]!r}")
    kind = chr(data[pos])
    line = data[pos + 1 : end]
    nxt = end + 2
    if kind in _BLOBS:
        n = int(line)
        if n < 0:
            return (kind, None), nxt
        if len(data) < nxt + n + 2:
            raise Incomplete
        if data[nxt + n : nxt + n + 2] != b"\r\n":
            raise ValueError(f"bulk of length {n} not followed by CRLF: {data[pos:pos + 60]!r}")
        return (kind, bytes(data[nxt : nxt + n])), nxt + n + 2
    if kind == ":":
        return (kind, int(line)), nxt
    if kind in "+-,(#":
        return (kind, bytes(line)), nxt
    if kind == "_":
        return (kind, None), nxt
    if kind in _AGGREGATES:
        n = int(line)
        if n < 0:
            return (kind, None), nxt
        count = 2 * n if kind in "%|" else n
        items = []
        for _ in range(count):
            item, nxt = parse_frame(data, nxt)
            items.append(item)
        return (kind, items), nxt
    raise ValueError(f"not RESP at {pos}: {data[pos:pos + 40]!r}")


def split_frames(data: bytes) -> tuple[list, int]:
    """Return (complete frames, bytes consumed); a trailing partial frame is left unconsumed."""
    frames, pos = [], 0
    while pos < len(data):
        try:
            frame, pos2 = parse_frame(data, pos)
        except (Incomplete, ValueError):
            break  # a partial frame, or bytes that are not RESP: left for the caller to show
        frames.append(frame)
        pos = pos2
    return frames, pos


def parse_frames(data: bytes) -> list:
    """Parse every frame in ``data``; raises ValueError on malformed or truncated input."""
    frames, used = split_frames(bytes(data))
    if used != len(data):
        raise ValueError(f"truncated frame after {len(frames)} frame(s): {data[used:used + 60]!r}")
    return frames


def encode_frame(frame) -> bytes:
    """The wire bytes of a typed frame (inverse of :func:`parse_frame`)."""
    kind, payload = frame
    if kind in _BLOBS:
        if payload is None:
            return b"%s-1\r\n" % kind.encode()
        return b"%s%d\r\n%s\r\n" % (kind.encode(), len(payload), payload)
    if kind == ":":
        return b":%d\r\n" % payload
    if kind in "+-,(#":
        return kind.encode() + payload + b"\r\n"
    if kind == "_":
        return b"_\r\n"
    if payload is None:
        return b"%s-1\r\n" % kind.encode()
    n = len(payload) // 2 if kind in "%|" else len(payload)
    return b"%s%d\r\n" % (kind.encode(), n) + b"".join(encode_frame(f) for f in payload)


def show_frame(frame) -> str:
    """A compact, unambiguous rendering: bulk 'x', +status, -error, (int), nil, [..], >[..], {..}."""
    kind, payload = frame
    if kind == "$":
        return "nil" if payload is None else _qb(payload)
    if kind == ":":
        return f"(int {payload})"
    if kind == "+":
        return "+" + payload.decode("utf-8", "backslashreplace")
    if kind == "-":
        return "-" + payload.decode("utf-8", "backslashreplace")
    if kind == "_":
        return "null"
    if kind in "!=,(#":
        return f"{kind}{_qb(payload) if payload is not None else 'nil'}"
    if payload is None:
        return f"{kind}nil-array"
    inner = ", ".join(show_frame(f) for f in payload)
    if kind == "*":
        return f"[{inner}]"
    if kind == "%":
        return "{" + inner + "}"
    return f"{kind}[{inner}]"


def _qb(data: bytes) -> str:
    return repr(data)[1:]


def show_frames(data: bytes) -> str:
    frames, used = split_frames(data)
    text = "; ".join(show_frame(f) for f in frames) or "(nothing)"
    if used != len(data):
        text += f"  <+{len(data) - used} unparsed bytes: {data[used:used + 60]!r}>"
    return text


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------

Normaliser = Callable[[list], list]


@dataclass(frozen=True)
class ClientId:
    """An argument replaced by the given client's id (CLIENT ID) on each side separately."""

    client: str


@dataclass(frozen=True)
class Command:
    client: str
    args: tuple
    compare: tuple[Normaliser, ...] = ()
    known: str | None = None
    fence: bool = False

    def describe(self) -> str:
        words = [_show_arg(a) for a in self.args]
        text = f"{self.client}> {' '.join(words)}"
        if self.fence:
            text += "   [fence: end of scenario]"
        if self.compare:
            text += "   [" + ", ".join(_name(f) for f in self.compare) + "]"
        if self.known:
            text += f"   [known divergence: {self.known}]"
        return text


@dataclass(frozen=True)
class Advance:
    """Engine: clock.advance(ms). Server: sleep ms. Then collect late output everywhere."""

    ms: int

    def describe(self) -> str:
        return f"~ advance {self.ms} ms"


@dataclass(frozen=True)
class Sleep:
    """Wall-clock wait on the real-server side only (the engine's virtual clock does not move)."""

    ms: int

    def describe(self) -> str:
        return f"~ sleep {self.ms} ms (server only)"


@dataclass(frozen=True)
class ScanAll:
    """Iterate SCAN from cursor 0 to 0 on both sides; compare the sets of keys returned."""

    client: str
    options: tuple

    def describe(self) -> str:
        return f"{self.client}> SCAN <full iteration> {' '.join(_show_arg(a) for a in self.options)}"


Step = Command | Advance | Sleep | ScanAll


def cmd(client: str, *args, compare: Normaliser | Sequence[Normaliser] = (), known=None) -> Command:
    """A command step. ``compare``: normaliser(s) applied to both sides; ``known``: see known()."""
    if callable(compare):
        compare = (compare,)
    if known is not None and known not in KNOWN_DIVERGENCES:
        raise KeyError(f"{known!r} is not declared in KNOWN_DIVERGENCES")
    return Command(client, tuple(_norm_arg(a) for a in args), tuple(compare), known)


def unordered(client: str, *args) -> Command:
    """Compare ignoring hash order (see UNORDERED)."""
    return cmd(client, *args, compare=UNORDERED)


def masked(mask: Normaliser | Sequence[Normaliser], client: str, *args) -> Command:
    """Normalise both sides with ``mask`` (one function or a tuple of them) before comparing."""
    return cmd(client, *args, compare=mask)


def known(key: str, client: str, *args, compare=()) -> Command:
    """A step whose divergence is accepted; ``key`` must be in KNOWN_DIVERGENCES."""
    return cmd(client, *args, compare=compare, known=key)


def advance(ms: int) -> Advance:
    return Advance(int(ms))


def sleep(ms: int) -> Sleep:
    return Sleep(int(ms))


def scan_all(client: str, *options) -> ScanAll:
    return ScanAll(client, tuple(_norm_arg(a) for a in options))


def to_step(item) -> Step:
    if isinstance(item, (Command, Advance, Sleep, ScanAll)):
        return item
    if isinstance(item, tuple) and item and isinstance(item[0], str):
        return cmd(item[0], *item[1:])
    raise TypeError(f"not a scenario step: {item!r}")


def _norm_arg(arg):
    if isinstance(arg, (bytes, ClientId)):
        return arg
    if isinstance(arg, bytearray):
        return bytes(arg)
    if isinstance(arg, str):
        return arg.encode("utf-8", "surrogateescape")
    if isinstance(arg, int):
        return str(arg).encode()
    raise TypeError(f"bad argument {arg!r}")


def _show_arg(arg) -> str:
    if isinstance(arg, ClientId):
        return f"<id of {arg.client}>"
    text = arg.decode("utf-8", "backslashreplace")
    if text and re.fullmatch(r"[\x21-\x7e]+", text) and '"' not in text and "'" not in text:
        return text
    return '"' + arg.decode("latin-1").encode("unicode_escape").decode().replace('"', '\\"') + '"'


def _name(fn) -> str:
    return getattr(fn, "__name__", repr(fn))


# ---------------------------------------------------------------------------------------------
# Normalisers (masks and unordered comparison)
# ---------------------------------------------------------------------------------------------

_PUBSUB_KINDS = {
    b"message", b"pmessage", b"smessage", b"subscribe", b"psubscribe", b"ssubscribe",
    b"unsubscribe", b"punsubscribe", b"sunsubscribe",
}
_UNSUB_KINDS = {b"unsubscribe", b"punsubscribe", b"sunsubscribe", b"subscribe", b"psubscribe",
                b"ssubscribe"}


def _sort_key(frame) -> bytes:
    return encode_frame(frame)


def _pubsub_kind(frame) -> bytes | None:
    kind, payload = frame
    if kind in "*>" and payload and payload[0][0] == "$" and payload[0][1] in _PUBSUB_KINDS:
        return payload[0][1]
    return None


def _sort_flat_arrays(frame):
    """Recursively sort arrays/sets whose elements are all bulk strings (or nulls)."""
    kind, payload = frame
    if kind in "*~>" and payload:
        items = [_sort_flat_arrays(f) for f in payload]
        if all(f[0] in "$+" for f in items):
            items.sort(key=_sort_key)
        return (kind, items)
    if kind in "%|" and payload:
        return (kind, [_sort_flat_arrays(f) for f in payload])
    return frame


def UNORDERED(frames: list) -> list:
    """Normalise hash-order differences.

    * Runs of consecutive Pub/Sub frames of one kind (several ``pmessage`` for one PUBLISH, the
      frames of an argument-less UNSUBSCRIBE) are sorted. For (un)subscribe confirmations only
      the names are sorted: the counts must still come in the same sequence (3, 2, 1, 0).
    * Any other array made only of bulk strings is sorted, recursively (KEYS, PUBSUB CHANNELS,
      the key list inside a SCAN reply, ...).
    """
    out: list = []
    i = 0
    while i < len(frames):
        kind = _pubsub_kind(frames[i])
        if kind is None:
            out.append(_sort_flat_arrays(frames[i]))
            i += 1
            continue
        j = i
        while j < len(frames) and _pubsub_kind(frames[j]) == kind and len(frames[j][1]) == len(
            frames[i][1]
        ):
            j += 1
        run = frames[i:j]
        if kind in _UNSUB_KINDS and len(run[0][1]) == 3:
            names = sorted((f[1][1] for f in run), key=_sort_key)
            out.extend((f[0], [f[1][0], name, f[1][2]]) for f, name in zip(run, names))
        else:
            out.extend(sorted(run, key=_sort_key))
        i = j
    return out


def _map_scalars(frame, fn):
    """Apply ``fn`` to every non-aggregate frame, recursively."""
    kind, payload = frame
    if kind in _AGGREGATES and payload is not None:
        return (kind, [_map_scalars(f, fn) for f in payload])
    return fn(frame)


def mask_regex(pattern: bytes | str, repl: bytes | str, kinds: str = "$+-=!") -> Normaliser:
    """A mask replacing ``pattern`` by ``repl`` in every bulk/simple/error string (any depth)."""
    rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
    rb = repl.encode() if isinstance(repl, str) else repl

    def _mask_regex(frames: list) -> list:
        def fn(frame):
            if frame[0] in kinds and frame[1] is not None:
                return (frame[0], rx.sub(rb, frame[1]))
            return frame

        return [_map_scalars(f, fn) for f in frames]

    _mask_regex.__name__ = f"mask_regex({rx.pattern!r})"
    return _mask_regex


def MASK_INTEGERS(frames: list) -> list:
    """Every integer (any depth) becomes 0: CLIENT ID and other connection-dependent numbers."""
    return [_map_scalars(f, lambda fr: (":", 0) if fr[0] == ":" else fr) for f in frames]


MASK_CLIENT_ID = MASK_INTEGERS


def mask_field_after(key: bytes, replacement=(":", 0)) -> Normaliser:
    """In a map or flat key/value array (any depth), replace the value that follows bulk ``key``."""

    def _mask_after(frames: list) -> list:
        def walk(frame):
            kind, payload = frame
            if kind not in _AGGREGATES or payload is None:
                return frame
            items = [walk(f) for f in payload]
            for idx in range(len(items) - 1):
                if items[idx] in (("$", key), ("+", key)) and (kind in "%|" or idx % 2 == 0):
                    items[idx + 1] = replacement
            return (kind, items)

        return [walk(f) for f in frames]

    _mask_after.__name__ = f"mask_field_after({key!r})"
    return _mask_after


#: HELLO's ``id`` entry is the connection id.
MASK_HELLO = mask_field_after(b"id")
MASK_HELLO.__name__ = "MASK_HELLO"


def MASK_TIME(frames: list) -> list:
    """TIME's two bulk strings (seconds, microseconds) become '<digits>' when they are digits."""

    def fn(frame):
        if frame[0] == "$" and frame[1] is not None and frame[1].isdigit():
            return ("$", b"<digits>")
        return frame

    return [_map_scalars(f, fn) for f in frames]


#: Stream IDs (a whole bulk string ``<ms>-<seq>``) become '<id>': for XADD * on two clocks.
MASK_STREAM_IDS = mask_regex(rb"\A\d+-\d+\Z", b"<id>", kinds="$")
MASK_STREAM_IDS.__name__ = "MASK_STREAM_IDS"


#: CLIENT LIST / CLIENT INFO fields whose values depend on the connection, wall time or memory.
VOLATILE_CLIENT_FIELDS = (
    "id", "addr", "laddr", "fd", "age", "idle", "qbuf", "qbuf-free", "argv-mem", "multi-mem",
    "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events",
)
_CLIENT_FIELD_RX = re.compile(
    # a field starts the text (after RESP3's "txt:" verbatim prefix), a line, or follows a space
    rb"(?<![^ \n:])(" + b"|".join(re.escape(f.encode()) for f in VOLATILE_CLIENT_FIELDS)
    + rb")=[^ \n]*",
)


def MASK_CLIENT_INFO(frames: list) -> list:
    """In CLIENT LIST / CLIENT INFO text, volatile field values become '*'; others are kept."""

    def fn(frame):
        if frame[0] in "$=" and frame[1] is not None and b"id=" in frame[1]:
            return (frame[0], _CLIENT_FIELD_RX.sub(rb"\1=*", frame[1]))
        return frame

    return [_map_scalars(f, fn) for f in frames]


def MASK_CLIENT_LIST(frames: list) -> list:
    """MASK_CLIENT_INFO, then the lines sorted: for CLIENT LIST without an ID filter.

    redis-server's clientsCron rotates its client list (listRotateTailToHead, 10 times a second),
    so the line order of CLIENT LIST [TYPE t] drifts with wall time. CLIENT LIST ID a b ... is
    ordered by the arguments: use MASK_CLIENT_INFO for it.
    """

    def fn(frame):
        if frame[0] in "$=" and frame[1] is not None and b"id=" in frame[1]:
            prefix = b"txt:" if frame[1].startswith(b"txt:") else b""
            lines = frame[1][len(prefix):].split(b"\n")
            tail = lines.pop() if lines and lines[-1] == b"" else None
            lines.sort()
            if tail is not None:
                lines.append(tail)
            return (frame[0], prefix + b"\n".join(lines))
        return frame

    return [_map_scalars(f, fn) for f in MASK_CLIENT_INFO(frames)]


# ---------------------------------------------------------------------------------------------
# The two sides
# ---------------------------------------------------------------------------------------------

# Per-client output of one step: (direct reply bytes, out-of-band bytes). Only the concatenation
# is what the wire carries; the split is shown in reports.
Output = dict[str, tuple[bytes, bytes]]


class EngineSide:
    """The system under test: ``redis_lab.Engine`` with named clients."""

    label = "engine"
    exact_counts = True

    def __init__(self, engine):
        self.engine = engine
        self.clients: dict[str, object] = {}

    def open(self, name: str) -> None:
        self.clients[name] = self.engine.client(name)

    def forget(self, name: str) -> None:
        self.clients.pop(name, None)

    def _outputs(self) -> Output:
        return {name: (b"", _as_bytes(c.read_output())) for name, c in self.clients.items()}

    def execute(self, client: str, args: list[bytes]) -> Output:
        direct = _as_bytes(self.clients[client].call(*args))
        out = self._outputs()
        out[client] = (direct, out[client][1])
        return out

    def advance(self, ms: int) -> Output:
        self.engine.clock.advance(ms)
        return self._outputs()

    def sleep(self, ms: int) -> Output:
        return self._outputs()

    def close(self) -> None:
        self.clients.clear()


def _as_bytes(value) -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise TypeError(f"expected bytes from the engine, got {type(value).__name__}: {value!r}")
    return bytes(value)


class Wire:
    """Raw sockets to a redis-server, one per client name."""

    def __init__(self, server):
        self.server = server
        self.socks: dict[str, socket.socket] = {}
        self.bufs: dict[str, bytearray] = {}
        self.eof: set[str] = set()
        self.sel = selectors.DefaultSelector()

    def open(self, name: str) -> None:
        sock = self.server.connect()
        sock.setblocking(False)
        self.socks[name] = sock
        self.bufs[name] = bytearray()
        self.eof.discard(name)
        self.sel.register(sock, selectors.EVENT_READ, name)

    def forget(self, name: str) -> None:
        sock = self.socks.pop(name, None)
        self.bufs.pop(name, None)
        self.eof.discard(name)
        if sock is not None:
            try:
                self.sel.unregister(sock)
            except (KeyError, ValueError):
                pass
            sock.close()

    def send(self, name: str, args: list[bytes]) -> None:
        data = _encode_command(args)
        sock = self.socks[name]
        sock.setblocking(True)
        try:
            sock.sendall(data)
        except OSError:
            pass  # the server closed it: the comparison will show it
        finally:
            sock.setblocking(False)

    def _read_ready(self, timeout: float) -> bool:
        """Read whatever is readable within ``timeout``; return True if any bytes (or EOF) came."""
        got = False
        for key, _ in self.sel.select(timeout):
            name = key.data
            try:
                chunk = key.fileobj.recv(1 << 20)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            got = True
            if chunk:
                self.bufs[name] += chunk
            else:
                self.eof.add(name)
                self.sel.unregister(key.fileobj)
        return got

    def _complete(self, name: str) -> tuple[int, bool]:
        frames, used = split_frames(bytes(self.bufs[name]))
        return len(frames), used == len(self.bufs[name])

    def collect_counted(self, expected: dict[str, int], drain_s: float = DRAIN_S
                        ) -> dict[str, bytes]:
        """Read until each socket holds ``expected[name]`` complete frames, then drain briefly."""
        deadline = time.monotonic() + FRAME_TIMEOUT_S

        def satisfied() -> bool:
            for name in self.socks:
                count, whole = self._complete(name)
                if not whole:
                    return False
                if count < expected.get(name, 0) and name not in self.eof:
                    return False
            return True

        while not satisfied():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._read_ready(left)
        # drain: anything more within DRAIN_S is unexpected, and will be reported
        drain_deadline = time.monotonic() + drain_s
        while True:
            left = drain_deadline - time.monotonic()
            if left <= 0:
                # never split a frame between two steps
                if any(not self._complete(n)[1] for n in self.socks) and time.monotonic() < deadline:
                    self._read_ready(min(0.05, deadline - time.monotonic()))
                    continue
                break
            self._read_ready(left)
        return self._take()

    def collect_quiet(self, quiet_s: float, min_wait_s: float = 0.0) -> dict[str, bytes]:
        """Read until no bytes arrived for ``quiet_s`` (and frames are whole): self-test mode."""
        start = time.monotonic()
        deadline = start + 5
        while time.monotonic() < deadline:
            got = self._read_ready(quiet_s)
            if got:
                continue
            if time.monotonic() - start < min_wait_s:
                continue
            if all(self._complete(n)[1] for n in self.socks):
                break
        return self._take()

    def _take(self) -> dict[str, bytes]:
        out = {}
        for name in self.socks:
            out[name] = bytes(self.bufs[name])
            self.bufs[name].clear()
        return out

    def close(self) -> None:
        for name in list(self.socks):
            self.forget(name)
        self.sel.close()
        self.sel = selectors.DefaultSelector()


def _encode_command(args: list[bytes]) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


class ServerSide:
    """Self-test stand-in for the engine: a second redis-server, read with a quiet period."""

    label = "second redis-server"
    exact_counts = False
    QUIET_S = 0.03

    def __init__(self, server):
        self.wire = Wire(server)

    def open(self, name: str) -> None:
        self.wire.open(name)

    def forget(self, name: str) -> None:
        self.wire.forget(name)

    def execute(self, client: str, args: list[bytes]) -> Output:
        self.wire.send(client, args)
        data = self.wire.collect_quiet(self.QUIET_S)
        return {name: (b"", raw) if name != client else (raw, b"") for name, raw in data.items()}

    def advance(self, ms: int) -> Output:
        time.sleep(ms / 1000)
        # redis-server serves timeouts from a 10 Hz cron: allow for it
        data = self.wire.collect_quiet(self.QUIET_S, min_wait_s=0.12)
        return {name: (b"", raw) for name, raw in data.items()}

    def sleep(self, ms: int) -> Output:
        time.sleep(ms / 1000)
        data = self.wire.collect_quiet(self.QUIET_S)
        return {name: (b"", raw) for name, raw in data.items()}

    @property
    def eof(self) -> set[str]:
        return self.wire.eof

    def close(self) -> None:
        self.wire.close()


# ---------------------------------------------------------------------------------------------
# Running scenarios
# ---------------------------------------------------------------------------------------------


@dataclass
class Divergence:
    step_index: int
    step: Step
    details: list[str]


class Conformance:
    """Runs scenarios on a model (the engine) and on a reference redis-server, comparing bytes."""

    def __init__(self, server, model_factory: Callable[[], object], keep_going: bool | None = None):
        self.server = server
        self.model_factory = model_factory
        if keep_going is None:
            keep_going = os.environ.get("CONFORMANCE_KEEP_GOING", "") not in ("", "0")
        self.keep_going = keep_going
        self.model = None
        self.wire: Wire | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def _reset(self) -> None:
        self._close()
        self.server.flush()
        self.model = self.model_factory()
        self.wire = Wire(self.server)
        self.ids: dict[str, tuple[bytes, bytes]] = {}

    def _close(self) -> None:
        if self.wire is not None:
            self.wire.close()
            self.wire = None
        if self.model is not None:
            self.model.close()
            self.model = None

    def _ensure_open(self, name: str, need_ids: set[str]) -> None:
        if name in self.wire.socks:
            return
        self.wire.open(name)
        self.model.open(name)
        if name in need_ids:
            # CLIENT ID on both sides, outside the comparison, right after connecting
            self.wire.send(name, [b"CLIENT", b"ID"])
            got = self.wire.collect_counted({name: 1})
            out = self.model.execute(name, [b"CLIENT", b"ID"])
            self.ids[name] = (_int_reply(got.get(name, b"")), _int_reply(b"".join(out[name])))

    # -- the run -----------------------------------------------------------------------------

    def run(self, scenario: Iterable, name: str | None = None) -> None:
        steps = [to_step(s) for s in scenario]
        STATS.scenarios += 1
        need_ids = {a.client for s in steps if isinstance(s, Command) for a in s.args
                    if isinstance(a, ClientId)}
        self._reset()
        divergences: list[Divergence] = []
        try:
            for index, step in enumerate(steps):
                if self._play(index, step, need_ids, divergences):
                    break
            else:
                fences = self._fences()
                first = len(steps)
                steps.extend(fences)
                for index, step in enumerate(fences, start=first):
                    if self._play(index, step, need_ids, divergences):
                        break
        finally:
            self._close()
        if divergences:
            raise AssertionError(self._report(name, steps, divergences))

    def _play(self, index: int, step: Step, need_ids: set[str],
              divergences: list[Divergence]) -> bool:
        """Run and compare one step; return True when the scenario should stop here."""
        details = self._run_step(step, need_ids)
        if details:
            if isinstance(step, Command) and step.known:
                STATS.known += 1
                return False
            STATS.divergences += 1
            divergences.append(Divergence(index, step, details))
            return not self.keep_going
        if isinstance(step, Command) and step.known:
            STATS.stale_known.append(step.known)
            warnings.warn(
                f"known divergence {step.known!r} did not diverge at "
                f"{step.describe()}: remove it from KNOWN_DIVERGENCES?",
                stacklevel=3,
            )
        return False

    def _fences(self) -> list[Command]:
        """A PING on every client still connected, compared like any step.

        Replies come in order, so whatever either side still had to say (a late push, an extra
        frame the drain was too short to catch) arrives before the PONG and shows up in the
        comparison; a blocked client's PING stays unanswered on both sides.
        """
        STATS.fences += len(self.wire.socks)
        return [Command(name, (b"PING",), fence=True) for name in sorted(self.wire.socks)]

    def _run_step(self, step: Step, need_ids: set[str]) -> list[str] | None:
        if isinstance(step, Command):
            for arg in step.args:
                if isinstance(arg, ClientId):
                    self._ensure_open(arg.client, need_ids)
            self._ensure_open(step.client, need_ids)
            return self._command(step)
        if isinstance(step, ScanAll):
            self._ensure_open(step.client, need_ids)
            return self._scan_all(step)
        if isinstance(step, (Advance, Sleep)):
            if not self.wire.socks:
                time.sleep(step.ms / 1000)
                if isinstance(step, Advance):
                    self.model.advance(step.ms)
                return None
            try:
                model_out = (
                    self.model.advance(step.ms) if isinstance(step, Advance)
                    else self.model.sleep(step.ms)
                )
            except Exception:  # noqa: BLE001 - an engine crash is a divergence to report
                model_out = None
                crash = traceback.format_exc()
            time.sleep(step.ms / 1000)
            if model_out is None:
                self._resync()
                return [f"{self.model.label} raised:\n{crash}"]
            return self._compare(step, None, model_out)
        raise TypeError(step)

    def _resolve(self, args: tuple) -> tuple[list[bytes], list[bytes]]:
        server_args, model_args = [], []
        for arg in args:
            if isinstance(arg, ClientId):
                sid, mid = self.ids[arg.client]
                server_args.append(sid)
                model_args.append(mid)
            else:
                server_args.append(arg)
                model_args.append(arg)
        return server_args, model_args

    def _command(self, step: Command) -> list[str] | None:
        STATS.compared += 1
        server_args, model_args = self._resolve(step.args)
        try:
            model_out = self.model.execute(step.client, model_args)
        except Exception:  # noqa: BLE001
            self.wire.send(step.client, server_args)
            self._resync()
            return [f"{self.model.label} raised:\n{traceback.format_exc()}"]
        self.wire.send(step.client, server_args)
        return self._compare(step, step.client, model_out)

    def _resync(self) -> None:
        """After a crash, swallow the server's output so later steps (keep-going) stay aligned."""
        self.wire.collect_quiet(0.05)

    def _compare(self, step: Step, issuer: str | None, model_out: Output) -> list[str] | None:
        if self.model.exact_counts:
            expected = {}
            for cname, (direct, oob) in model_out.items():
                frames, _ = split_frames(direct + oob)
                expected[cname] = len(frames)
            fence_unanswered = (isinstance(step, Command) and step.fence
                                and expected.get(step.client) == 0)
            server_out = self.wire.collect_counted(
                expected, FENCE_BLOCKED_DRAIN_S if fence_unanswered else DRAIN_S)
        else:
            server_out = self.wire.collect_quiet(
                ServerSide.QUIET_S, min_wait_s=0.12 if isinstance(step, Advance) else 0.0
            )
        compare = step.compare if isinstance(step, Command) else ()
        details = []
        for cname in sorted(set(server_out) | set(model_out)):
            want = server_out.get(cname, b"")
            direct, oob = model_out.get(cname, (b"", b""))
            got = direct + oob
            if _equal(want, got, compare):
                continue
            details.append(_describe_client(cname, cname == issuer, want, direct, oob, compare,
                                            self.model.label))
        # connections the server closed (QUIT, CLIENT KILL): forget them on both sides
        for cname in list(self.wire.eof):
            self.wire.forget(cname)
            self.model.forget(cname)
        return details or None

    def _scan_all(self, step: ScanAll) -> list[str] | None:
        results = {}
        for side in ("server", "model"):
            cursor = b"0"
            keys: set[bytes] = set()
            calls = 0
            while True:
                STATS.compared += 1
                calls += 1
                args = [b"SCAN", cursor, *step.options]
                if side == "server":
                    self.wire.send(step.client, args)
                    raw = self.wire.collect_counted({step.client: 1}).get(step.client, b"")
                else:
                    raw = b"".join(self.model.execute(step.client, args)[step.client])
                try:
                    frames = parse_frames(raw)
                    (kind, payload), = frames
                    assert kind == "*" and len(payload) == 2
                    (ck, cursor), (lk, items) = payload
                    assert ck == "$" and lk == "*"
                    keys.update(p for _, p in items)
                except Exception:  # noqa: BLE001
                    results[side] = f"malformed SCAN reply {raw!r}"
                    break
                if cursor == b"0" or calls > 10_000:
                    results[side] = sorted(keys)
                    break
        if results["server"] == results["model"]:
            return None
        message = (
            f"SCAN iteration key sets differ\n  redis-server: {results['server']!r}\n"
            f"  {self.model.label}: {results['model']!r}"
        )
        return [message]

    # -- reporting ---------------------------------------------------------------------------

    def _report(self, name, steps, divergences: list[Divergence]) -> str:
        lines = [f"conformance divergence in scenario {name or '?'}"]
        last = divergences[-1].step_index if self.keep_going else divergences[0].step_index
        lines.append("scenario so far:")
        bad = {d.step_index for d in divergences}
        for i, step in enumerate(steps[: last + 1]):
            mark = ">>" if i in bad else "  "
            lines.append(f" {mark} {i:3d}  {step.describe()}")
        for d in divergences:
            lines.append("")
            lines.append(f"step {d.step_index}: {d.step.describe()}")
            lines.extend(d.details)
        return "\n".join(lines)


def _int_reply(raw: bytes) -> bytes:
    match = re.fullmatch(rb":(-?\d+)\r\n", raw)
    if not match:
        raise AssertionError(f"CLIENT ID did not return an integer: {raw!r}")
    return match.group(1)


def _equal(want: bytes, got: bytes, compare: tuple) -> bool:
    if not compare:
        return want == got
    try:
        a, b = parse_frames(want), parse_frames(got)
    except (ValueError, Incomplete):
        return want == got
    for fn in compare:
        a, b = fn(a), fn(b)
    return a == b


def _describe_client(cname, is_issuer, want, direct, oob, compare, label) -> str:
    role = "issuing client" if is_issuer else "other client"
    width = max(len("redis-server"), len(label))
    ref, mod = "redis-server".ljust(width), label.ljust(width)
    out = [f"  [{cname}] ({role})"]
    out.append(f"    {ref} bytes:  {want!r}")
    if is_issuer:
        out.append(f"    {mod} bytes:  {direct + oob!r}")
        out.append(f"    {' ' * width}         = call() {direct!r} + read_output() {oob!r}")
    else:
        out.append(f"    {mod} bytes:  {oob!r}   (read_output)")
    out.append(f"    {ref} parsed: {show_frames(want)}")
    out.append(f"    {mod} parsed: {show_frames(direct + oob)}")
    if compare:
        try:
            a, b = parse_frames(want), parse_frames(direct + oob)
            for fn in compare:
                a, b = fn(a), fn(b)
            out.append("    after " + ", ".join(_name(f) for f in compare) + ":")
            out.append(f"      {ref}: " + "; ".join(show_frame(f) for f in a))
            out.append(f"      {mod}: " + "; ".join(show_frame(f) for f in b))
        except (ValueError, Incomplete) as exc:
            out.append(f"    (could not normalise: {exc})")
    return "\n".join(out)


__all__ = [
    "GLOB_CASES",
    "KNOWN_DIVERGENCES",
    "MASK_CLIENT_ID",
    "MASK_CLIENT_INFO",
    "MASK_CLIENT_LIST",
    "MASK_HELLO",
    "MASK_INTEGERS",
    "MASK_STREAM_IDS",
    "MASK_TIME",
    "STATS",
    "UNORDERED",
    "ClientId",
    "Conformance",
    "EngineSide",
    "ServerSide",
    "advance",
    "cmd",
    "encode_frame",
    "known",
    "mask_field_after",
    "mask_regex",
    "masked",
    "parse_frame",
    "parse_frames",
    "scan_all",
    "show_frame",
    "sleep",
    "to_step",
    "unordered",
]

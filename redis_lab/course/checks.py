"""Declarative checks: what a learner's task must achieve, read back through introspection.

A check is one line of a lesson's ``check`` block. It is judged on the result, never on the
text typed, so any command sequence that reaches the goal passes. State is read with Redis's own
commands (XLEN, XPENDING, XINFO, EXISTS, PUBSUB) plus what the session saw: the reply to the
learner's last command and the messages each client received during the task.

    reply integer 2              reply "hi"          reply nil        reply ok
    reply error [PREFIX]         reply array [op] N  reply entries [op] N (entries in an XREAD-like reply)
    reply ids ID ...             (exactly these entry IDs, in order; none: an empty reply)
    key KEY exists|missing       key KEY value VALUE stream KEY length [<=|>=|=] N
    stream KEY newest FIELD VALUE                    stream KEY has|lacks ID
    group KEY GROUP exists|missing                   group KEY GROUP pending|lag|consumers [op] N
    group KEY GROUP last-delivered ID
    consumer KEY GROUP NAME pending|idle [op] N      consumer KEY GROUP NAME owns ID|first|last
    entry KEY GROUP ID deliveries [op] N             (ID may be first or last: of the group's PEL)
    entry KEY GROUP ID pending|acknowledged
    received CLIENT "payload" | received CLIENT nothing
    subscribers CHANNEL N        patterns N          subscribed CLIENT CHANNEL
    psubscribed CLIENT PATTERN
    client NAME blocked|free
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable

from ..model.reply import NULL_ARRAY, Error, Map, Status
from ..protocol.tokenize import TokenizeError, split_line

_OPS = {"=": operator.eq, "==": operator.eq, "<=": operator.le, ">=": operator.ge,
        "<": operator.lt, ">": operator.gt, "!=": operator.ne}


class CheckSyntaxError(ValueError):
    """A check line that does not parse (reported as file:line by the loader)."""


@dataclass
class Context:
    """What a check can look at."""

    introspect: Callable[[list[bytes]], object]   # run a read-only command, get its reply
    last_reply: object
    received: dict[str, list]                      # client label -> values pushed to it
    client_state: Callable[[str], dict]            # label -> {"channels": [...], "blocked": bool}
    replied: bool = True                           # a command of the learner's has replied
    last_command: str = ""                         # its name: "PUBLISH", "XINFO CONSUMERS"


@dataclass
class Check:
    """One line of a ``check`` block: what it says in the learner's words, and its judge."""

    text: str
    line: int
    judge: Callable[[Context], tuple[bool, str]]
    expect: str = ""      # "the group workers of jobs has 1 pending entry"

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        """(passed, what was found, as a sentence), never raising: a broken check just fails."""
        try:
            return self.judge(ctx)
        except Exception:  # noqa: BLE001 - a check must never crash a lesson
            return False, "that could not be checked"


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _num(word: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise CheckSyntaxError(f"expected a number, got {word!r}") from None


_OP_WORDS = {"=": "", "==": "", "<=": "at most ", ">=": "at least ", "<": "fewer than ",
             ">": "more than ", "!=": "not "}


def _comparison(words: list[str]) -> tuple[Callable, int, str]:
    """``[op] N`` -> (compare, N, in words: "at least 2")."""
    if len(words) == 1:
        return operator.eq, _num(words[0]), words[0]
    if len(words) == 2 and words[0] in _OPS:
        return _OPS[words[0]], _num(words[1]), f"{_OP_WORDS[words[0]]}{words[1]}"
    raise CheckSyntaxError(f"expected [<=|>=|=] NUMBER, got {' '.join(words)!r}")


def plural(n, one: str, many: str | None = None) -> str:
    """``1 entry``, ``2 entries``, ``1 time``: numbers as a person writes them."""
    word = one if n == 1 or n == "1" else (many or one + "s")
    return f"{n} {word}"


def _shown_count(shown: str, one: str, many: str | None = None) -> str:
    """"at least 2" + "entry" -> "at least 2 entries"."""
    number = shown.split()[-1]
    return f"{shown.rsplit(' ', 1)[0] + ' ' if ' ' in shown else ''}{plural(number, one, many)}"


def _count_entries(reply) -> int:
    """Entries in an XRANGE / XREAD / XREADGROUP / XCLAIM reply."""
    if reply is None or reply is NULL_ARRAY or isinstance(reply, Error):
        return 0
    if isinstance(reply, Map):
        return sum(len(v) for v in reply[1::2])
    if isinstance(reply, list) and reply and isinstance(reply[0], list) and len(reply[0]) == 2 \
            and isinstance(reply[0][1], list) and reply[0][1] and isinstance(reply[0][1][0], list):
        return sum(len(item[1]) for item in reply)  # XREAD: [[key, entries], ...]
    return len(reply) if isinstance(reply, list) else 0


def _reply_ids(reply) -> list[bytes]:
    """Entry IDs in a reply, in order: XRANGE, XREAD/XREADGROUP (any number of streams), XCLAIM
    (with or without JUSTID), XAUTOCLAIM's claimed list, XPENDING's extended rows."""
    if reply is None or reply is NULL_ARRAY or isinstance(reply, Error):
        return []
    if isinstance(reply, Map):
        return [i for entries in reply[1::2] for i in _reply_ids(entries)]
    if not isinstance(reply, list):
        return []
    if len(reply) == 3 and isinstance(reply[0], bytes) and isinstance(reply[1], list) \
            and isinstance(reply[2], list) and b"-" in reply[0]:
        return _reply_ids(reply[1])  # XAUTOCLAIM: [cursor, claimed, deleted]
    ids = []
    for item in reply:
        if isinstance(item, bytes):
            ids.append(item)                        # XCLAIM JUSTID
        elif isinstance(item, list) and item and isinstance(item[0], bytes):
            if len(item) == 2 and isinstance(item[1], list) and item[1] \
                    and isinstance(item[1][0], list):
                ids.extend(_reply_ids(item[1]))     # XREAD: [key, entries]
            else:
                ids.append(item[0])                 # an entry, or an XPENDING row
    return ids


def _show(value) -> str:
    """A reply as redis-cli shows it, on one line and short enough for a sentence."""
    from ..protocol.cli_format import format_reply

    if value is None:
        return "(nil)"
    text = " ".join(format_reply(value).split())
    return text if len(text) <= 70 else text[:67] + "..."


def _names(values: list[bytes]) -> str:
    """["a", "b"] -> "a, b" (never a Python list)."""
    return ", ".join(v.decode("utf-8", "replace") for v in values)


def _pairs(reply) -> dict:
    """A flat [k, v, ...] reply (XINFO maps) as a dict with str keys."""
    return {k.decode(): v for k, v in zip(reply[0::2], reply[1::2])} if reply else {}


def _group_info(ctx: Context, key: str, group: str) -> dict | None:
    groups = ctx.introspect([b"XINFO", b"GROUPS", _b(key)])
    if not isinstance(groups, list):
        return None
    for item in groups:
        info = _pairs(item)
        if info.get("name") == _b(group):
            return info
    return None


def _pending(ctx: Context, key: str, group: str, consumer: str | None = None) -> list:
    args = [b"XPENDING", _b(key), _b(group), b"-", b"+", b"1000000"]
    if consumer is not None:
        args.append(_b(consumer))
    reply = ctx.introspect(args)
    return reply if isinstance(reply, list) else []


def _resolve_id(ctx: Context, key: str, group: str, word: str) -> bytes | None:
    if word in ("first", "last"):
        pending = _pending(ctx, key, group)
        if not pending:
            return None
        return pending[0][0] if word == "first" else pending[-1][0]
    return _b(word)


def parse_check(text: str, line: int) -> Check:
    """Parse one check line; raises CheckSyntaxError with a message for the loader."""
    try:
        words = [w.decode("utf-8", "surrogateescape") for w in split_line(text)]
    except TokenizeError:
        raise CheckSyntaxError("unbalanced quotes") from None
    if not words:
        raise CheckSyntaxError("empty check")
    head, rest = words[0].lower(), words[1:]
    builder = _BUILDERS.get(head)
    if builder is None:
        raise CheckSyntaxError(f"unknown check {words[0]!r} (known: {', '.join(sorted(_BUILDERS))})")
    judge, expect = builder(rest)
    return Check(text.strip(), line, judge, expect)


def _you_got(ctx) -> str:
    return f"your last reply was {_show(ctx.last_reply)}"


def _reply(rest: list[str]):
    """``reply ... [from COMMAND]``: with ``from``, the reply must also come from that command
    (``reply integer 0 from PUBLISH``: XLEN of a missing key answers 0 too)."""
    lowered = [w.lower() for w in rest]
    if "from" in lowered:
        at = lowered.index("from")
        source = " ".join(rest[at + 1:]).upper()
        if not source:
            raise CheckSyntaxError("reply ... from COMMAND: name the command")
        judge, expect = _reply(rest[:at])

        def from_source(ctx):
            ok, found = judge(ctx)
            came = ctx.last_command
            if ok and came != source and not came.startswith(source + " "):
                return False, f"that reply came from {came or 'no command'}, not {source}"
            return ok, found
        return from_source, f"{expect} from {source}"
    if not rest:
        raise CheckSyntaxError("reply needs an expectation: integer N, \"text\", nil, ok, error, "
                               "array N or entries N")
    kind = rest[0].lower()
    if kind == "integer" and len(rest) == 2:
        want = _num(rest[1])
        return (lambda ctx: (type(ctx.last_reply) is int and ctx.last_reply == want, _you_got(ctx)),
                f"a reply of (integer) {want}")
    if kind == "nil" and len(rest) == 1:
        return (lambda ctx: (ctx.last_reply is NULL_ARRAY or (ctx.last_reply is None and ctx.replied),
                             _you_got(ctx)), "a reply of (nil)")
    if kind == "ok" and len(rest) == 1:
        return (lambda ctx: (isinstance(ctx.last_reply, Status) and ctx.last_reply == "OK",
                             _you_got(ctx)), "a reply of OK")
    if kind == "error" and len(rest) <= 2:
        prefix = rest[1] if len(rest) == 2 else ""
        return (lambda ctx: (isinstance(ctx.last_reply, Error) and ctx.last_reply.startswith(prefix),
                             _you_got(ctx)), f"a {prefix + ' ' if prefix else ''}error reply")
    if kind in ("array", "entries") and len(rest) in (2, 3):
        compare, want, shown = _comparison(rest[1:])
        count = len if kind == "array" else _count_entries

        def judge(ctx):
            value = ctx.last_reply
            n = count(value) if isinstance(value, list) or kind == "entries" else -1
            return n >= 0 and compare(n, want), _you_got(ctx)
        what = _shown_count(shown, "item") if kind == "array" else \
            _shown_count(shown, "stream entry", "stream entries")
        return judge, f"a reply with {what}"
    if kind == "ids" and len(rest) >= 1:
        want_ids = [_b(word) for word in rest[1:]]

        def judge(ctx):
            found = _reply_ids(ctx.last_reply)
            held = _names(found) if found else "no entries"
            return found == want_ids, f"your last reply held {held}"
        wanted = "exactly the entries " + _names(want_ids) if want_ids else "no entries"
        return judge, f"a reply with {wanted}"
    if len(rest) == 1:
        want = _b(rest[0])
        return (lambda ctx: (ctx.last_reply == want and type(ctx.last_reply) is bytes, _you_got(ctx)),
                f'a reply of "{rest[0]}"')
    raise CheckSyntaxError(f"bad reply check: {' '.join(rest)!r}")


def _key(rest: list[str]):
    if len(rest) == 3 and rest[1] == "value":
        key, want = _b(rest[0]), _b(rest[2])

        def judge(ctx):
            found = ctx.introspect([b"GET", key])
            shown = f'"{found.decode("utf-8", "replace")}"' if isinstance(found, bytes) else "not set"
            return found == want, f"{rest[0]} is {shown}"
        return judge, f'{rest[0]} set to "{rest[2]}"'
    if len(rest) != 2 or rest[1] not in ("exists", "missing"):
        raise CheckSyntaxError("use: key KEY exists|missing  |  key KEY value VALUE")
    key, want = _b(rest[0]), rest[1] == "exists"

    def judge(ctx):
        found = bool(ctx.introspect([b"EXISTS", key]))
        return found == want, f"{rest[0]} {'exists' if found else 'does not exist'}"
    return judge, f"the key {rest[0]} {'to exist' if want else 'gone'}"


def _stream(rest: list[str]):
    name = rest[0] if rest else ""
    if len(rest) >= 3 and rest[1] == "length":
        key = _b(name)
        compare, want, shown = _comparison(rest[2:])

        def judge(ctx):
            n = ctx.introspect([b"XLEN", key])
            return isinstance(n, int) and compare(n, want), f"{name} has {plural(n, 'entry', 'entries')}"
        return judge, f"the stream {name} with {_shown_count(shown, 'entry', 'entries')}"
    if len(rest) == 4 and rest[1] == "newest":
        key, field, value = _b(name), _b(rest[2]), _b(rest[3])

        def judge(ctx):
            reply = ctx.introspect([b"XREVRANGE", key, b"+", b"-", b"COUNT", b"1"])
            if not reply:
                return False, f"{name} is empty"
            pairs = reply[0][1]
            found = dict(zip(pairs[0::2], pairs[1::2])).get(field)
            shown = f'{rest[2]} "{found.decode("utf-8", "replace")}"' if found is not None \
                else f"no field {rest[2]}"
            return found == value, f"the newest entry of {name} has {shown}"
        return judge, f'a new entry in {name} with {rest[2]} "{rest[3]}"'
    if len(rest) == 3 and rest[1] in ("has", "lacks"):
        key, sid, want = _b(name), _b(rest[2]), rest[1] == "has"

        def judge(ctx):
            found = ctx.introspect([b"XRANGE", key, sid, sid])
            present = isinstance(found, list) and bool(found)
            return present == want, f"{rest[2]} is {'still ' if present and not want else ''}" \
                                    f"{'in' if present else 'not in'} {name}"
        return judge, f"{rest[2]} {'in' if want else 'gone from'} {name}"
    raise CheckSyntaxError("use: stream KEY length [op] N  |  stream KEY newest FIELD VALUE  |  "
                           "stream KEY has|lacks ID")


_GROUP_WORDS = {"pending": ("pending entry", "pending entries"), "lag": ("entry of lag", "entries of lag"),
                "consumers": ("consumer", "consumers")}


def _group(rest: list[str]):
    if len(rest) < 3:
        raise CheckSyntaxError("use: group KEY GROUP exists|missing|pending|lag|consumers|last-delivered ...")
    key, group, what = rest[0], rest[1], rest[2]
    named = f"the group {group} of {key}"
    if what in ("exists", "missing") and len(rest) == 3:
        want = what == "exists"

        def judge(ctx):
            found = _group_info(ctx, key, group) is not None
            return found == want, f"{key} {'has' if found else 'has no'} group {group}"
        return judge, f"{named} {'to exist' if want else 'gone'}"
    if what == "last-delivered" and len(rest) == 4:
        want = _b(rest[3])

        def judge(ctx):
            info = _group_info(ctx, key, group)
            if info is None:
                return False, f"{key} has no group {group}"
            found = info.get("last-delivered-id")
            return found == want, f"{group} has delivered up to {found.decode()}"
        return judge, f"{named} to have delivered up to {rest[3]}"
    if what in ("pending", "lag", "consumers"):
        compare, want, shown = _comparison(rest[3:])
        one, many = _GROUP_WORDS[what]

        def judge(ctx):
            info = _group_info(ctx, key, group)
            if info is None:
                return False, f"{key} has no group {group}"
            value = info.get(what)
            if value is None:
                return False, f"Redis cannot say what {group}'s lag is (it shows nil)"
            if what == "lag":
                return compare(value, want), f"{group} has a lag of {value}"
            return compare(value, want), f"{group} has {plural(value, one, many)}"
        if what == "lag":
            return judge, f"{named} with a lag of {shown}"
        return judge, f"{named} with {_shown_count(shown, one, many)}"
    raise CheckSyntaxError(f"bad group check: {' '.join(rest)!r}")


def _consumer(rest: list[str]):
    if len(rest) < 5:
        raise CheckSyntaxError("use: consumer KEY GROUP NAME pending [op] N | owns ID")
    key, group, name, what = rest[0], rest[1], rest[2], rest[3]
    if what == "pending":
        compare, want, shown = _comparison(rest[4:])

        def judge(ctx):
            n = len(_pending(ctx, key, group, name))
            return compare(n, want), f"{name} has {plural(n, 'pending entry', 'pending entries')}"
        return judge, f"{name} with {_shown_count(shown, 'pending entry', 'pending entries')} in {group}"
    if what == "owns" and len(rest) == 5:
        word = rest[4]
        which = {"first": "the oldest pending entry", "last": "the newest pending entry"}.get(word, word)

        def judge(ctx):
            sid = _resolve_id(ctx, key, group, word)
            owners = {row[0]: row[1] for row in _pending(ctx, key, group)}
            owner = owners.get(sid)
            if owner is None:
                return False, f"{which} is not pending in {group}"
            return owner == _b(name), f"{which} belongs to {owner.decode('utf-8', 'replace')}"
        return judge, f"{which} to belong to {name}"
    if what == "idle":
        compare, want, shown = _comparison(rest[4:])

        def judge(ctx):
            rows = ctx.introspect([b"XINFO", b"CONSUMERS", _b(key), _b(group)])
            for row in rows if isinstance(rows, list) else []:
                info = _pairs(row)
                if info.get("name") == _b(name):
                    return compare(info["idle"], want), f"{name} has been idle {info['idle']} ms"
            return False, f"{group} has no consumer {name}"
        return judge, f"{name} idle for {shown} ms"
    raise CheckSyntaxError(f"bad consumer check: {' '.join(rest)!r}")


def _entry(rest: list[str]):
    if len(rest) == 4 and rest[3] in ("pending", "acknowledged"):
        key, group, sid, want = rest[0], rest[1], _b(rest[2]), rest[3] == "pending"

        def judge(ctx):
            pending = {row[0] for row in _pending(ctx, key, group)}
            return (sid in pending) == want, \
                f"{rest[2]} is {'still pending' if sid in pending else 'not pending'} in {group}"
        return judge, f"{rest[2]} {'pending' if want else 'acknowledged'} in {group}"
    if len(rest) < 5 or rest[3] != "deliveries":
        raise CheckSyntaxError("use: entry KEY GROUP ID deliveries [op] N  |  "
                               "entry KEY GROUP ID pending|acknowledged")
    key, group, word = rest[0], rest[1], rest[2]
    which = {"first": "the oldest pending entry", "last": "the newest pending entry"}.get(word, word)
    compare, want, shown = _comparison(rest[4:])

    def judge(ctx):
        sid = _resolve_id(ctx, key, group, word)
        rows = {row[0]: row[3] for row in _pending(ctx, key, group)}
        if sid not in rows:
            return False, f"{which} is not pending in {group}"
        return compare(rows[sid], want), f"{which} has been delivered {plural(rows[sid], 'time')}"
    return judge, f"{which} delivered {_shown_count(shown, 'time')}"


def _payloads(values: list) -> list[bytes]:
    out = []
    for value in values:
        if isinstance(value, list) and value and value[0] in (b"message", b"smessage", b"pmessage"):
            out.append(value[-1])
    return out


def _received(rest: list[str]):
    if len(rest) != 2:
        raise CheckSyntaxError('use: received CLIENT "payload" | received CLIENT nothing')
    label, what = rest

    def said(ctx) -> str:
        got = _payloads(ctx.received.get(label, []))
        if not got:
            return f"{label} has received no message in this task"
        return f"{label} received " + ", ".join(f'"{p.decode("utf-8", "replace")}"' for p in got)
    if what == "nothing":
        return (lambda ctx: (not _payloads(ctx.received.get(label, [])), said(ctx)),
                f"{label} to receive nothing")
    want = _b(what)
    return (lambda ctx: (want in _payloads(ctx.received.get(label, [])), said(ctx)),
            f'{label} to receive "{what}"')


def _subscribers(rest: list[str]):
    if len(rest) < 2:
        raise CheckSyntaxError("use: subscribers CHANNEL [op] N")
    channel = _b(rest[0])
    compare, want, shown = _comparison(rest[1:])

    def judge(ctx):
        reply = ctx.introspect([b"PUBSUB", b"NUMSUB", channel])
        n = reply[1] if isinstance(reply, list) else 0
        return compare(n, want), f"{rest[0]} has {plural(n, 'subscriber')}"
    return judge, f"the channel {rest[0]} with {_shown_count(shown, 'subscriber')}"


def _patterns(rest: list[str]):
    compare, want, shown = _comparison(rest)

    def judge(ctx):
        n = ctx.introspect([b"PUBSUB", b"NUMPAT"])
        return compare(n, want), f"there {'is' if n == 1 else 'are'} {plural(n, 'pattern subscription')}"
    return judge, _shown_count(shown, "pattern subscription")


def _subscribed(rest: list[str]):
    if len(rest) != 2:
        raise CheckSyntaxError("use: subscribed CLIENT CHANNEL")
    label, channel = rest

    def judge(ctx):
        found = ctx.client_state(label).get("channels", [])
        listens = ", ".join(found) if found else "no channel"
        return channel in found, f"{label} listens to {listens}"
    return judge, f"{label} subscribed to {channel}"


def _psubscribed(rest: list[str]):
    if len(rest) != 2:
        raise CheckSyntaxError("use: psubscribed CLIENT PATTERN")
    label, pattern = rest

    def judge(ctx):
        found = ctx.client_state(label).get("patterns", [])
        listens = ", ".join(found) if found else "no pattern"
        return pattern in found, f"{label} listens to {listens}"
    return judge, f"{label} subscribed to the pattern {pattern}"


def _client(rest: list[str]):
    if len(rest) != 2 or rest[1] not in ("blocked", "free"):
        raise CheckSyntaxError("use: client NAME blocked|free")
    label, want = rest[0], rest[1] == "blocked"

    def judge(ctx):
        blocked = ctx.client_state(label).get("blocked", False)
        return blocked == want, f"{label} is {'blocked, waiting' if blocked else 'not blocked'}"
    return judge, f"{label} {'blocked, waiting for data' if want else 'not blocked'}"


_BUILDERS = {
    "reply": _reply, "key": _key, "stream": _stream, "group": _group, "consumer": _consumer,
    "entry": _entry, "received": _received, "subscribers": _subscribers,
    "patterns": _patterns, "subscribed": _subscribed, "psubscribed": _psubscribed,
    "client": _client,
}

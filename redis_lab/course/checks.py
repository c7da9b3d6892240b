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


@dataclass
class Check:
    text: str
    line: int
    judge: Callable[[Context], tuple[bool, str]]

    def evaluate(self, ctx: Context) -> tuple[bool, str]:
        """(passed, what was found), never raising: a broken check just fails."""
        try:
            return self.judge(ctx)
        except Exception as exc:  # noqa: BLE001 - a check must never crash a lesson
            return False, f"could not check ({exc})"


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _num(word: str) -> int:
    try:
        return int(word)
    except ValueError:
        raise CheckSyntaxError(f"expected a number, got {word!r}") from None


def _comparison(words: list[str]) -> tuple[Callable, int, str]:
    """``[op] N`` -> (compare, N, shown)."""
    if len(words) == 1:
        return operator.eq, _num(words[0]), words[0]
    if len(words) == 2 and words[0] in _OPS:
        return _OPS[words[0]], _num(words[1]), f"{words[0]} {words[1]}"
    raise CheckSyntaxError(f"expected [<=|>=|=] NUMBER, got {' '.join(words)!r}")


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
    from ..protocol.cli_format import format_reply

    return " ".join(format_reply(value).split())


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
    return Check(text.strip(), line, builder(rest))


def _reply(rest: list[str]):
    if not rest:
        raise CheckSyntaxError("reply needs an expectation: integer N, \"text\", nil, ok, error, "
                               "array N or entries N")
    kind = rest[0].lower()
    if kind == "integer" and len(rest) == 2:
        want = _num(rest[1])
        return lambda ctx: (type(ctx.last_reply) is int and ctx.last_reply == want,
                            f"the reply was {_show(ctx.last_reply)}")
    if kind == "nil" and len(rest) == 1:
        return lambda ctx: (ctx.last_reply is None or ctx.last_reply is NULL_ARRAY,
                            f"the reply was {_show(ctx.last_reply)}")
    if kind == "ok" and len(rest) == 1:
        return lambda ctx: (isinstance(ctx.last_reply, Status) and ctx.last_reply == "OK",
                            f"the reply was {_show(ctx.last_reply)}")
    if kind == "error" and len(rest) <= 2:
        prefix = rest[1] if len(rest) == 2 else ""
        return lambda ctx: (isinstance(ctx.last_reply, Error) and ctx.last_reply.startswith(prefix),
                            f"the reply was {_show(ctx.last_reply)}")
    if kind in ("array", "entries") and len(rest) in (2, 3):
        compare, want, _ = _comparison(rest[1:])
        count = len if kind == "array" else _count_entries

        def judge(ctx):
            value = ctx.last_reply
            n = count(value) if isinstance(value, list) or kind == "entries" else -1
            return n >= 0 and compare(n, want), f"the reply was {_show(value)}"
        return judge
    if kind == "ids" and len(rest) >= 1:
        want_ids = [_b(word) for word in rest[1:]]

        def judge(ctx):
            found = _reply_ids(ctx.last_reply)
            return found == want_ids, f"the reply held {[i.decode() for i in found] or 'no entries'}"
        return judge
    if len(rest) == 1:
        want = _b(rest[0])
        return lambda ctx: (ctx.last_reply == want and type(ctx.last_reply) is bytes,
                            f"the reply was {_show(ctx.last_reply)}")
    raise CheckSyntaxError(f"bad reply check: {' '.join(rest)!r}")


def _key(rest: list[str]):
    if len(rest) == 3 and rest[1] == "value":
        key, want = _b(rest[0]), _b(rest[2])

        def judge(ctx):
            found = ctx.introspect([b"GET", key])
            return found == want, f"its value is {_show(found)}"
        return judge
    if len(rest) != 2 or rest[1] not in ("exists", "missing"):
        raise CheckSyntaxError("use: key KEY exists|missing  |  key KEY value VALUE")
    key, want = _b(rest[0]), rest[1] == "exists"
    return lambda ctx: (bool(ctx.introspect([b"EXISTS", key])) == want,
                        "it exists" if ctx.introspect([b"EXISTS", key]) else "it does not exist")


def _stream(rest: list[str]):
    if len(rest) >= 3 and rest[1] == "length":
        key = _b(rest[0])
        compare, want, _ = _comparison(rest[2:])

        def judge(ctx):
            n = ctx.introspect([b"XLEN", key])
            return isinstance(n, int) and compare(n, want), f"it has {n} entries"
        return judge
    if len(rest) == 4 and rest[1] == "newest":
        key, field, value = _b(rest[0]), _b(rest[2]), _b(rest[3])

        def judge(ctx):
            reply = ctx.introspect([b"XREVRANGE", key, b"+", b"-", b"COUNT", b"1"])
            if not reply:
                return False, "the stream is empty"
            pairs = reply[0][1]
            found = dict(zip(pairs[0::2], pairs[1::2])).get(field)
            return found == value, f"its newest entry is {_show(reply[0])}"
        return judge
    if len(rest) == 3 and rest[1] in ("has", "lacks"):
        key, sid, want = _b(rest[0]), _b(rest[2]), rest[1] == "has"

        def judge(ctx):
            found = ctx.introspect([b"XRANGE", key, sid, sid])
            present = isinstance(found, list) and bool(found)
            return present == want, f"{rest[2]} is {'in' if present else 'not in'} the stream"
        return judge
    raise CheckSyntaxError("use: stream KEY length [op] N  |  stream KEY newest FIELD VALUE  |  "
                           "stream KEY has|lacks ID")


def _group(rest: list[str]):
    if len(rest) < 3:
        raise CheckSyntaxError("use: group KEY GROUP exists|missing|pending|lag|consumers|last-delivered ...")
    key, group, what = rest[0], rest[1], rest[2]
    if what in ("exists", "missing") and len(rest) == 3:
        want = what == "exists"
        return lambda ctx: ((_group_info(ctx, key, group) is not None) == want,
                            "it exists" if _group_info(ctx, key, group) else "there is no such group")
    if what == "last-delivered" and len(rest) == 4:
        want = _b(rest[3])

        def judge(ctx):
            info = _group_info(ctx, key, group)
            found = info and info.get("last-delivered-id")
            return found == want, f"it is {found.decode() if found else 'missing'}"
        return judge
    if what in ("pending", "lag", "consumers"):
        compare, want, _ = _comparison(rest[3:])

        def judge(ctx):
            info = _group_info(ctx, key, group)
            if info is None:
                return False, "there is no such group"
            value = info.get(what)
            if value is None:
                return False, f"Redis reports {what} as nil"
            return compare(value, want), f"it is {value}"
        return judge
    raise CheckSyntaxError(f"bad group check: {' '.join(rest)!r}")


def _consumer(rest: list[str]):
    if len(rest) < 5:
        raise CheckSyntaxError("use: consumer KEY GROUP NAME pending [op] N | owns ID")
    key, group, name, what = rest[0], rest[1], rest[2], rest[3]
    if what == "pending":
        compare, want, _ = _comparison(rest[4:])

        def judge(ctx):
            n = len(_pending(ctx, key, group, name))
            return compare(n, want), f"{name} has {n} pending"
        return judge
    if what == "owns" and len(rest) == 5:
        word = rest[4]

        def judge(ctx):
            sid = _resolve_id(ctx, key, group, word)
            owners = {row[0]: row[1] for row in _pending(ctx, key, group)}
            owner = owners.get(sid)
            shown = owner.decode("utf-8", "replace") if owner else "nobody"
            return owner == _b(name), f"it is owned by {shown}"
        return judge
    if what == "idle":
        compare, want, _ = _comparison(rest[4:])

        def judge(ctx):
            rows = ctx.introspect([b"XINFO", b"CONSUMERS", _b(key), _b(group)])
            for row in rows if isinstance(rows, list) else []:
                info = _pairs(row)
                if info.get("name") == _b(name):
                    return compare(info["idle"], want), f"{name} has been idle {info['idle']} ms"
            return False, f"there is no consumer {name}"
        return judge
    raise CheckSyntaxError(f"bad consumer check: {' '.join(rest)!r}")


def _entry(rest: list[str]):
    if len(rest) == 4 and rest[3] in ("pending", "acknowledged"):
        key, group, sid, want = rest[0], rest[1], _b(rest[2]), rest[3] == "pending"

        def judge(ctx):
            pending = {row[0] for row in _pending(ctx, key, group)}
            return (sid in pending) == want, f"{rest[2]} is {'pending' if sid in pending else 'not pending'}"
        return judge
    if len(rest) < 5 or rest[3] != "deliveries":
        raise CheckSyntaxError("use: entry KEY GROUP ID deliveries [op] N  |  "
                               "entry KEY GROUP ID pending|acknowledged")
    key, group, word = rest[0], rest[1], rest[2]
    compare, want, _ = _comparison(rest[4:])

    def judge(ctx):
        sid = _resolve_id(ctx, key, group, word)
        rows = {row[0]: row[3] for row in _pending(ctx, key, group)}
        if sid not in rows:
            return False, "it is not pending"
        return compare(rows[sid], want), f"it was delivered {rows[sid]} times"
    return judge


def _payloads(values: list) -> list[bytes]:
    out = []
    for value in values:
        if isinstance(value, list) and value and value[0] in (b"message", b"smessage"):
            out.append(value[-1])
        elif isinstance(value, list) and value and value[0] == b"pmessage":
            out.append(value[-1])
    return out


def _received(rest: list[str]):
    if len(rest) != 2:
        raise CheckSyntaxError('use: received CLIENT "payload" | received CLIENT nothing')
    label, what = rest
    if what == "nothing":
        return lambda ctx: (not _payloads(ctx.received.get(label, [])),
                            f"{label} received {len(_payloads(ctx.received.get(label, [])))} messages")
    want = _b(what)
    return lambda ctx: (want in _payloads(ctx.received.get(label, [])),
                        f"{label} received {[p.decode('utf-8', 'replace') for p in _payloads(ctx.received.get(label, []))]}")


def _subscribers(rest: list[str]):
    if len(rest) < 2:
        raise CheckSyntaxError("use: subscribers CHANNEL [op] N")
    channel = _b(rest[0])
    compare, want, _ = _comparison(rest[1:])

    def judge(ctx):
        reply = ctx.introspect([b"PUBSUB", b"NUMSUB", channel])
        n = reply[1] if isinstance(reply, list) else 0
        return compare(n, want), f"it has {n}"
    return judge


def _patterns(rest: list[str]):
    compare, want, _ = _comparison(rest)

    def judge(ctx):
        n = ctx.introspect([b"PUBSUB", b"NUMPAT"])
        return compare(n, want), f"there are {n}"
    return judge


def _subscribed(rest: list[str]):
    if len(rest) != 2:
        raise CheckSyntaxError("use: subscribed CLIENT CHANNEL")
    label, channel = rest
    return lambda ctx: (channel in ctx.client_state(label).get("channels", []),
                        f"{label} listens to {ctx.client_state(label).get('channels', [])}")


def _psubscribed(rest: list[str]):
    if len(rest) != 2:
        raise CheckSyntaxError("use: psubscribed CLIENT PATTERN")
    label, pattern = rest
    return lambda ctx: (pattern in ctx.client_state(label).get("patterns", []),
                        f"{label} listens to patterns {ctx.client_state(label).get('patterns', [])}")


def _client(rest: list[str]):
    if len(rest) != 2 or rest[1] not in ("blocked", "free"):
        raise CheckSyntaxError("use: client NAME blocked|free")
    label, want = rest[0], rest[1] == "blocked"
    return lambda ctx: (ctx.client_state(label).get("blocked", False) == want,
                        f"{label} is {'blocked' if ctx.client_state(label).get('blocked') else 'not blocked'}")


_BUILDERS = {
    "reply": _reply, "key": _key, "stream": _stream, "group": _group, "consumer": _consumer,
    "entry": _entry, "received": _received, "subscribers": _subscribers,
    "patterns": _patterns, "subscribed": _subscribed, "psubscribed": _psubscribed,
    "client": _client,
}

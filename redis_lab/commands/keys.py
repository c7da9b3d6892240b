"""Keyspace commands: DEL, EXISTS, TYPE, KEYS, SCAN, DBSIZE, FLUSHDB, FLUSHALL, SET, GET."""

from __future__ import annotations

from ..model import errors
from ..model.errors import CommandError
from ..model.glob import glob_match
from ..model.keyspace import type_name
from ..model.reply import OK, Status
from .args import LLONG_MAX, Args, int_arg
from .table import command


@command("DEL", arity=-2, flags="write", group="generic", syntax="key [key ...]",
         summary="Delete keys; replies how many existed. Deleting a stream wakes clients blocked "
                 "on it in XREADGROUP with an error.",
         complexity="O(N) keys (a stream: O(entries))", since="1.0.0", example="DEL orders",
         related="EXISTS UNLINK")
def del_(client, args):
    db = client.db
    removed = 0
    for key in args[1:]:
        if db.get(key) is not None and db.delete(key):
            removed += 1
            client.engine.notify("g", b"del", key, db.index)
    return removed


@command("EXISTS", arity=-2, flags="readonly fast", group="generic", syntax="key [key ...]",
         summary="How many of the keys exist (a key named twice counts twice).",
         complexity="O(N) keys", since="1.0.0", example="EXISTS payments", related="TYPE DEL")
def exists(client, args):
    db = client.db
    return sum(1 for key in args[1:] if db.get(key) is not None)


@command("TYPE", arity=2, flags="readonly fast", group="generic", syntax="key",
         summary="The type of the value at key: string, stream, ... or none.",
         complexity="O(1)", since="1.0.0", example="TYPE mystream", related="EXISTS")
def type_(client, args):
    value = client.db.get(args[1])
    return Status("none" if value is None else type_name(value))


@command("KEYS", arity=2, flags="readonly", group="generic", syntax="pattern",
         summary="All keys matching a glob pattern (*, ?, [abc]). Fine for learning; on a big "
                 "production server prefer SCAN.",
         complexity="O(N) keys", since="1.0.0", example="KEYS sensors:*", related="SCAN")
def keys(client, args):
    pattern = args[1]
    names = client.db.live_keys()
    if pattern == b"*":
        return names
    return [name for name in names if glob_match(pattern, name)]


@command("SCAN", arity=-2, flags="readonly", group="generic",
         syntax="cursor [MATCH pattern] [COUNT count] [TYPE type]",
         summary="Iterate the keyspace a few keys at a time: call again with the returned cursor "
                 "until it is 0.",
         complexity="O(1) per call", since="2.8.0", example="SCAN 0 MATCH user:* COUNT 100",
         related="KEYS")
def scan(client, args):
    cursor_arg = args[1]
    cursor = _parse_cursor(cursor_arg)
    count, pattern, kind = 10, None, None
    options = Args(args, 2)
    while options:
        opt = options.next_keyword()
        if opt == b"COUNT":
            count = options.next_int()
            if count < 1:
                raise CommandError(errors.SYNTAX)
        elif opt == b"MATCH":
            pattern = options.next_bytes()
            if pattern == b"*":
                pattern = None
        elif opt == b"TYPE":
            kind = options.next_bytes().decode("utf-8", "surrogateescape").lower()
        else:
            raise CommandError(errors.SYNTAX)
    names = client.db.live_keys()
    if cursor >= len(names):
        batch, nxt = [], 0
    else:
        batch = names[cursor:cursor + count]
        nxt = cursor + count if cursor + count < len(names) else 0
    if pattern is not None:
        batch = [name for name in batch if glob_match(pattern, name)]
    if kind is not None:
        batch = [name for name in batch if type_name(client.db.data[name]) == kind]
    return [str(nxt).encode(), batch]


def _parse_cursor(arg: bytes) -> int:
    """SCAN cursors are read with C's strtoul: '' is 0, '+5' is 5, '-1' wraps to 2**64-1."""
    if arg[:1].isspace():
        raise CommandError(errors.INVALID_CURSOR)
    text = arg.split(b"\0", 1)[0]
    if not text:
        return 0
    sign, digits = (text[:1], text[1:]) if text[:1] in (b"+", b"-") else (b"", text)
    if not digits.isdigit() or not digits.isascii():
        raise CommandError(errors.INVALID_CURSOR)
    value = int(digits)
    if value >= 1 << 64:
        raise CommandError(errors.INVALID_CURSOR)
    return (-value) & ((1 << 64) - 1) if sign == b"-" else value


@command("DBSIZE", arity=1, flags="readonly fast", group="server", syntax="",
         summary="How many keys the selected database holds.", complexity="O(1)",
         since="1.0.0", example="DBSIZE", related="KEYS FLUSHDB")
def dbsize(client, args):
    return len(client.db)


def _flush_mode(args: list[bytes]) -> None:
    if len(args) == 2 and args[1].lower() in (b"sync", b"async"):
        return
    if len(args) != 1:
        raise CommandError(errors.SYNTAX)


@command("FLUSHDB", arity=-1, flags="write", group="server", syntax="[ASYNC | SYNC]",
         summary="Delete every key in the selected database (subscriptions are untouched).",
         complexity="O(N) keys", since="1.0.0", example="FLUSHDB", related="FLUSHALL DBSIZE")
def flushdb(client, args):
    _flush_mode(args)
    client.db.clear()
    return OK


@command("FLUSHALL", arity=-1, flags="write", group="server", syntax="[ASYNC | SYNC]",
         summary="Delete every key in every database.", complexity="O(N) keys", since="1.0.0",
         example="FLUSHALL", related="FLUSHDB")
def flushall(client, args):
    _flush_mode(args)
    for db in client.engine.dbs:
        db.clear()
    return OK


@command("GET", arity=2, flags="readonly fast", group="string", syntax="key",
         summary="The string value of key, or nil. A stream is not a string: WRONGTYPE.",
         complexity="O(1)", since="1.0.0", example="GET greeting", related="SET")
def get(client, args):
    return client.db.get_typed(args[1], bytes)


_SET_FLAGS = {b"NX", b"XX", b"GET", b"KEEPTTL", b"EX", b"PX", b"EXAT", b"PXAT"}
_EXPIRY = {b"EX", b"PX", b"EXAT", b"PXAT"}


@command("SET", arity=-3, flags="write denyoom", group="string",
         syntax="key value [NX | XX] [GET] [EX seconds | PX milliseconds | "
                "EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
         summary="Store a string value (replacing any value of any type).",
         complexity="O(1)", since="1.0.0", example="SET greeting hello EX 60", related="GET DEL")
def set_(client, args):
    seen: set[bytes] = set()
    expire_kind, expire_arg = None, None
    options = Args(args, 3)
    while options:
        opt = options.next_keyword()
        if opt == b"NX" and b"XX" not in seen:
            seen.add(b"NX")
        elif opt == b"XX" and b"NX" not in seen:
            seen.add(b"XX")
        elif opt == b"GET":
            seen.add(b"GET")
        elif opt == b"KEEPTTL" and not (seen & _EXPIRY):
            seen.add(b"KEEPTTL")
        elif opt in _EXPIRY and not (seen & ((_EXPIRY | {b"KEEPTTL"}) - {opt})):
            seen.add(opt)
            # the value is parsed after the whole list, as Redis does: a later bad option is
            # the syntax error reported, not this value's
            expire_kind, expire_arg = opt, options.next_bytes()
        else:
            raise CommandError(errors.SYNTAX)
    db, key = client.db, args[1]
    when = None
    if expire_arg is not None:
        when = _expire_time(client, expire_kind, expire_arg)
    reply = OK
    if b"GET" in seen:
        reply = db.get_typed(key, bytes)
    exists = db.get(key) is not None
    if (b"NX" in seen and exists) or (b"XX" in seen and not exists):
        return reply if b"GET" in seen else None
    if not exists:
        client.engine.notify("n", b"new", key, db.index)
    db.set(key, args[2], keep_ttl=b"KEEPTTL" in seen)
    client.engine.notify("$", b"set", key, db.index)
    if when is not None:
        db.expire_at(key, when)
        client.engine.notify("g", b"expire", key, db.index)
    return reply


def _expire_time(client, kind: bytes, arg: bytes) -> int:
    value = int_arg(arg)
    seconds = kind in (b"EX", b"EXAT")
    if value <= 0 or (seconds and value > LLONG_MAX // 1000):
        raise CommandError(errors.invalid_expire("set"))
    if seconds:
        value *= 1000
    if kind in (b"EX", b"PX"):
        value += client.engine.clock.now_ms()
        if value > LLONG_MAX:  # int64 overflow wraps negative in C
            raise CommandError(errors.invalid_expire("set"))
    return value

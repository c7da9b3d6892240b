"""Connection and server commands: PING, ECHO, SELECT, HELLO, RESET, QUIT, CLIENT, TIME,
MULTI/EXEC/DISCARD."""

from __future__ import annotations

from ..model import errors
from ..model.errors import CommandError
from ..model.reply import NULL_ARRAY, OK, PONG, Error, Map, Raw, Status, Verbatim
from ..protocol.resp import encode
from .args import Args, int_arg, int_in_range
from .help_texts import HELP_LINES
from .table import command, describe_container


def help_reply(args: list[bytes], name: str) -> list:
    """The HELP subcommand's reply: Redis's header line, the body, and its HELP footer."""
    header = f"{args[0].decode('utf-8', 'surrogateescape').upper()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    return [Status(header)] + [Status(line) for line in HELP_LINES[name]]


@command("PING", arity=-1, flags="fast", group="connection", syntax="[message]",
         summary="Check the connection: replies PONG, or echoes the message. A subscribed RESP2 "
                 "client gets [\"pong\", message] instead.",
         complexity="O(1)", since="1.0.0", example="PING hello", related="ECHO")
def ping(client, args):
    if len(args) > 2:
        return Error(errors.wrong_arity("ping"))
    if client.resp == 2 and client.in_pubsub_mode:
        return [b"pong", args[1] if len(args) == 2 else b""]
    return args[1] if len(args) == 2 else PONG


@command("ECHO", arity=2, flags="fast", group="connection", syntax="message",
         summary="Reply with the message itself.", complexity="O(1)", since="1.0.0",
         example='ECHO "hello world"', related="PING")
def echo(client, args):
    return args[1]


@command("SELECT", arity=2, flags="fast", group="connection", syntax="index",
         summary="Switch this connection to database number index (0-15). Pub/Sub channels are "
                 "shared by all databases; keys are not.",
         complexity="O(1)", since="1.0.0", example="SELECT 1", related="FLUSHDB DBSIZE")
def select(client, args):
    index = int_in_range(args[1], -(1 << 31), (1 << 31) - 1)   # Redis reads it as a C int
    if not 0 <= index < len(client.engine.dbs):
        raise CommandError(errors.DB_OUT_OF_RANGE)
    client.db = client.engine.dbs[index]
    return OK


def hello_map(client) -> Map:
    return Map([
        b"server", b"redis", b"version", client.engine.VERSION.encode(),
        b"proto", client.resp, b"id", client.id, b"mode", b"standalone",
        b"role", b"master", b"modules", [],
    ])


@command("HELLO", arity=-1, flags="fast", group="connection",
         syntax="[protover [AUTH username password] [SETNAME clientname]]",
         summary="Handshake: choose RESP2 or RESP3 (HELLO 3 turns pub/sub messages into push "
                 "frames and lets a subscribed client run any command).",
         complexity="O(1)", since="6.0.0", example="HELLO 3", related="RESET CLIENT")
def hello(client, args):
    version = 0
    options = Args(args)
    if options:
        version = options.next_int(errors.PROTO_NOT_INTEGER)
        if version < 2 or version > 3:
            raise CommandError(errors.NOPROTO)
    while options:
        word = options.next_bytes()
        opt = word.upper()
        if opt == b"AUTH" and options.left() >= 2:
            authenticate(client, options.next_bytes(), options.next_bytes())
        elif opt == b"SETNAME" and options.left() >= 1:
            client.name = _checked_name(options.next_bytes()) or None
        else:
            raise CommandError(errors.hello_syntax(word))
    if not client.authenticated:
        raise CommandError(errors.HELLO_NOAUTH)
    if version:
        client.resp = version
    return hello_map(client)


def authenticate(client, user: bytes, password: bytes) -> None:
    """Log ``client`` in as the default user (the only one), or raise WRONGPASS."""
    required = client.engine.requirepass
    if user != b"default" or (required is not None and password != required):
        raise CommandError(errors.WRONGPASS)
    client.authenticated = True


@command("AUTH", arity=-2, flags="fast no_auth", group="connection", syntax="[username] password",
         summary="Log in when the server has a password (requirepass); until then every other "
                 "command answers NOAUTH.",
         complexity="O(N) password length", since="1.0.0", example="AUTH s3cret",
         related="HELLO")
def auth(client, args):
    if len(args) > 3:
        raise CommandError(errors.SYNTAX)
    if len(args) == 2:
        if client.engine.requirepass is None:
            raise CommandError(errors.AUTH_WITHOUT_PASSWORD)
        authenticate(client, b"default", args[1])
    else:
        authenticate(client, args[1], args[2])
    return OK


@command("RESET", arity=1, flags="fast", group="connection", syntax="",
         summary="Reset the connection: leave pub/sub mode, drop MULTI, back to RESP2 and db 0.",
         complexity="O(1)", since="6.2.0", example="RESET", related="HELLO QUIT")
def reset(client, args):
    client.drop_subscriptions()
    client.discard_transaction()
    client.authenticated = client.engine.requirepass is None
    client.resp = 2
    client.name = None
    client.db = client.engine.dbs[0]
    return Status("RESET")


@command("QUIT", arity=-1, flags="fast", group="connection", syntax="",
         summary="Close the connection (the shell reconnects this client on its next command).",
         complexity="O(1)", since="1.0.0", example="QUIT", related="RESET")
def quit_(client, args):
    client.disconnect()
    return OK


@command("TIME", arity=1, flags="fast", group="server", syntax="",
         summary="The server's clock: [unix seconds, microseconds]. In redis-lab this is the "
                 "engine's clock, which lessons may move.",
         complexity="O(1)", since="2.6.0", example="TIME")
def time_(client, args):
    us = client.engine.clock.now_us()
    return [str(us // 1_000_000).encode(), str(us % 1_000_000).encode()]


# -- MULTI / EXEC / DISCARD -----------------------------------------------------------------------

@command("MULTI", arity=1, flags="fast", group="transactions", syntax="",
         summary="Start a transaction: later commands are queued and run together by EXEC.",
         complexity="O(1)", since="1.2.0", example="MULTI", related="EXEC DISCARD")
def multi(client, args):
    if client.multi is not None:
        raise CommandError(errors.MULTI_NESTED)
    client.multi = []
    client.multi_dirty = False
    return OK


@command("EXEC", arity=1, flags="", group="transactions", syntax="",
         summary="Run the queued commands as one atomic step; blocked readers are served after.",
         complexity="depends on the queued commands", since="1.2.0", example="EXEC",
         related="MULTI DISCARD")
def exec_(client, args):
    if client.multi is None:
        raise CommandError(errors.EXEC_WITHOUT_MULTI)
    queued, dirty, dirty_cas = client.multi, client.multi_dirty, client.dirty_cas
    client.discard_transaction()
    if dirty:
        raise CommandError(errors.EXECABORT)
    if dirty_cas:
        return NULL_ARRAY  # a WATCHed key changed: nothing runs
    replies = []
    protocols = []
    engine = client.engine
    client.in_exec = True
    try:
        for cmd, cmd_args in queued:
            reply = client.run(cmd, cmd_args)
            protocols.append(client.resp)  # HELLO's own reply is in the protocol it chose
            if engine.watched_keys and "write" in cmd.flags:
                engine.touch_written(client.db.index, cmd, cmd_args, reply)
            replies.append(reply)
    finally:
        client.in_exec = False
    if any(resp != client.resp for resp in protocols):
        # HELLO inside MULTI: each reply is written in the protocol active when it ran.
        replies = [Raw(encode(reply, resp == 3)) for reply, resp in zip(replies, protocols)]
    return replies


@command("DISCARD", arity=1, flags="fast", group="transactions", syntax="",
         summary="Drop the queued commands and leave MULTI.", complexity="O(N) queued commands",
         since="2.0.0", example="DISCARD", related="MULTI EXEC")
def discard(client, args):
    if client.multi is None:
        raise CommandError(errors.DISCARD_WITHOUT_MULTI)
    client.discard_transaction()
    return OK


@command("WATCH", arity=-2, flags="fast", group="transactions", syntax="key [key ...]",
         summary="Make the next EXEC fail (nil reply, nothing run) if any of these keys changes "
                 "before it: optimistic locking.",
         complexity="O(1) for every key", since="2.2.0", example="WATCH jobs",
         related="UNWATCH MULTI EXEC")
def watch(client, args):
    if client.multi is not None:
        raise CommandError(errors.WATCH_INSIDE_MULTI)
    watched_keys = client.engine.watched_keys
    db = client.db.index
    for key in args[1:]:
        dbkey = (db, key)
        if dbkey not in client.watched:
            client.watched.append(dbkey)
            watched_keys.setdefault(dbkey, {})[client] = None
    return OK


@command("UNWATCH", arity=1, flags="fast", group="transactions", syntax="",
         summary="Forget every key WATCHed by this connection.", complexity="O(N) watched keys",
         since="2.2.0", example="UNWATCH", related="WATCH")
def unwatch(client, args):
    client.unwatch()
    return OK


# -- CLIENT ---------------------------------------------------------------------------------------

def _checked_name(name: bytes) -> bytes:
    if any(b < 33 or b > 126 for b in name):
        raise CommandError(errors.BAD_CLIENT_NAME)
    return name


def client_info_line(target) -> bytes:
    """One CLIENT LIST line with the fields redis-server 7.0 prints."""
    engine = target.engine
    now = engine.clock.now_ms()
    flags = ""
    if target.in_pubsub_mode:
        flags += "P"
    if target.blocked is not None:
        flags += "b"
    if target.multi is not None:
        flags += "x"
    flags = flags or "N"
    cmd = target.last_command or "NULL"
    addr, laddr, fd = target.peer or (f"127.0.0.1:{40000 + target.id}", "127.0.0.1:6379",
                                      7 + target.id)
    fields = [
        f"id={target.id}", f"addr={addr}", f"laddr={laddr}",
        f"fd={fd}", f"name={(target.name or b'').decode('utf-8', 'replace')}",
        f"age={(now - target.created_ms) // 1000}", f"idle={(now - target.last_command_ms) // 1000}",
        f"flags={flags}", f"db={target.db.index}", f"sub={len(target.channels)}",
        f"psub={len(target.patterns)}", f"ssub={len(target.shard_channels)}",
        f"multi={len(target.multi) if target.multi is not None else -1}",
        "qbuf=0", "qbuf-free=0", "argv-mem=0", "multi-mem=0", "rbs=1024", "rbp=0", "obl=0",
        f"oll={len(target.outbox)}", "omem=0", "tot-mem=0", "events=r", f"cmd={cmd}",
        "user=default", "redir=-1", f"resp={target.resp}",
    ]
    return " ".join(fields).encode() + b"\n"


@command("CLIENT ID", arity=2, flags="fast", group="connection", syntax="",
         summary="This connection's numeric id (CLIENT UNBLOCK and CLIENT LIST use it).",
         complexity="O(1)", since="5.0.0", example="CLIENT ID", related="CLIENT LIST")
def client_id(client, args):
    return client.id


@command("CLIENT SETNAME", arity=3, flags="fast", group="connection", syntax="connection-name",
         summary="Name this connection (no spaces); an empty name clears it.",
         complexity="O(1)", since="2.6.9", example="CLIENT SETNAME worker-1",
         related="CLIENT GETNAME")
def client_setname(client, args):
    client.name = _checked_name(args[2]) or None
    return OK


@command("CLIENT GETNAME", arity=2, flags="fast", group="connection", syntax="",
         summary="This connection's name, or nil.", complexity="O(1)", since="2.6.9",
         example="CLIENT GETNAME", related="CLIENT SETNAME")
def client_getname(client, args):
    return client.name


@command("CLIENT LIST", arity=-2, flags="", group="connection",
         syntax="[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]",
         summary="One line per connected client: id, name, db, subscriptions (sub/psub), flags.",
         complexity="O(N) clients", since="2.4.0", example="CLIENT LIST TYPE pubsub",
         related="CLIENT INFO CLIENT ID")
def client_list(client, args):
    clients = [c for c in client.engine.clients.values() if not c.closed]
    clients.sort(key=lambda c: c.id)
    if len(args) == 4 and args[2].lower() == b"type":
        kind = args[3].lower()
        if kind not in (b"normal", b"slave", b"replica", b"pubsub", b"master"):
            raise CommandError(errors.unknown_client_type(args[3]))
        if kind == b"pubsub":
            clients = [c for c in clients if c.in_pubsub_mode]
        elif kind == b"normal":
            clients = [c for c in clients if not c.in_pubsub_mode]
        else:
            clients = []
    elif len(args) > 3 and args[2].lower() == b"id":
        by_id = {c.id: c for c in clients}
        wanted = []
        for arg in args[3:]:
            value = int_arg(arg, errors.INVALID_CLIENT_ID)
            if value in by_id:
                wanted.append(by_id[value])
        clients = wanted  # in the order the IDs were given, as Redis prints them
    elif len(args) != 2:
        raise CommandError(errors.SYNTAX)
    return Verbatim(b"".join(client_info_line(c) for c in clients))


@command("CLIENT INFO", arity=2, flags="", group="connection", syntax="",
         summary="The CLIENT LIST line of this connection.", complexity="O(1)", since="6.2.0",
         example="CLIENT INFO", related="CLIENT LIST")
def client_info(client, args):
    return Verbatim(client_info_line(client))


@command("CLIENT UNBLOCK", arity=-3, flags="", group="connection",
         syntax="client-id [TIMEOUT | ERROR]",
         summary="Wake a client blocked in XREAD/XREADGROUP BLOCK: as if it timed out, or with "
                 "an UNBLOCKED error.",
         complexity="O(log N)", since="5.0.0", example="CLIENT UNBLOCK 7 ERROR",
         related="XREAD XREADGROUP")
def client_unblock(client, args):
    if len(args) > 4:
        raise CommandError(errors.subcommand_syntax(args))
    as_error = False
    if len(args) == 4:
        mode = args[3].lower()
        if mode == b"error":
            as_error = True
        elif mode != b"timeout":
            raise CommandError(errors.UNBLOCK_REASON)
    target_id = int_arg(args[2])
    target = client.engine.client_by_id(target_id)
    if target is None or target.blocked is None:
        return 0
    if as_error:
        target.unblock(Error(errors.UNBLOCKED))
    else:
        target.unblock(target.blocked.timeout_reply)
    return 1


@command("CLIENT HELP", arity=2, flags="", group="connection", syntax="",
         summary="Show the CLIENT subcommands.", since="5.0.0", example="CLIENT HELP")
def client_help(client, args):
    return help_reply(args, "client")


describe_container("CLIENT", summary="Inspect and manage connections: ID, SETNAME, GETNAME, "
                                     "LIST, INFO, UNBLOCK.", since="2.4.0")

"""Commands only a server has: INFO, CONFIG, CLIENT KILL/REPLY/NO-EVICT, FUNCTION FLUSH,
DEBUG SLEEP, and the lab's own ``LAB`` extras (the virtual clock over the wire).

They need the server (its connections, options and counters), so they are not in the engine's
global command table: :func:`install` returns a copy of that table with these added, and the
server's engine uses the copy. The shell's in-process engine never sees them.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import resource
import time

from ..commands.table import Command
from ..model import errors
from ..model.errors import CommandError
from ..model.numbers import parse_ll
from ..engine import NO_REPLY
from ..model.reply import OK, Map, Verbatim
from ..snapshot import copy_value

_RUN_ID = os.urandom(20).hex()
_REPLID = os.urandom(20).hex()

DEFAULT_SECTIONS = ("server", "clients", "memory", "persistence", "stats", "replication", "cpu",
                    "modules", "errorstats", "cluster", "keyspace")
ALL_SECTIONS = DEFAULT_SECTIONS[:9] + ("commandstats",) + DEFAULT_SECTIONS[9:]


def install(server, table: dict[bytes, Command]) -> dict[bytes, Command]:
    """``table`` plus the server's commands (containers are copied, never changed in place)."""
    table = dict(table)

    def add(name: str, arity: int, handler, flags: str = "", summary: str = "") -> None:
        words = name.split()
        entry = Command(name=name, fullname="|".join(w.lower() for w in words), arity=arity,
                        flags=frozenset(flags.split()), handler=handler, group="server",
                        summary=summary)
        key = words[0].lower().encode()
        if len(words) == 1:
            table[key] = entry
            return
        container = table.get(key)
        if container is None:
            container = Command(name=words[0], fullname=words[0].lower(), arity=-2,
                                group="server")
        table[key] = container = dataclasses.replace(container,
                                                     subcommands=dict(container.subcommands))
        container.subcommands[words[1].lower().encode()] = entry

    add("INFO", -1, lambda c, a: info(server, c, a), summary="Server information and counters.")
    add("CONFIG GET", -3, lambda c, a: Map(server.config.get(a[2:])))
    add("CONFIG SET", -4, lambda c, a: config_set(server, a))
    add("CONFIG RESETSTAT", 2, lambda c, a: (server.stats.reset(), OK)[1])
    add("CLIENT KILL", -3, lambda c, a: client_kill(server, c, a))
    add("CLIENT REPLY", 3, lambda c, a: client_reply(server, c, a))
    add("CLIENT NO-EVICT", 3, lambda c, a: on_off(a[2]))
    add("FUNCTION FLUSH", -2, lambda c, a: function_flush(a))
    add("DEBUG", -2, lambda c, a: debug(server, c, a))
    add("LAB CLOCK", -2, lambda c, a: lab_clock(server, a),
        summary="The lab's clock: LAB CLOCK -> [virtual?, now ms]; LAB CLOCK ADVANCE ms.")
    snapshots: dict[bytes, list] = {}
    add("LAB SNAPSHOT", -2, lambda c, a: lab_snapshot(server, snapshots, a),
        summary="Save every key under a name (default 'default'): LAB SNAPSHOT [name].")
    add("LAB RESTORE", -2, lambda c, a: lab_restore(server, snapshots, a),
        summary="Put back the keys saved by LAB SNAPSHOT [name]; connections stay as they are.")
    return table


# -- INFO ---------------------------------------------------------------------------------------

def info(server, client, args) -> Verbatim:
    wanted = [a.decode("utf-8", "replace").lower() for a in args[1:]] or ["default"]
    sections: list[str] = []
    for word in wanted:
        if word == "default":
            sections += DEFAULT_SECTIONS
        elif word in ("all", "everything"):
            sections += ALL_SECTIONS
        else:
            sections.append(word)
    texts = []
    for name in dict.fromkeys(sections):
        fields = SECTIONS.get(name)
        if fields is not None:
            lines = "".join(f"{line}\r\n" for line in fields(server))
            texts.append(f"# {name.capitalize() if name != 'cpu' else 'CPU'}\r\n{lines}")
    return Verbatim("\r\n".join(texts).encode())


def _server(server) -> list[str]:
    uptime = int(time.time() - server.started)
    now_us = int(time.time() * 1_000_000)
    return [
        f"redis_version:{server.engine.VERSION}", "redis_git_sha1:00000000", "redis_git_dirty:0",
        "redis_build_id:redis-lab", "redis_mode:standalone",
        f"os:{platform.system()} {platform.release()} {platform.machine()}", "arch_bits:64",
        "monotonic_clock:POSIX clock_gettime", "multiplexing_api:epoll",
        "atomicvar_api:c11-builtin", "gcc_version:0.0.0", f"process_id:{os.getpid()}",
        "process_supervised:no", f"run_id:{_RUN_ID}", f"tcp_port:{server.port}",
        f"server_time_usec:{now_us}", f"uptime_in_seconds:{uptime}",
        f"uptime_in_days:{uptime // 86400}", "hz:10", "configured_hz:10",
        f"lru_clock:{(now_us // 1_000_000) & ((1 << 24) - 1)}", "executable:redis-lab",
        "config_file:", "io_threads_active:0",
    ]


def _clients(server) -> list[str]:
    clients = list(server.connections)
    blocked = [c for c in clients if c.blocked is not None]
    return [
        f"connected_clients:{len(clients)}", "cluster_connections:0",
        f"maxclients:{server.options.maxclients}", "client_recent_max_input_buffer:0",
        "client_recent_max_output_buffer:0", f"blocked_clients:{len(blocked)}",
        "tracking_clients:0",
        f"clients_in_timeout_table:{sum(1 for c in blocked if c.blocked.deadline)}",
    ]


def _memory(server) -> list[str]:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return [
        f"used_memory:{rss}", f"used_memory_human:{_human(rss)}", f"used_memory_rss:{rss}",
        f"used_memory_rss_human:{_human(rss)}", f"used_memory_peak:{rss}",
        f"used_memory_peak_human:{_human(rss)}", "maxmemory:0", "maxmemory_human:0B",
        "maxmemory_policy:noeviction", "mem_fragmentation_ratio:1.00", "mem_allocator:libc",
    ]


def _human(n: int) -> str:
    for unit, size in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= size:
            return f"{n / size:.2f}{unit}"
    return f"{n}B"


def _persistence(server) -> list[str]:
    return ["loading:0", "async_loading:0", "rdb_changes_since_last_save:0",
            "rdb_bgsave_in_progress:0", f"rdb_last_save_time:{int(server.started)}",
            "rdb_last_bgsave_status:ok", "aof_enabled:0", "aof_rewrite_in_progress:0",
            "aof_last_bgrewrite_status:ok", "aof_last_write_status:ok"]


def _stats(server) -> list[str]:
    s, pubsub = server.stats, server.engine.pubsub
    return [
        f"total_connections_received:{s.total_connections_received}",
        f"total_commands_processed:{s.total_commands_processed}",
        "instantaneous_ops_per_sec:0", f"rejected_connections:{s.rejected_connections}",
        "expired_keys:0", "evicted_keys:0", "keyspace_hits:0", "keyspace_misses:0",
        f"pubsub_channels:{len(pubsub.channels)}", f"pubsub_patterns:{len(pubsub.patterns)}",
        f"pubsubshard_channels:{len(pubsub.shard_channels)}",
        f"total_error_replies:{s.total_error_replies}",
        f"client_output_buffer_limit_disconnections:{s.output_limit_disconnections}",
    ]


def _replication(server) -> list[str]:
    return ["role:master", "connected_slaves:0", "master_failover_state:no-failover",
            f"master_replid:{_REPLID}", "master_replid2:" + "0" * 40, "master_repl_offset:0",
            "second_repl_offset:-1", "repl_backlog_active:0", "repl_backlog_size:1048576",
            "repl_backlog_first_byte_offset:0", "repl_backlog_histlen:0"]


def _cpu(server) -> list[str]:
    t = os.times()
    return [f"used_cpu_sys:{t.system:.6f}", f"used_cpu_user:{t.user:.6f}",
            "used_cpu_sys_children:0.000000", "used_cpu_user_children:0.000000"]


def _commandstats(server) -> list[str]:
    return [f"cmdstat_{name}:calls={calls},usec=0,usec_per_call=0.00,"
            f"rejected_calls={rejected},failed_calls={failed}"
            for name, (calls, rejected, failed) in sorted(server.stats.commands.items())]


def _errorstats(server) -> list[str]:
    return [f"errorstat_{prefix.decode('utf-8', 'replace')}:count={count}"
            for prefix, count in sorted(server.stats.errors.items())]


def _keyspace(server) -> list[str]:
    return [f"db{db.index}:keys={len(db.live_keys())},expires={len(db.expires)},avg_ttl=0"
            for db in server.engine.dbs if len(db)]


SECTIONS = {
    "server": _server, "clients": _clients, "memory": _memory, "persistence": _persistence,
    "stats": _stats, "replication": _replication, "cpu": _cpu, "modules": lambda s: [],
    "commandstats": _commandstats, "errorstats": _errorstats,
    "cluster": lambda s: ["cluster_enabled:0"], "keyspace": _keyspace,
}


# -- CONFIG -------------------------------------------------------------------------------------

def config_set(server, args):
    pairs = args[2:]
    if len(pairs) % 2:
        raise CommandError(errors.wrong_arity("config|set"))
    for i in range(0, len(pairs), 2):
        name = pairs[i].decode("utf-8", "surrogateescape").lower()
        try:
            problem = server.config.set(name, pairs[i + 1])
        except KeyError:
            raise CommandError(errors.sanitize(
                f"ERR Unknown option or number of arguments for CONFIG SET - '{name}'")) from None
        if problem:
            raise CommandError(f"ERR CONFIG SET failed (possibly related to argument '{name}') "
                               f"- {problem}")
        if name == "proto-max-bulk-len":
            for conn in server.connections.values():
                conn.reader.proto_max_bulk_len = server.options.proto_max_bulk_len
    return OK


# -- CLIENT -------------------------------------------------------------------------------------

def client_reply(server, client, args):
    mode = args[2].lower()
    conn = server.connections[client]
    if mode == b"skip":
        conn.skip = True
    elif mode in (b"on", b"off"):
        conn.reply_mode = mode
    else:
        raise CommandError(errors.SYNTAX)
    return OK if mode == b"on" else NO_REPLY


def on_off(arg: bytes):
    if arg.lower() not in (b"on", b"off"):
        raise CommandError(errors.SYNTAX)
    return OK


def client_kill(server, client, args):
    """CLIENT KILL addr | CLIENT KILL [ID id] [ADDR a] [LADDR a] [TYPE t] [USER u] [SKIPME y/n]."""
    conns = list(server.connections.items())
    if len(args) == 3:
        addr = args[2].decode("utf-8", "surrogateescape")
        victims = [(c, conn) for c, conn in conns if conn.addr == addr]
        if not victims:
            raise CommandError("ERR No such client")
        _kill(server, client, victims)
        return OK
    filters = args[2:]
    if len(filters) % 2:
        raise CommandError(errors.SYNTAX)
    skipme = True
    tests = []
    for i in range(0, len(filters), 2):
        opt, value = filters[i].lower(), filters[i + 1]
        if opt == b"id":
            wanted = parse_ll(value)
            if wanted is None or wanted <= 0:
                raise CommandError("ERR client-id should be greater than 0")
            tests.append(lambda c, conn, w=wanted: c.id == w)
        elif opt == b"addr":
            tests.append(lambda c, conn, v=value.decode(): conn.addr == v)
        elif opt == b"laddr":
            tests.append(lambda c, conn, v=value.decode(): c.peer is not None and c.peer[1] == v)
        elif opt == b"type":
            kind = value.lower()
            if kind not in (b"normal", b"pubsub", b"master", b"slave", b"replica"):
                raise CommandError(errors.sanitize(
                    f"ERR Unknown client type '{value.decode('utf-8', 'replace')}'"))
            if kind == b"normal":
                tests.append(lambda c, conn: not c.in_pubsub_mode)
            elif kind == b"pubsub":
                tests.append(lambda c, conn: c.in_pubsub_mode)
            else:
                tests.append(lambda c, conn: False)
        elif opt == b"user":
            if value != b"default":
                raise CommandError(errors.sanitize(
                    f"ERR No such user '{value.decode('utf-8', 'replace')}'"))
        elif opt == b"skipme":
            if value.lower() not in (b"yes", b"no"):
                raise CommandError(errors.SYNTAX)
            skipme = value.lower() == b"yes"
        else:
            raise CommandError(errors.SYNTAX)
    victims = [(c, conn) for c, conn in conns
               if all(test(c, conn) for test in tests) and not (skipme and c is client)]
    _kill(server, client, victims)
    return len(victims)


def _kill(server, caller, victims) -> None:
    for target, conn in victims:
        if target is caller:
            target.disconnect()   # the connection closes once this reply is written
        else:
            conn.close()


# -- the rest -----------------------------------------------------------------------------------

def function_flush(args):
    if len(args) > 3 or (len(args) == 3 and args[2].lower() not in (b"async", b"sync")):
        raise CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
    return OK  # the lab has no functions: there is nothing to flush


DEBUG_REFUSED = ("ERR DEBUG command not allowed. If the enable-debug-command option is set to "
                 "\"local\", you can run it from a local connection, otherwise you need to set "
                 "this option in the configuration file, and then restart the server.")


def debug(server, client, args):
    """DEBUG SLEEP seconds only, and as in Redis 7.0 only with enable-debug-command."""
    allowed = server.options.enable_debug_command
    local = client.peer is not None and is_local(client.peer[0])
    if allowed == "no" or (allowed == "local" and not local):
        raise CommandError(DEBUG_REFUSED)
    if args[1].lower() != b"sleep" or len(args) != 3:
        raise CommandError("ERR DEBUG subcommand not supported by redis-lab (only DEBUG SLEEP)")
    try:
        seconds = float(args[2])
    except ValueError:
        raise CommandError("ERR value is not a valid float") from None
    time.sleep(max(0.0, min(seconds, 10.0)))  # like Redis, the whole server waits
    return OK


def is_local(addr: str) -> bool:
    host = addr.rsplit(":", 1)[0].strip("[]")
    return host.startswith("127.") or host == "::1"


def lab_clock(server, args):
    """LAB CLOCK -> [virtual 0/1, now ms]; LAB CLOCK ADVANCE ms (virtual clock only)."""
    clock = server.engine.clock
    if len(args) == 2:
        return [int(clock.virtual), clock.now_ms()]
    if len(args) == 4 and args[2].lower() == b"advance":
        ms = parse_ll(args[3])
        if ms is None or ms < 0:
            raise CommandError("ERR milliseconds must be a non-negative integer")
        if not clock.virtual:
            raise CommandError("ERR the clock is the wall clock (start with --virtual-clock)")
        clock.advance(ms)
        return clock.now_ms()
    raise CommandError(errors.SYNTAX)



def lab_snapshot(server, snapshots: dict, args):
    """Copy every database's keys and expiries (the connections are not part of it)."""
    if len(args) > 3:
        raise CommandError(errors.SYNTAX)
    name = args[2] if len(args) == 3 else b"default"
    snapshots[name] = [({k: copy_value(v) for k, v in db.data.items()}, dict(db.expires))
                       for db in server.engine.dbs]
    return OK


def lab_restore(server, snapshots: dict, args):
    """Refill the databases from a snapshot. Clients blocked on a key that changed are re-checked
    (served, or told the stream is gone) and WATCHed keys count as touched, as after any write."""
    if len(args) > 3:
        raise CommandError(errors.SYNTAX)
    name = args[2] if len(args) == 3 else b"default"
    saved = snapshots.get(name)
    if saved is None:
        raise CommandError(f"ERR no snapshot named '{name.decode('utf-8', 'replace')}'")
    engine = server.engine
    for db, (data, expires) in zip(engine.dbs, saved):
        changed = set(db.data) | set(data)
        db.data.clear()
        db.data.update({k: copy_value(v) for k, v in data.items()})
        db.expires.clear()
        db.expires.update(expires)
        for key in changed:
            engine.signal_ready(db.index, key)
            engine.touch(db.index, key)
    return OK

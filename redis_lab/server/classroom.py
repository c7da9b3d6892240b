"""Classroom mode (``redis-lab serve --classroom``): one server, one private engine per student.

Why rooms are whole engines: a student's keys, channels, clients (and their ids), consumer
groups and virtual clock must not collide with anyone else's, and every Redis client must work
unchanged. Giving each user an :class:`~redis_lab.Engine` of their own makes every command
(KEYS, PUBSUB CHANNELS, CLIENT LIST, SELECT, INFO keyspace...) confined by construction, with
no per-command filtering to forget.

How a connection finds its room: it starts in the server's own engine (the lobby), where a
password is set so that everything but AUTH/HELLO answers Redis's NOAUTH. ``AUTH name pass``
(or ``HELLO 3 AUTH name pass``, which is what redis-py sends for a username) checks the pair
and moves the connection to a fresh client of that user's room engine. Users:

* ``teacher`` (teacher password): a sandbox of their own, plus ``LAB ROOMS``, ``LAB CLASS``,
  ``LAB RESET name`` and ``LAB PEEK name <read-only command>``.
* ``class`` (class password): the shared room everyone can join for fan-out demos.
* any other name: that student's sandbox. Without a roster the class password lets a student
  pick any name (trust-based: whoever says "alice" works in alice's sandbox); with a roster
  only listed names are accepted, each with its own generated password.

Per-room limits (keys, stream length, approximate memory, commands per second) are checked by
wrapping the room's command handlers, so they hold inside MULTI/EXEC as well. The teacher's own
sandbox is not limited. A student's shell reports lesson progress with ``LAB PROGRESS``.

With ``--data DIR`` every room is a durable engine (:mod:`redis_lab.persistence`) with an AOF of
its own in ``DIR/rooms/<name>/``, opened when the user first logs in (a restarted server reloads
it then); ``LAB RESET name`` removes that directory too. Names can be used as directory names
because :data:`NAME` admits no separator and no leading dot; :func:`room_dir` checks it again.
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from .. import Engine
from ..commands import connection as connection_commands
from ..commands.table import Command
from ..model import errors
from ..model.clock import VirtualClock
from ..model.errors import CommandError
from ..model.numbers import parse_ll
from ..model.reply import OK
from ..model.stream import Stream
from .commands import install
from .config import Config

TEACHER = "teacher"
CLASS = "class"
RESERVED = frozenset({TEACHER, CLASS, "default"})
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
MEASURE_EVERY = 64   # denyoom commands between two estimates (in between: argument sizes added)

#: What LAB PEEK runs besides commands the table flags readonly: introspection Redis does not
#: flag readonly (it flags them pubsub/admin), but which change nothing.
PEEKABLE = frozenset({"pubsub|channels", "pubsub|numsub", "pubsub|numpat",
                      "pubsub|shardchannels", "pubsub|shardnumsub", "client|list", "client|info",
                      "info"})


class ClassroomError(ValueError):
    """A classroom setting that cannot be used (bad roster file): one line for the teacher."""


def room_dir(data_dir: str | os.PathLike, name: str) -> Path:
    """Where room ``name`` keeps its AOF under ``--data DIR``: ``DIR/rooms/<name>``.

    Only names :data:`NAME` accepts (teacher and class match it too) can be there: letters,
    digits, ``_ . -``, never a separator, never starting with a dot, so no name reaches out of
    ``DIR/rooms``. Checked here again because a path is at stake."""
    rooms = Path(data_dir).resolve() / "rooms"
    path = rooms / name
    if not NAME.fullmatch(name) or path.parent != rooms or path.name != name:
        raise CommandError(errors.sanitize(f"ERR '{name}' cannot name a sandbox directory"))
    return path


def load_roster(path: str) -> tuple[list[str], dict[str, str], Path]:
    """The roster's names and one password per name, kept in ``<roster>.passwords`` (mode 0600).

    Passwords already in that file are kept (a restarted server keeps the slips handed out);
    names new to the roster get a fresh one. Returns (names, passwords, passwords file)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ClassroomError(f"cannot read roster {path}: {exc.strerror or exc}") from None
    names: list[str] = []
    for number, line in enumerate(lines, 1):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if not NAME.fullmatch(name) or name in RESERVED:
            raise ClassroomError(f"{path}:{number}: '{name}' cannot be a student name "
                                 "(letters, digits, _ . - up to 32; not teacher/class/default)")
        if name not in names:
            names.append(name)
    secret_file = Path(path + ".passwords")
    passwords: dict[str, str] = {}
    if secret_file.exists():
        for line in secret_file.read_text(encoding="utf-8").splitlines():
            name, _, password = line.partition(" ")
            if name and password:
                passwords[name] = password
    changed = False
    for name in names:
        if name not in passwords:
            passwords[name] = secrets.token_urlsafe(9)
            changed = True
    passwords = {name: passwords[name] for name in names}
    if changed or not secret_file.exists():
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("".join(f"{name} {password}\n" for name, password in passwords.items()))
    os.chmod(secret_file, 0o600)
    return names, passwords, secret_file


class _RoomServer:
    """The server as one room sees it: INFO, CONFIG, CLIENT KILL and LAB CLOCK (the server's
    commands, :mod:`.commands`) read ``engine`` and ``connections`` through this, so they see the
    room's engine and only the room's connections. Everything else is the real server."""

    def __init__(self, server, engine: Engine) -> None:
        from .app import Stats

        self._server = server
        self.engine = engine
        self.stats = Stats()   # INFO stats/commandstats/errorstats count this room only
        # A copy of the options: a student's CONFIG SET maxclients changes nothing shared.
        self.config = Config(dataclasses.replace(server.options,
                                                 limits=dict(server.options.limits)), engine)

    @property
    def connections(self) -> dict:
        engine = self.engine
        return {c: conn for c, conn in self._server.connections.items() if c.engine is engine}

    def __getattr__(self, name: str):
        return getattr(self._server, name)


class Room:
    """One user's engine and what the teacher sees of it."""

    def __init__(self, name: str, engine: Engine) -> None:
        self.name = name
        self.engine = engine
        self.limited = name != TEACHER
        self.last_command = ""
        self.last_command_at: float | None = None   # wall seconds
        self.window = 0                             # the second being counted
        self.count = 0                              # commands in that second
        self.memory = 0                             # last estimate, bytes
        self.until_measure = 0
        self.view: _RoomServer | None = None        # the server as this room sees it

    def keys(self) -> int:
        return sum(len(db.data) for db in self.engine.dbs)


def estimate_memory(engine: Engine) -> int:
    """An approximation of what the room holds, in bytes: keys and values by their sizes
    (a stream by its listpacks' sizes as Redis counts them), plus a fixed cost per entry of a
    consumer group's PEL. Good enough to stop a runaway loop, not an exact used_memory."""
    total = 0
    for db in engine.dbs:
        for key, value in db.data.items():
            total += len(key) + 48
            if type(value) is bytes:
                total += len(value)
            elif type(value) is Stream:
                total += sum(node.byte_size for node in value.nodes)
                total += sum(64 + 40 * len(group.pel) for group in value.groups.values())
            else:
                total += 64
    return total


class Classroom:
    """The rooms of a ``--classroom`` server, its users and their passwords, and progress."""

    def __init__(self, server) -> None:
        self.server = server
        options = server.options
        self.class_password = options.class_password or secrets.token_urlsafe(6)
        self.teacher_password = options.teacher_password or secrets.token_urlsafe(9)
        self.generated = [who for who, given in (("class", options.class_password),
                                                 ("teacher", options.teacher_password))
                          if not given]
        self.roster: dict[str, str] | None = None
        self.roster_file: Path | None = None
        if options.roster:
            _, self.roster, self.roster_file = load_roster(options.roster)
        self.rooms: dict[str, Room] = {}
        self.by_engine: dict[int, Room] = {}
        self.progress: dict[str, dict] = {}   # student -> lesson, task, tries, hints, at
        self.data_dir = options.data_dir      # --data: one AOF per room under DIR/rooms/
        if self.data_dir is not None:
            try:
                (Path(self.data_dir) / "rooms").mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ClassroomError(f"cannot use --data {self.data_dir}: "
                                     f"{exc.strerror or exc}") from None
        lobby = server.engine
        lobby.requirepass = secrets.token_bytes(32)   # nobody is anyone before AUTH
        lobby.commands = self._with_login(lobby.commands)

    def ready_lines(self) -> list[str]:
        """What the server log says at start: where students go, passwords it made up."""
        lines = []
        if "class" in self.generated:
            lines.append(f"classroom: class password (generated): {self.class_password}")
        if "teacher" in self.generated:
            lines.append(f"classroom: teacher password (generated): {self.teacher_password}")
        if self.roster_file is not None:
            lines.append(f"classroom: {len(self.roster)} students on the roster; their passwords "
                         f"are in {self.roster_file} (readable by you only)")
        if self.data_dir is not None:
            lines.append(f"classroom: each sandbox is kept in {Path(self.data_dir) / 'rooms'}"
                         "/<name>/appendonly.aof, reloaded when its user logs in")
        return lines

    def engines(self) -> list[Engine]:
        return [room.engine for room in self.rooms.values()]

    # -- users ---------------------------------------------------------------------------------
    def check(self, user: bytes, password: bytes) -> str:
        """The room ``user`` may enter with ``password``, or CommandError(WRONGPASS)."""
        name = user.decode("utf-8", "replace")
        given = password.decode("utf-8", "replace")
        if name == TEACHER:
            wanted = self.teacher_password
        elif name == CLASS:
            wanted = self.class_password
        elif self.roster is not None:
            wanted = self.roster.get(name)
        elif NAME.fullmatch(name) and name not in RESERVED:
            wanted = self.class_password
        else:
            wanted = None
        if wanted is None or not secrets.compare_digest(given.encode(), wanted.encode()):
            raise CommandError(errors.WRONGPASS)
        return name

    def room(self, name: str) -> Room:
        """The room called ``name``, made on first use (a student's counts toward the cap)."""
        room = self.rooms.get(name)
        if room is not None:
            return room
        cap = self.server.options.max_students
        if name not in (TEACHER, CLASS) and cap and self.students() >= cap:
            raise CommandError(f"ERR the class is full ({cap} students, --max-students)")
        from .app import VIRTUAL_CLOCK_START_MS

        options = self.server.options
        clock = VirtualClock(VIRTUAL_CLOCK_START_MS) if options.virtual_clock else None
        engine = self._open_engine(name, clock) if self.data_dir is not None \
            else Engine(clock=clock)
        room = Room(name, engine)
        room.view = _RoomServer(self.server, engine)
        table = install(room.view, engine.commands)
        table = self._with_lab(self._with_login(table), room)
        engine.commands = self._limited(table, room) if room.limited else table
        engine.output_listeners.append(self.server._on_output)
        self.rooms[name] = room
        self.by_engine[id(engine)] = room
        return room

    def _open_engine(self, name: str, clock) -> Engine:
        """Room ``name``'s durable engine, its AOF replayed: refused in one Redis-style line
        (the login fails, nothing is half made) when the file cannot be loaded.

        No group commit: the server's reply path syncs only the lobby's AOF, so under
        ``appendfsync always`` each room fsyncs every write itself, before its reply."""
        from ..persistence import AofLoadError, open_durable_engine

        path = room_dir(self.data_dir, name)
        try:
            engine = open_durable_engine(path, self.server.options.appendfsync, clock=clock)
        except (AofLoadError, OSError) as exc:
            self.server.log(f"classroom: cannot load {name}'s sandbox: {exc}")
            raise CommandError(errors.sanitize(
                f"ERR cannot load {name}'s sandbox: its file is damaged or unreadable "
                "(the server log says where)")) from None
        for warning in engine.aof.report.warnings:
            self.server.log(f"classroom: {name}'s sandbox: {warning}")
        return engine

    def close(self) -> None:
        """At server stop: flush and close every room's AOF (fsync what is left, as Redis)."""
        for room in self.rooms.values():
            if room.engine.aof is not None:
                room.engine.aof.close()

    def students(self) -> int:
        return sum(1 for name in self.rooms if name not in (TEACHER, CLASS))

    def room_of(self, client) -> Room | None:
        return self.by_engine.get(id(client.engine))

    def stats_for(self, client):
        room = self.by_engine.get(id(client.engine))
        return room.view.stats if room is not None else self.server.stats

    def login(self, client, user: bytes, password: bytes):
        """Move ``client``'s connection into ``user``'s room; return the client it now has."""
        name = self.check(user, password)
        current = self.room_of(client)
        if current is not None and current.name == name:
            client.authenticated = True
            return client
        room = self.room(name)
        server = self.server
        conn = server.connections.get(client)
        if conn is None:
            raise CommandError("ERR classroom login needs a network connection")
        moved = room.engine.client(client.label)
        moved.peer, moved.resp, moved.name = client.peer, client.resp, client.name
        moved.authenticated = True
        del server.connections[client]
        server.dirty.pop(client, None)
        server.connections[moved] = conn
        conn.client = moved
        client.disconnect()
        client.engine.clients.pop(client.label, None)
        return moved

    def _with_login(self, table: dict[bytes, Command]) -> dict[bytes, Command]:
        """``table`` with AUTH and HELLO ... AUTH choosing a room instead of checking
        requirepass."""
        table = dict(table)
        hello = table[b"hello"].handler

        def auth(client, args):
            if len(args) > 3:
                raise CommandError(errors.SYNTAX)
            user, password = (b"default", args[1]) if len(args) == 2 else (args[1], args[2])
            self.login(client, user, password)
            return OK

        def hello_auth(client, args):
            version = parse_ll(args[1]) if len(args) > 1 else None
            if version not in (2, 3):
                return hello(client, args)   # Redis's own errors (or no AUTH to handle)
            rest, login, j = list(args[:2]), None, 2
            while j < len(args):
                word = args[j].lower()
                if word == b"auth" and len(args) - 1 - j >= 2:
                    login = (args[j + 1], args[j + 2])
                    j += 3
                elif word == b"setname" and len(args) - 1 - j >= 1:
                    rest += args[j:j + 2]
                    j += 2
                else:
                    return hello(client, args)   # a syntax error, exactly as Redis says it
            if login is None:
                return hello(client, args)
            moved = self.login(client, *login)
            value = hello(moved, rest)
            client.resp = moved.resp   # the reply is encoded for the protocol just chosen
            return value

        table[b"auth"] = dataclasses.replace(table[b"auth"], handler=auth)
        table[b"hello"] = dataclasses.replace(table[b"hello"], handler=hello_auth)
        return table

    # -- LAB ROOMS / CLASS / RESET / PEEK / PROGRESS -------------------------------------------
    def _with_lab(self, table: dict[bytes, Command], room: Room) -> dict[bytes, Command]:
        container = table.get(b"lab") or Command(name="LAB", fullname="lab", arity=-2,
                                                 group="server")
        subcommands = dict(container.subcommands)
        for name, arity, handler, summary in (
                ("ROOMS", 2, self.lab_rooms, "Teacher: every student's sandbox and progress."),
                ("CLASS", 2, self.lab_class, "Teacher: how many students reached each task."),
                ("RESET", 3, self.lab_reset, "Teacher: empty a student's sandbox."),
                ("PEEK", -4, self.lab_peek, "Teacher: a read-only command in a sandbox."),
                ("PROGRESS", 6, self.lab_progress,
                 "Student: LAB PROGRESS lesson task tries hints.")):
            subcommands[name.lower().encode()] = Command(
                name=f"LAB {name}", fullname=f"lab|{name.lower()}", arity=arity,
                handler=handler, group="server", summary=summary)
        table[b"lab"] = dataclasses.replace(container, subcommands=subcommands)
        return table

    def _teacher(self, client, args) -> None:
        room = self.room_of(client)
        if room is None or room.name != TEACHER:
            sub = args[1].decode("utf-8", "replace").lower()
            raise CommandError(errors.sanitize(
                f"NOPERM this user has no permissions to run the 'lab|{sub}' command"))

    def _student(self, args) -> Room:
        """The room LAB RESET / PEEK name: a student's, or the shared ``class`` room."""
        name = args[2].decode("utf-8", "replace")
        room = self.rooms.get(name)
        if room is None or name == TEACHER:
            raise CommandError(errors.sanitize(f"ERR no such student '{name}'"))
        return room

    def lab_rooms(self, client, args) -> list:
        """LAB ROOMS: one flat field/value array per room (students, then class), like XINFO."""
        self._teacher(client, args)
        now = time.time()
        server = self.server
        names = sorted(set(self.rooms) | set(self.progress) | set(self.roster or ()))
        names = [n for n in names if n not in (TEACHER, CLASS)]
        if CLASS in self.rooms:
            names.append(CLASS)
        out = []
        for name in names:
            room = self.rooms.get(name)
            engine = room.engine if room is not None else None
            clients = sum(1 for c in server.connections if c.engine is engine)
            progress = self.progress.get(name, {})
            seen = room.last_command_at if room is not None else None
            at = progress.get("at")
            out.append([
                b"name", name.encode(), b"clients", clients,
                b"keys", room.keys() if room is not None else 0,
                b"lesson", progress.get("lesson", b""), b"task", progress.get("task", 0),
                b"tries", progress.get("tries", 0), b"hints", progress.get("hints", 0),
                b"last-command", (room.last_command if room is not None else "").encode(),
                b"idle-ms", -1 if seen is None else int((now - seen) * 1000),
                b"progress-age-ms", -1 if at is None else int((now - at) * 1000),
            ])
        return out

    def lab_class(self, client, args) -> list:
        """LAB CLASS: [lesson, task, students who finished it] for every task anyone finished
        (a student working on task N has finished tasks 1..N-1)."""
        self._teacher(client, args)
        finished: dict[tuple[bytes, int], int] = {}
        for progress in self.progress.values():
            lesson, task = progress["lesson"], progress["task"]
            for n in range(1, task):
                finished[(lesson, n)] = finished.get((lesson, n), 0) + 1
        return [[lesson, task, count] for (lesson, task), count in sorted(finished.items())]

    def lab_reset(self, client, args):
        """LAB RESET name: the student's connections are closed and their sandbox starts over
        empty on the next AUTH (progress is kept: it is the student's, not the sandbox's).
        With ``--data`` the sandbox's directory goes too, even when its student has not logged
        in since the server started: renamed aside first (one atomic step that either happens
        or leaves everything as it was), then removed."""
        self._teacher(client, args)
        name = args[2].decode("utf-8", "replace")
        saved = self._saved(name)
        room = self._student(args) if saved is None else self.rooms.get(name)
        trash = None
        if saved is not None:
            trash = saved.with_name(f".reset-{os.getpid()}-{secrets.token_hex(4)}-{name}")
            try:
                saved.rename(trash)
            except OSError as exc:
                raise CommandError(errors.sanitize(
                    f"ERR cannot reset {name}'s sandbox: {exc.strerror or exc}")) from None
        if room is not None:
            if room.engine.aof is not None:
                room.engine.aof.close()
            server = self.server
            for victim, conn in list(server.connections.items()):
                if victim.engine is room.engine:
                    conn.close()
            del self.rooms[room.name]
            del self.by_engine[id(room.engine)]
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)
        return OK

    def _saved(self, name: str) -> Path | None:
        """A sandbox's directory under ``--data`` when there is one, loaded or not (the
        teacher's own is no student's)."""
        if self.data_dir is None or name == TEACHER or not NAME.fullmatch(name):
            return None
        path = room_dir(self.data_dir, name)
        return path if path.is_dir() else None

    def lab_peek(self, client, args):
        """LAB PEEK name command...: run a read-only command as an invisible observer in the
        student's sandbox (no client id taken, nothing refreshed, no limit counted)."""
        self._teacher(client, args)
        room = self._student(args)
        command = args[3:]
        table = room.engine.commands
        cmd = table.get(command[0].lower())
        if cmd is not None and cmd.subcommands and len(command) > 1:
            cmd = cmd.subcommands.get(command[1].lower(), cmd)
        blocking = any(word.lower() == b"block" for word in command)
        if cmd is None or blocking or not ("readonly" in cmd.flags or cmd.fullname in PEEKABLE):
            shown = " ".join(w.decode("utf-8", "replace") for w in command[:2])
            raise CommandError(errors.sanitize(
                f"ERR LAB PEEK runs read-only commands only ('{shown}' is not one)"))
        return room.engine.introspect(command)

    def lab_progress(self, client, args):
        """LAB PROGRESS lesson task tries hints: what the student's shell reports (task: the one
        being worked on, tasks + 1 when the lesson is done; tries and hints: on that task)."""
        room = self.room_of(client)
        if room is None or room.name in (TEACHER, CLASS):
            raise CommandError("ERR LAB PROGRESS is sent from a student's own connection")
        numbers = [parse_ll(a) for a in args[3:6]]
        if any(n is None or n < 0 for n in numbers):
            raise CommandError("ERR task, tries and hints must be non-negative integers")
        task, tries, hints = numbers
        self.progress[room.name] = {"lesson": bytes(args[2]), "task": task, "tries": tries,
                                    "hints": hints, "at": time.time()}
        return OK

    # -- limits --------------------------------------------------------------------------------
    def _limited(self, table: dict[bytes, Command], room: Room) -> dict[bytes, Command]:
        """``table`` with every handler checking the room's limits first."""
        def wrap(cmd: Command) -> Command:
            if cmd.subcommands:
                return dataclasses.replace(cmd, subcommands={
                    k: wrap(v) for k, v in cmd.subcommands.items()})
            if cmd.handler is None:
                return cmd
            return dataclasses.replace(cmd, handler=self._guard(cmd, room))

        return {name: wrap(cmd) for name, cmd in table.items()}

    def _guard(self, cmd: Command, room: Room):
        handler = cmd.handler
        options = self.server.options
        denyoom = "denyoom" in cmd.flags
        is_xadd = cmd.fullname == "xadd"
        key_at = 2 if "|" in cmd.fullname else 1
        fullname = cmd.fullname

        def guarded(client, args):
            if client.hidden:
                return handler(client, args)
            now = time.time()
            second = int(now)
            if second != room.window:
                room.window, room.count = second, 0
            room.count += 1
            cap = options.max_commands_per_second
            if cap and room.count > cap:
                raise CommandError(f"ERR classroom limit: more than {cap} commands in one second "
                                   "from this student; slow down")
            if not fullname.startswith("lab|"):
                room.last_command, room.last_command_at = fullname, now
            if denyoom:
                self._check_write(room, client, args, key_at, is_xadd)
            return handler(client, args)

        return guarded

    def _check_write(self, room: Room, client, args, key_at: int, is_xadd: bool) -> None:
        options = self.server.options
        key = args[key_at] if len(args) > key_at else None
        value = client.db.data.get(key) if key is not None else None
        if options.max_keys and value is None and room.keys() >= options.max_keys:
            raise CommandError(f"ERR classroom limit: this sandbox already holds "
                               f"{options.max_keys} keys (the most a student may have); "
                               "delete some first")
        cap = options.max_stream_length
        if (is_xadd and cap and type(value) is Stream and value.length >= cap
                and not any(w.lower() in (b"maxlen", b"minid") for w in args[2:])):
            shown = key.decode("utf-8", "replace")
            raise CommandError(errors.sanitize(
                f"ERR classroom limit: stream '{shown}' already holds {cap} entries (the most "
                "a student's stream may hold); trim it with XTRIM or XADD MAXLEN"))
        if options.max_memory:
            room.until_measure -= 1
            if room.until_measure <= 0 or room.memory >= options.max_memory:
                room.memory = estimate_memory(room.engine)   # exact again, deletes counted
                room.until_measure = MEASURE_EVERY
            if room.memory < options.max_memory:
                room.memory += sum(len(a) for a in args)   # until the next estimate
                return
            raise CommandError(f"OOM classroom limit: this sandbox holds about {room.memory} "
                               f"bytes (at most {options.max_memory} per student); delete "
                               "some keys first")

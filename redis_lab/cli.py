"""The ``redis-lab`` command line: the interactive shell, or commands from -c, a file or stdin.

    redis-lab                         the shell (when stdin and stdout are terminals)
    echo PING | redis-lab             commands from stdin, one per line
    redis-lab -c "PUBLISH chat hi"    commands from the arguments (-c may be repeated)
    redis-lab run lesson.redis        commands from a file ('#' lines and blank lines skipped)

Output mirrors redis-cli's interactive (--no-raw) output everywhere, piped or not: ``PONG``,
``"value"``, ``(integer) 3``, ``(nil)``, ``(error) ERR ...``. What other clients receive is
labelled (``alice ◂ 1) "message"``). ``--strict`` makes the exit status 1 when a command
returned an error. The clock is the wall clock unless ``--virtual-clock`` is given.

Other front doors (lessons, demo, bench) attach to the ``cli`` group as subcommands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from . import __version__
from .app import make_session
from .app.script import run_lines
from .settings import Environment, Settings

__all__ = ["Settings", "cli", "main", "make_session", "run_lines"]

def _read_stdin() -> Iterable[str]:
    yield from sys.stdin


def _exit_run(lines: Iterable[str], settings: Settings, source: str | None = None) -> None:
    try:
        status = run_lines(lines, settings, source=source)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            os._exit(0)
    sys.exit(status)


def _interactive() -> bool:
    return Environment.detect().interactive


def _start_shell(settings: Settings) -> None:
    from .app import start_shell

    sys.exit(start_shell(settings))


# ------------------------------------------------------------------------------------------------
# click
# ------------------------------------------------------------------------------------------------

def _a_number(value: float, param) -> float:
    """click's FloatRange lets NaN through (every comparison with it is false)."""
    if value != value:
        raise click.BadParameter("not a number", param=param)
    return value


def _common_options(func):
    options = [
        click.option("--virtual-clock", "virtual_clock", is_flag=True, default=None,
                     help="Use a virtual clock that moves only with :advance (deterministic "
                          "stream IDs). Starts at 2023-11-14 22:13:20 UTC unless --clock-start."),
        click.option("--clock-start", type=click.IntRange(0, 2**63 - 1),  # Redis's ms clock
                     default=None, metavar="MS",
                     help="Start the virtual clock at MS milliseconds since the epoch "
                          "(implies --virtual-clock)."),
        click.option("--strict", is_flag=True, default=None,
                     help="Exit with status 1 if any command returned an error."),
        click.option("--width", type=click.IntRange(20, 1000), default=None, metavar="N",
                     help="Render help and views N columns wide (default: the terminal's)."),
        click.option("--no-color", "no_color", is_flag=True, default=None,
                     help="No colours (also when NO_COLOR is set)."),
        click.option("--echo", is_flag=True, default=None,
                     help="Scripts: print each command, prompt-style, before its output."),
        click.option("--raw/--no-raw", "raw", default=None,
                     help="Print replies as redis-cli --raw does, or (--no-raw, the default) as "
                          "redis-cli prints them at its prompt."),
        click.option("--utf8", is_flag=True, default=None,
                     help="Show strings that are valid UTF-8 decoded (\"café\"), not escaped."),
        click.option("--theme", type=click.Choice(["dark", "light", "mono", "projector"]),
                     default=None, help="Colours: dark (default), light, mono, or projector "
                                        "(high contrast, no dim text, bold prompts)."),
        click.option("--screen-reader", "screen_reader", is_flag=True, default=None,
                     help="Lessons and demos as linear text: no box drawing, views as labelled "
                          "plain lines, no redraw."),
        click.option("--no-pager", "no_pager", is_flag=True, default=None,
                     help="Never page output taller than the terminal (default: $PAGER or "
                          "less -SRXF)."),
        click.option("--config", "config_file", default=None, metavar="FILE",
                     type=click.Path(dir_okay=False),
                     help="Read defaults from FILE instead of the platform's config file "
                          "(~/.config/redis-lab/config.toml on Linux)."),
        click.option("--redis", "redis_url", default=None, metavar="URL", envvar="REDIS_LAB_URL",
                     help="Work on a real Redis instead of the embedded engine: "
                          "redis://[user:password@]host:port/db, rediss://... (TLS) or "
                          "unix:///path/redis.sock. Also REDIS_LAB_URL."),
        click.option("--cluster", is_flag=True, default=None,
                     help="With --redis: the URL is one node of a Redis Cluster."),
        click.option("--tls-ca", default=None, metavar="FILE", help="CA certificate (rediss://)."),
        click.option("--tls-cert", default=None, metavar="FILE",
                     help="Client certificate (rediss://)."),
        click.option("--tls-key", default=None, metavar="FILE", help="Client key (rediss://)."),
        click.option("--insecure", is_flag=True, default=None,
                     help="rediss://: do not verify the server's certificate."),
        click.option("--force", is_flag=True, default=None,
                     help="Lessons on a real Redis whose database holds keys: go ahead (only the "
                          "lesson's own keys are touched)."),
        click.option("--yes", is_flag=True, default=None,
                     help="On a real Redis, run FLUSHALL, FLUSHDB and DEL of many keys without "
                          "asking first."),
        click.option("--data", "data_dir", default=None, metavar="DIR",
                     type=click.Path(file_okay=False),
                     help="Keep the data in DIR/appendonly.aof (Redis's AOF format) and replay "
                          "it at start: streams and groups survive a restart, pub/sub does not."),
        click.option("--appendfsync", type=click.Choice(["always", "everysec", "no"]),
                     default=None, help="With --data: when the AOF is forced to disk, as in "
                                        "Redis (default everysec)."),
        click.option("--aof-load-truncated", "aof_load_truncated",
                     type=click.Choice(["yes", "no"]), default=None,
                     help="With --data: a cut tail is dropped with a warning (yes, Redis's "
                          "default) or refused (no)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings_from(obj: Settings | None, values: dict) -> Settings:
    settings = Settings(**vars(obj)) if obj is not None else Settings()
    if obj is None or values.get("config_file"):
        from .shell.config import load_into  # the config file first: options win over it

        path = values.get("config_file")
        load_into(settings, Path(path) if path else None, lambda text: click.echo(text, err=True))
    if values.get("virtual_clock"):
        settings.virtual_clock = True
    if values.get("clock_start") is not None:
        settings.clock_start = values["clock_start"]
    if values.get("strict"):
        settings.strict = True
    if values.get("width") is not None:
        settings.width = values["width"]
    if values.get("no_color"):
        settings.color = False
    if values.get("echo"):
        settings.echo = True
    if values.get("raw") is not None:
        settings.raw = values["raw"]
    if values.get("utf8"):
        settings.utf8 = True
    if values.get("no_pager"):
        settings.pager = ""
    if values.get("theme") is not None:
        settings.theme = values["theme"]
    if values.get("screen_reader"):
        settings.screen_reader = True
    for name in ("redis_url", "tls_ca", "tls_cert", "tls_key"):
        if values.get(name) is not None:
            setattr(settings, name, values[name])
    for name in ("cluster", "insecure", "force", "yes"):
        if values.get(name):
            setattr(settings, name, True)
    if values.get("data_dir") is not None:
        settings.data_dir = values["data_dir"]
    if values.get("appendfsync") is not None:
        settings.appendfsync = values["appendfsync"]
    if values.get("aof_load_truncated") is not None:
        settings.aof_load_truncated = values["aof_load_truncated"] == "yes"
    return settings


@click.group(invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-c", "--command", "commands", multiple=True, metavar="LINE",
              help='Run LINE (e.g. -c "@alice SUBSCRIBE chat" -c "PUBLISH chat hi"); repeatable.')
@_common_options
@click.version_option(__version__, "-V", "--version", prog_name="redis-lab")
@click.pass_context
def cli(ctx: click.Context, commands: tuple[str, ...], **options) -> None:
    """Learn Redis Pub/Sub and Streams on an in-process Redis 7.0.

    With no arguments on a terminal: the interactive shell. With stdin from a pipe or file:
    runs its lines. Lines are what you would type in redis-cli, plus '@name COMMAND' (run as
    client 'name'), 'HELP COMMAND' and ':meta' commands (:help lists them).
    """
    settings = _settings_from(None, options)
    ctx.obj = settings
    if ctx.invoked_subcommand is not None:
        if commands:
            raise click.UsageError("-c cannot be combined with a subcommand")
        return
    if commands:
        _exit_run(commands, settings, source="-c")
    if _interactive():
        _start_shell(settings)
    _exit_run(_read_stdin(), settings)


@cli.command("run")
@click.argument("file", type=click.File("r", encoding="utf-8", errors="surrogateescape"))
@_common_options
@click.pass_obj
def run_cmd(obj: Settings, file, **options) -> None:
    """Run the commands in FILE (one per line; '#' comments and blank lines are skipped).

    FILE may be '-' for stdin. Output is what redis-cli prints at its prompt.
    """
    settings = _settings_from(obj, options)
    _exit_run(file, settings, source=None if file.name == "<stdin>" else file.name)


@cli.command("shell")
@_common_options
@click.pass_obj
def shell_cmd(obj: Settings, **options) -> None:
    """Start the interactive shell (what plain `redis-lab` does on a terminal)."""
    _start_shell(_settings_from(obj, options))


def _find_lesson(name: str):
    from .shell.lessoncmds import find_lesson

    lesson, problems = find_lesson(name)
    for problem in problems:
        click.echo(str(problem), err=True)
    if lesson is None:
        raise click.UsageError(f"no lesson {name!r}: `redis-lab lessons` lists them")
    return lesson


@cli.command("lessons")
@click.option("--verify", is_flag=True,
              help="Replay every lesson's reference answers, check its wrong answers are "
                   "rejected; exit 1 naming any lesson that fails.")
@click.option("--reset", "reset", is_flag=False, flag_value="all", default=None, metavar="[N]",
              help="Forget your progress in lesson N (no N: in every lesson).")
@_common_options
@click.pass_obj
def lessons_cmd(obj: Settings, verify: bool, reset: str | None, **options) -> None:
    """List the course's lessons with your progress."""
    from .app import lesson_session_factory
    from .course import frontdoor

    if reset is not None:
        sys.exit(frontdoor.reset_progress(sys.stdout, None if reset == "all" else reset))
    settings = _settings_from(obj, options)
    if verify and settings.remote:
        sys.exit(frontdoor.verify_on_server(sys.stdout, lesson_session_factory(settings)))
    if verify:
        sys.exit(frontdoor.verify_lessons(sys.stdout, lesson_session_factory(settings)))
    sys.exit(frontdoor.list_lessons(sys.stdout))


@cli.command("lesson")
@click.argument("name")
@click.option("--export", "export_file", default=None, metavar="FILE",
              help="Write the transcript of the reference run to FILE (.md, .html or .svg) "
                   "instead of starting the lesson.")
@_common_options
@click.pass_obj
def lesson_cmd(obj: Settings, name: str, export_file: str | None, **options) -> None:
    """Start lesson NAME (a number, a name, or the path of a lesson .md file) in the shell."""
    settings = _settings_from(obj, options)
    lesson = _find_lesson(name)
    if export_file:
        from .app import lesson_session_factory
        from .course import frontdoor

        try:
            frontdoor.export_lesson(lesson, export_file, settings.width,
                                    lesson_session_factory(settings))
        except (ValueError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"wrote {export_file}")
        return
    settings.virtual_clock = True
    from .course.loader import lesson_file

    settings.startup = (f":lesson {lesson_file(name) or lesson.name}",)
    if settings.remote:
        from .app import check_lesson_database

        check_lesson_database(settings)
    if not _interactive():
        _exit_run([*settings.startup, *_read_stdin()], settings)
    _start_shell(settings)


@cli.command("demo")
@click.argument("name")
@click.option("--speed", type=click.FloatRange(0.1, 100), default=1.0, show_default=True,
              callback=lambda ctx, param, value: _a_number(value, param),
              help="Typing speed factor (2 = twice as fast).")
@click.option("--no-pause", is_flag=True, help="Autoplay: do not wait for a key between steps.")
@click.option("--from", "start", type=click.IntRange(1), default=1, metavar="STEP",
              help="Start at step STEP (the lesson's ## headings, from 1).")
@_common_options
@click.pass_obj
def demo_cmd(obj: Settings, name: str, speed: float, no_pause: bool, start: int,
             **options) -> None:
    """Autoplay lesson NAME for a classroom: commands typed out, views updating."""
    from .app import lesson_session_factory
    from .course import frontdoor

    settings = _settings_from(obj, options)
    lesson = _find_lesson(name)
    env = Environment.detect()
    sys.exit(frontdoor.demo(lesson, lesson_session_factory(settings), speed=speed,
                            pause=not no_pause and env.stdin_tty, width=settings.width,
                            color=env.use_color(settings), start=start, theme=settings.theme,
                            screen_reader=settings.screen_reader))


@cli.command("bench", context_settings={"ignore_unknown_options": True,
                                        "allow_extra_args": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench_cmd(args) -> None:
    """Benchmark the engine against fakeredis and redis-server (docs/PERFORMANCE.md)."""
    from .bench import main as bench_main

    sys.exit(bench_main(list(args)))


@cli.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=6380, show_default=True,
              help="TCP port (0: any free port; the ready line says which).")
@click.option("--bind", default="127.0.0.1", show_default=True, metavar="ADDR",
              help="Address(es) to listen on, space-separated, as Redis's bind.")
@click.option("--requirepass", default=None, metavar="PASS",
              help="Clients must AUTH with this password first.")
@click.option("--maxclients", type=click.IntRange(1), default=10000, show_default=True,
              help="Refuse connections beyond this many.")
@click.option("--protected-mode", type=click.Choice(["yes", "no"]), default="yes",
              show_default=True, help="Without a password, refuse non-loopback clients.")
@click.option("--virtual-clock", is_flag=True,
              help="Time moves only with LAB CLOCK ADVANCE (BLOCK timeouts, IDs, idle times).")
@click.option("--dashboard", is_flag=True,
              help="Also draw the live dashboard of the server's clients in this terminal.")
@click.option("--data", "data_dir", default=None, metavar="DIR",
              type=click.Path(file_okay=False),
              help="Keep the data in DIR/appendonly.aof (Redis's AOF format), replayed at start "
                   "(with --classroom: each sandbox in DIR/rooms/NAME/).")
@click.option("--appendfsync", type=click.Choice(["always", "everysec", "no"]),
              default="everysec", show_default=True,
              help="With --data: when the AOF is forced to disk, as in Redis.")
@click.option("--classroom", is_flag=True,
              help="One private sandbox per student (AUTH name password), a shared room "
                   "(user class) and the teacher's LAB commands (user teacher).")
@click.option("--class-password", default=None, metavar="PASS",
              help="With --classroom: students' password (made up and logged if not given).")
@click.option("--teacher-password", default=None, metavar="PASS",
              help="With --classroom: the teacher's password (made up and logged if not given).")
@click.option("--roster", default=None, metavar="FILE", type=click.Path(dir_okay=False),
              help="With --classroom: only these names (one a line), each with a password "
                   "generated into FILE.passwords (mode 0600).")
@click.option("--max-students", type=click.IntRange(0), default=0,
              help="With --classroom: refuse sandboxes beyond this many (0: no cap).")
@click.option("--max-keys", type=click.IntRange(0), default=10_000, show_default=True,
              help="With --classroom: keys per sandbox (0: no cap).")
@click.option("--max-stream-length", type=click.IntRange(0), default=100_000,
              show_default=True, help="With --classroom: entries per stream (0: no cap).")
@click.option("--max-memory", type=click.IntRange(0), default=64 * 1024 * 1024,
              show_default=True, metavar="BYTES",
              help="With --classroom: approximate bytes per sandbox (0: no cap).")
@click.option("--max-commands-per-second", type=click.IntRange(0), default=20_000,
              show_default=True, help="With --classroom: per student (0: no cap).")
def serve_cmd(port: int, bind: str, requirepass: str | None, maxclients: int,
              protected_mode: str, virtual_clock: bool, dashboard: bool, data_dir: str | None,
              appendfsync: str, classroom: bool, class_password: str | None,
              teacher_password: str | None, roster: str | None, max_students: int,
              max_keys: int, max_stream_length: int, max_memory: int,
              max_commands_per_second: int) -> None:
    """Serve the lab's engine over RESP: redis-cli, redis-py and your own programs connect."""
    from .server import ServerOptions, run

    if dashboard:   # the server, and its live dashboard in this terminal
        from .dashboard.serving import serve_with_dashboard

        run = serve_with_dashboard
    if classroom and requirepass:
        raise click.UsageError("--classroom has its own passwords: --requirepass does not apply")
    sys.exit(run(ServerOptions(port=port, bind=bind, requirepass=requirepass,
                               maxclients=maxclients, protected_mode=protected_mode == "yes",
                               virtual_clock=virtual_clock, data_dir=data_dir,
                               appendfsync=appendfsync, classroom=classroom,
                               class_password=class_password, teacher_password=teacher_password,
                               roster=roster, max_students=max_students, max_keys=max_keys,
                               max_stream_length=max_stream_length, max_memory=max_memory,
                               max_commands_per_second=max_commands_per_second)))


@cli.command("check-aof")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--fix", is_flag=True, help="Truncate the file to its last whole command.")
@click.option("-y", "--yes", is_flag=True, help="With --fix: do not ask before truncating.")
def check_aof_cmd(file: str, fix: bool, yes: bool) -> None:
    """Check an AOF file (or a Redis 7 manifest), as redis-check-aof does.

    Prints where the file stops being whole (byte offset and line); --fix truncates it there.
    """
    from .persistence.checkaof import check_aof

    ask = None if yes or not _interactive() else (lambda q: click.confirm(q.rstrip(" [y/N]: ")))
    status, lines = check_aof(file, fix=fix, confirm=ask)
    for line in lines:
        click.echo(line)
    sys.exit(status)


@cli.command("dashboard")
@click.argument("url", default="redis://127.0.0.1:6380")
@click.option("--once", is_flag=True, help="Print one picture and exit (no live refresh).")
@click.option("--width", type=click.IntRange(40), default=None, help="Columns to draw in.")
@click.option("--interval", type=click.FloatRange(0.05), default=0.5, show_default=True,
              help="Seconds between refreshes.")
@click.option("--sort", type=click.Choice(["name", "progress", "stuck"]), default="name",
              show_default=True, help="Classroom: order of the students in the class table.")
@click.option("--export", "export", default=None, metavar="FILE.html",
              type=click.Path(dir_okay=False), help="Write one snapshot as an HTML page.")
@click.option("--student", default=None, metavar="NAME",
              help="Classroom teacher: that student's sandbox (connections, streams, "
                   "channels), read-only through LAB PEEK.")
def dashboard_cmd(url: str, once: bool, width: int | None, interval: float, sort: str,
                  export: str | None, student: str | None) -> None:
    """The teacher's live view of a server: connections, streams' lag and PEL, channels.

    On a ``serve --classroom`` server, as redis://teacher:PASS@host:port: the class table
    (connected, lesson and task, tries, hints, last command, time since progress, stuck)
    and how many students finished each task; --student NAME: one student's sandbox.
    On a terminal the table takes keys: Up/Down choose a student, Enter opens their sandbox,
    Esc or q goes back, s changes the sort, q quits."""
    if export is not None:
        from .dashboard.classroom import export_html

        sys.exit(export_html(url, export, width=width, sort=sort, student=student))
    from .dashboard import run

    sys.exit(run(url, once=once, width=width, interval=interval, sort=sort, student=student))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``redis-lab``) and ``python -m redis_lab``."""
    try:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    from .backends import BackendError

    try:
        cli.main(args=argv, prog_name="redis-lab")
    except BackendError as exc:  # cannot reach the server, wrong password...: one line
        click.echo(f"redis-lab: {exc}", err=True)
        sys.exit(1)

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
from dataclasses import dataclass
from typing import TextIO

import click

from . import __version__

DEFAULT_VIRTUAL_START_MS = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC, as in the tests


@dataclass
class Settings:
    """What the options chose; shared by every front door."""

    virtual_clock: bool = False
    clock_start: int | None = None
    strict: bool = False
    width: int | None = None
    color: bool | None = None     # None: colour when writing to a terminal (and NO_COLOR unset)
    echo: bool = False
    startup: tuple[str, ...] = ()  # lines the shell runs before the first prompt (:lesson N)

    @property
    def virtual(self) -> bool:
        return self.virtual_clock or self.clock_start is not None

    def clock_factory(self):
        if not self.virtual:
            return None
        from .model.clock import VirtualClock

        start = self.clock_start if self.clock_start is not None else DEFAULT_VIRTUAL_START_MS
        return lambda: VirtualClock(start)

    def use_color(self, stream: TextIO) -> bool:
        if self.color is not None:
            return self.color
        if os.environ.get("NO_COLOR"):
            return False
        return _isatty(stream)

    def terminal_width(self) -> int:
        if self.width:
            return self.width
        try:
            return os.get_terminal_size().columns
        except OSError:
            return int(os.environ.get("COLUMNS", "100") or 100)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_session(settings: Settings, *, interactive: bool):
    """A Session wired to the shell's meta-commands and HELP."""
    from .session import Session
    from .shell import help as help_mod
    from .shell import meta

    session = Session(settings.clock_factory(), interactive=interactive)
    session.meta_runner = meta.run_meta
    session.help_renderer = help_mod.help_renderer
    session.settings.update(width=settings.width, color=settings.color,
                            virtual=settings.virtual, strict=settings.strict)
    session.warnings = meta.load_extensions()
    meta.setup_session(session)
    return session


# ------------------------------------------------------------------------------------------------
# Non-interactive runs
# ------------------------------------------------------------------------------------------------

_DIM, _CYAN, _RED, _RESET = "\x1b[2m", "\x1b[36m", "\x1b[31m", "\x1b[0m"


def _paint(item, color: bool, width: int = 100) -> str:
    from .session import label_block, render

    if item.renderable is not None:
        return render(item, width, color)
    if not color:
        return render(item)
    if item.kind == "delivery":
        text = label_block(item.label or "?", item.text)
        prefix_len = len(item.label or "?") + 3
        lines = text.split("\n")
        lines[0] = _CYAN + lines[0][:prefix_len] + _RESET + lines[0][prefix_len:]
        return "\n".join(lines)
    if item.kind in ("blocked", "tip"):
        return _DIM + item.text + _RESET
    if item.kind in ("invalid", "error"):
        return _RED + item.text + _RESET
    return item.text


def run_lines(lines: Iterable[str], settings: Settings, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """Run lines as a script; return the exit status (1 with --strict after an error reply)."""
    from .session import Printed

    out = out or sys.stdout
    err = err or sys.stderr
    color = settings.use_color(out)
    width = settings.width or (settings.terminal_width() if _isatty(out) else 100)
    session = make_session(settings, interactive=False)
    for warning in getattr(session, "warnings", []):
        err.write(f"warning: {warning}\n")
    failed = False

    def emit(items: list[Printed]) -> None:
        for item in items:
            if item.kind in ("tip", "exit"):
                continue
            out.write(_paint(item, color, width) + "\n")
        out.flush()

    for raw in lines:
        text = raw.rstrip("\r\n")
        if settings.echo and text.strip() and not text.lstrip().startswith("#"):
            out.write(f"{session.current}> {text.strip()}\n")
        try:
            result = session.run_line(text)
        except Exception as exc:  # noqa: BLE001 - one broken line must not end the run
            err.write(f"internal error: {type(exc).__name__}: {exc}\n")
            failed = True
            continue
        printed = result.printed
        label = result.blocked_label
        if label is not None and result.line.target is None and _waits_in_place(session, label):
            # The current client blocked with a timeout on the wall clock: wait, as redis-cli does.
            printed = [p for p in printed if p.kind != "blocked"]
            emit(printed)
            session.wait_sync(label)
            emit(session.finish_block(label, session.drain()))
        else:
            emit(printed)
        if result.is_error:
            failed = True
        if result.exit:
            break
    _wait_for_timeouts(session, emit)
    return 1 if settings.strict and failed else 0


def _waits_in_place(session, label: str) -> bool:
    client = session.engine.clients.get(label)
    state = client.blocked if client is not None else None
    return state is not None and bool(state.deadline) and not session.clock.virtual


def _wait_for_timeouts(session, emit) -> None:
    """At the end of input, let wall-clock BLOCK timeouts run out so their replies print."""
    import time

    if session.clock.virtual:
        return
    while True:
        deadlines = [c.blocked.deadline for c in session.engine.clients.values()
                     if c.blocked is not None and c.blocked.deadline]
        if not deadlines:
            return
        remaining = min(deadlines) - session.clock.now_ms()
        if remaining > 0:
            time.sleep(min(remaining, 50) / 1000)
        deliveries = session.drain()
        if deliveries:
            emit(session.printed_deliveries(deliveries))


def _read_stdin() -> Iterable[str]:
    yield from sys.stdin


def _exit_run(lines: Iterable[str], settings: Settings) -> None:
    try:
        status = run_lines(lines, settings)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            os._exit(0)
    sys.exit(status)


# ------------------------------------------------------------------------------------------------
# click
# ------------------------------------------------------------------------------------------------

def _common_options(func):
    options = [
        click.option("--virtual-clock", "virtual_clock", is_flag=True, default=None,
                     help="Use a virtual clock that moves only with :advance (deterministic "
                          "stream IDs). Starts at 2023-11-14 22:13:20 UTC unless --clock-start."),
        click.option("--clock-start", type=int, default=None, metavar="MS",
                     help="Start the virtual clock at MS milliseconds since the epoch "
                          "(implies --virtual-clock)."),
        click.option("--strict", is_flag=True, default=None,
                     help="Exit with status 1 if any command returned an error."),
        click.option("--width", type=click.IntRange(min=20), default=None, metavar="N",
                     help="Render help and views N columns wide (default: the terminal's)."),
        click.option("--no-color", "no_color", is_flag=True, default=None,
                     help="No colours (also when NO_COLOR is set)."),
        click.option("--echo", is_flag=True, default=None,
                     help="Scripts: print each command, prompt-style, before its output."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings_from(obj: Settings | None, values: dict) -> Settings:
    settings = Settings(**vars(obj)) if obj is not None else Settings()
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
        _exit_run(commands, settings)
    if _isatty(sys.stdin) and _isatty(sys.stdout):
        from .shell.app import run_shell

        sys.exit(run_shell(settings))
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
    _exit_run(file, settings)


@cli.command("shell")
@_common_options
@click.pass_obj
def shell_cmd(obj: Settings, **options) -> None:
    """Start the interactive shell (what plain `redis-lab` does on a terminal)."""
    settings = _settings_from(obj, options)
    from .shell.app import run_shell

    sys.exit(run_shell(settings))


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
def lessons_cmd(verify: bool) -> None:
    """List the course's lessons with your progress."""
    from .course import frontdoor

    sys.exit(frontdoor.verify_lessons(sys.stdout) if verify else frontdoor.list_lessons(sys.stdout))


@cli.command("lesson")
@click.argument("name")
@click.option("--export", "export_file", default=None, metavar="FILE",
              help="Write the transcript of the reference run to FILE (.md, .html or .svg) "
                   "instead of starting the lesson.")
@_common_options
@click.pass_obj
def lesson_cmd(obj: Settings, name: str, export_file: str | None, **options) -> None:
    """Start lesson NAME (a number or a name) in the shell."""
    settings = _settings_from(obj, options)
    lesson = _find_lesson(name)
    if export_file:
        from .course import frontdoor

        try:
            frontdoor.export_lesson(lesson, export_file, settings.width)
        except (ValueError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"wrote {export_file}")
        return
    settings.virtual_clock = True
    settings.startup = (f":lesson {lesson.name}",)
    if not (_isatty(sys.stdin) and _isatty(sys.stdout)):
        _exit_run([*settings.startup, *_read_stdin()], settings)
    from .shell.app import run_shell

    sys.exit(run_shell(settings))


@cli.command("demo")
@click.argument("name")
@click.option("--speed", type=click.FloatRange(min=0.1), default=1.0, show_default=True,
              help="Typing speed factor (2 = twice as fast).")
@click.option("--no-pause", is_flag=True, help="Do not wait for a key between steps.")
@_common_options
@click.pass_obj
def demo_cmd(obj: Settings, name: str, speed: float, no_pause: bool, **options) -> None:
    """Autoplay lesson NAME for a classroom: commands typed out, views updating."""
    from .course import frontdoor

    settings = _settings_from(obj, options)
    lesson = _find_lesson(name)
    sys.exit(frontdoor.demo(lesson, speed=speed, pause=not no_pause, width=settings.width,
                            color=settings.color))


@cli.command("bench", context_settings={"ignore_unknown_options": True,
                                        "allow_extra_args": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench_cmd(args) -> None:
    """Benchmark the engine against fakeredis and redis-server (docs/PERFORMANCE.md)."""
    from .bench import main as bench_main

    sys.exit(bench_main(list(args)))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``redis-lab``) and ``python -m redis_lab``."""
    try:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    cli.main(args=argv, prog_name="redis-lab")

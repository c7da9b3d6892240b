"""Settings and Environment: colour and width are decided in one place, from a fake terminal."""

from __future__ import annotations

import io

from redis_lab.app import make_session
from redis_lab.backends.local import LocalBackend
from redis_lab.settings import Environment, Settings


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_environment_detects_terminals_and_no_color():
    env = Environment.detect(stdin=_Tty(), stdout=io.StringIO(), environ={"NO_COLOR": "1"})
    assert (env.stdin_tty, env.stdout_tty, env.no_color, env.interactive) == (True, False, True,
                                                                              False)


def test_colour_flag_then_no_color_then_the_terminal():
    tty = Environment(stdout_tty=True)
    assert tty.use_color(Settings()) is True
    assert tty.use_color(Settings(color=False)) is False
    assert Environment(stdout_tty=True, no_color=True).use_color(Settings()) is False
    assert Environment(stdout_tty=False).use_color(Settings()) is False


def test_width_flag_then_terminal_then_100(monkeypatch):
    monkeypatch.setenv("COLUMNS", "77")
    assert Environment(stdout_tty=True).width(Settings()) == 77
    assert Environment(stdout_tty=False).width(Settings()) == 100
    assert Environment(stdout_tty=True).width(Settings(width=40)) == 40


def test_the_session_carries_typed_settings_and_reads_clients_as_records():
    settings = Settings(virtual_clock=True, width=60)
    session = make_session(settings, interactive=False, env=Environment())
    assert session.settings is settings and isinstance(session.backend, LocalBackend)
    session.run_line("@alice SUBSCRIBE chat")
    session.run_line("@worker XREAD BLOCK 0 STREAMS s $")
    states = {c.label: c for c in session.client_states()}
    assert states["alice"].channels == (b"chat",) and states["alice"].in_pubsub_mode
    blocked = states["worker"].blocked
    assert (blocked.command, blocked.keys, blocked.deadline_ms) == ("XREAD", (b"s",), 0)
    assert session.location is None


def test_a_coloured_script_paints_through_rich_and_never_wraps():
    from redis_lab.app.script import run_lines

    out = io.StringIO()
    long = "x" * 300
    run_lines(["@alice SUBSCRIBE chat", f"PUBLISH chat {long}", "NOSUCH", "@w XREAD BLOCK 0 STREAMS s $"],
              Settings(color=True, virtual_clock=True), out, io.StringIO(), env=Environment())
    lines = out.getvalue().splitlines()
    assert f'\x1b[36malice ◂ \x1b[0m1) "message"' in lines
    assert f'        3) "{long}"' in lines                      # one line, not wrapped at 100
    assert lines[-2] == "(error) ERR unknown command 'NOSUCH', with args beginning with: "
    assert lines[-1] == "\x1b[2m(w is blocked: XREAD on s, no timeout)\x1b[0m"

"""The REPL in-process: prompt_toolkit reads keys from a pipe and renders to DummyOutput.

What the shell prints is collected from ``Shell.emit`` (the blocks, with their kinds), so these
tests check behaviour -- completion, blocking, cancelling, bad input -- without a terminal.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from redis_lab.cli import Settings, make_session
from redis_lab.session import render
from redis_lab.shell.app import Shell


@pytest.fixture
def make_shell():
    stack = contextlib.ExitStack()

    def build(virtual: bool = True):
        pipe = stack.enter_context(create_pipe_input())
        settings = Settings(virtual_clock=virtual)
        session = make_session(settings, interactive=True)
        shell = Shell(session, settings, input=pipe, output=DummyOutput(),
                      history=InMemoryHistory())
        shell.printed = []
        shell.emit = lambda items: shell.printed.extend(
            (p.kind, render(p)) for p in items if p.kind != "exit")
        return shell, pipe

    with stack:
        yield build


def drive(shell, pipe, *keys, pause: float = 0.08) -> None:
    """Run the shell's loop, typing ``keys`` one chunk at a time, then Ctrl-D.

    A number among the keys is an extra pause, in seconds.
    """

    async def typist():
        for chunk in keys + ("\x04",):
            if isinstance(chunk, float):
                await asyncio.sleep(chunk)
                continue
            await asyncio.sleep(pause)
            pipe.send_text(chunk)

    async def main():
        task = asyncio.ensure_future(typist())
        await asyncio.wait_for(shell.main(), timeout=10)
        await task

    asyncio.run(main())


def texts(shell, kind: str | None = None) -> list[str]:
    return [text for k, text in shell.printed if kind is None or k == kind]


def test_typing_a_command_prints_its_reply(make_shell):
    shell, pipe = make_shell()
    drive(shell, pipe, "PING\r", "ECHO hi\r")
    assert texts(shell, "reply") == ["PONG", '"hi"']
    assert texts(shell)[0].startswith("redis-lab ")  # the banner


def test_tab_completes_command_subcommand_and_key(make_shell):
    shell, pipe = make_shell()
    drive(shell, pipe, "XADD mystream 1-1 a 1\r", "PUBL", "\t", " chat hi\r",
          "XINFO GRO", "\t", " mys", "\t", "\r")
    assert texts(shell, "reply") == ['"1-1"', "(integer) 0", "(empty array)"]
    assert shell.prompt_session.history.get_strings()[-2:] == [
        "PUBLISH chat hi", "XINFO GROUPS mystream"]


def test_completion_of_groups_and_consumers(make_shell):
    shell, pipe = make_shell()
    drive(shell, pipe, "XGROUP CREATE jobs crew 0 MKSTREAM\r",
          "XGROUP CREATECONSUMER jobs crew worker-1\r",
          "XINFO CONSUMERS jobs c", "\t", "\r",
          "XGROUP DELCONSUMER jobs crew w", "\t", "\r")
    assert texts(shell, "reply")[-1] == "(integer) 0"
    assert shell.prompt_session.history.get_strings()[-1] == "XGROUP DELCONSUMER jobs crew worker-1"


def test_at_client_and_labelled_delivery(make_shell):
    shell, pipe = make_shell()
    drive(shell, pipe, "@alice SUBSCRIBE chat\r", "PUBLISH chat hi\r")
    assert texts(shell)[-2:] == [
        "(integer) 1", 'alice ◂ 1) "message"\n        2) "chat"\n        3) "hi"']


def test_unbalanced_quote_is_reported_and_the_line_comes_back(make_shell):
    shell, pipe = make_shell()
    drive(shell, pipe, 'ECHO "hello\r', '"\r')
    assert texts(shell, "invalid") == ["Invalid argument(s)"]
    assert texts(shell, "tip")[0].startswith("(not sent: check the quotes")
    assert texts(shell, "reply") == ['"hello"']  # the line came back; one quote fixed it


def test_ctrl_c_clears_the_line_but_keeps_it_in_history(make_shell):
    shell, pipe = make_shell()
    drive(shell, pipe, "XADD half typed", "\x03", "PING\r")
    assert texts(shell, "reply") == ["PONG"]
    assert shell.prompt_session.history.get_strings() == ["XADD half typed", "PING"]


def test_exit_words_leave_the_loop(make_shell):
    for word in ("quit\r", ":exit\r", ":quit\r", "exit\r"):
        shell, pipe = make_shell()
        drive(shell, pipe, word, "PING\r")
        assert shell.done and texts(shell, "reply") == []


def test_virtual_clock_blocked_current_client_returns_the_prompt(make_shell):
    shell, pipe = make_shell(virtual=True)
    drive(shell, pipe, "XREAD BLOCK 0 STREAMS s $\r", "@bob XADD s 1-1 a 1\r")
    out = texts(shell)
    assert "(default is blocked: XREAD on s, no timeout)" in out
    assert any(t.startswith("(virtual time passes only with :advance") for t in out)
    assert out[-1].startswith('default ◂ 1) 1) "s"')


def test_wall_clock_block_waits_then_prints_the_reply_unlabelled(make_shell):
    shell, pipe = make_shell(virtual=False)
    drive(shell, pipe, "XREAD BLOCK 400 STREAMS s $\r", "PI", 0.6, "NG\r", pause=0.2)
    # what was typed while waiting ("PI") was kept for the next prompt
    assert texts(shell, "reply") == ["(nil)", "PONG"]


def test_ctrl_c_cancels_a_blocked_read(make_shell):
    shell, pipe = make_shell(virtual=False)
    drive(shell, pipe, "XREAD BLOCK 0 STREAMS s $\r", "\x03", "PING\r", pause=0.3)
    out = texts(shell)
    assert "(cancelled: default stopped waiting, as when redis-cli is interrupted)" in out
    assert texts(shell, "reply") == ["PONG"]
    assert shell.session.client().blocked is None


def test_wall_clock_timeout_of_another_client_is_printed_while_typing(make_shell):
    shell, pipe = make_shell(virtual=False)
    drive(shell, pipe, "@w XREAD BLOCK 100 STREAMS s $\r", "PIN", "G\r", pause=0.25)
    out = texts(shell)
    assert out.index("w ◂ (nil)") < out.index("PONG")


def test_internal_errors_print_one_line(make_shell, monkeypatch):
    shell, _pipe = make_shell()

    def broken(text):
        raise RuntimeError("engine on fire")

    monkeypatch.setattr(shell.session, "run_line", broken)
    asyncio.run(shell.handle("PING"))
    assert shell.printed == [("error", "internal error: RuntimeError: engine on fire")]


def test_highlighting_fragments():
    from redis_lab.shell.lexer import fragments

    assert fragments("NOPE x") == [("class:rl.unknown", "NOPE"), ("", " "), ("class:rl.arg", "x")]
    assert fragments("XLEN s")[0] == ("class:rl.command", "XLEN")
    assert "".join(text for _, text in fragments('@a  XADD s * f "v w"')) == '@a  XADD s * f "v w"'

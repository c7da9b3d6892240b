"""The shell in a real pseudo-terminal: ``python -m redis_lab`` typed at as a person would.

Each test starts the program in its own pty (CI has no terminal) at a fixed size with
``PROMPT_TOOLKIT_NO_CPR=1``, types keys and waits for text to appear. What the terminal
receives is reduced to text by dropping escape sequences, which is enough to see replies,
labels, hints and warnings.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[2]
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>()][0-9A-Za-z]?|[\r\x08]")

UP = "\x1b[A"
CTRL_C, CTRL_D, CTRL_R, TAB = "\x03", "\x04", "\x12", "\t"


class Terminal:
    """A pty running redis-lab; ``expect`` waits for text in what was printed since ``mark``."""

    def __init__(self, state_dir: Path, *args: str, cols: int = 120, rows: int = 30):
        env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(state_dir),
                   XDG_DATA_HOME=str(state_dir / "data"),
                   PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color",
                   COLUMNS=str(cols), LINES=str(rows))
        self.child = pexpect.spawn(sys.executable, ["-m", "redis_lab", *args], cwd=str(ROOT),
                                   env=env, dimensions=(rows, cols), encoding="utf-8",
                                   codec_errors="replace")
        self.text = ""
        self.pos = 0

    def _read(self, timeout: float) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        self.text += _ESCAPES.sub("", data)

    def expect(self, wanted: str, timeout: float = 5.0) -> str:
        """Wait until ``wanted`` appears after the mark; move the mark past it."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.text.find(wanted, self.pos)
            if found >= 0:
                self.pos = found + len(wanted)
                return self.text[found:self.pos]
            if time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} not shown; the terminal showed:\n"
                                     f"{self.text[self.pos:][-2000:]}")
            if not self.child.isalive():
                self._read(0.05)
                if self.text.find(wanted, self.pos) < 0:
                    raise AssertionError(f"redis-lab exited before showing {wanted!r}:\n"
                                         f"{self.text[-2000:]}")
                continue
            try:
                self._read(0.05)
            except pexpect.EOF:
                pass

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def tab(self, typed: str) -> None:
        """Type ``typed``, pause as a person does, press Tab, and let the completion land."""
        self.child.send(typed)
        time.sleep(0.15)
        self.child.send(TAB)
        time.sleep(0.15)

    def line(self, text: str) -> None:
        self.child.send(text + "\r")

    def quit(self) -> int:
        self.send(CTRL_D)
        self.child.expect(pexpect.EOF, timeout=5)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def term(tmp_path):
    started: list[Terminal] = []

    def start(*args: str, **kw) -> Terminal:
        terminal = Terminal(tmp_path / "state", *args, **kw)
        started.append(terminal)
        terminal.expect("default>", timeout=10)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def test_reply_then_ctrl_d_exits_cleanly(term):
    t = term()
    t.line("PING")
    t.expect("PONG")
    t.line('ECHO "two words"')
    t.expect('"two words"')
    assert t.quit() == 0


def test_tab_completes_a_command_a_subcommand_and_a_key(term):
    t = term()
    t.line("SET mykey 42")
    t.expect("OK")
    t.tab("GET myk")
    t.send("\r")
    t.expect('"42"')
    t.tab("PUBL")
    t.line(" chat hi")
    t.expect("(integer) 0")
    t.tab("xinfo he")
    t.send("\r")
    t.expect("XINFO <subcommand>")


def test_hint_shows_the_rest_of_the_synopsis_and_shrinks(term):
    t = term(cols=160)
    t.send("XADD mystream ")
    t.expect("[NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value "
             "[field value ...]")
    # The terminal only receives what changed on screen, so start a fresh line to see the
    # shorter hint whole: Ctrl-C clears the line (and keeps it in history).
    t.send(CTRL_C)
    t.expect("default>")
    t.send("XADD mystream * temp ")
    t.expect("XADD mystream * temp value [field value ...]")
    t.send("21\r")
    t.expect('"')  # the new entry's ID is printed
    t.expect("default>")


def test_history_is_kept_between_runs_with_up_arrow_and_ctrl_r(term, tmp_path):
    first = term()
    first.line("ECHO remembered")
    first.expect('"remembered"')
    assert first.quit() == 0
    saved = (tmp_path / "state" / "redis-lab" / "history").read_text()
    assert "+ECHO remembered" in saved

    second = term()
    second.send(UP)
    time.sleep(0.2)
    second.send("\r")
    second.expect('"remembered"')
    second.send(CTRL_R + "rememb")
    time.sleep(0.2)
    second.send("\r")
    time.sleep(0.2)
    second.send("\r")
    second.expect('"remembered"')


def test_unreadable_history_file_warns_and_the_shell_works(tmp_path, term):
    (tmp_path / "state" / "redis-lab" / "history").mkdir(parents=True)  # a directory, not a file
    t = term()
    assert "history is kept in memory for this session only" in t.text  # before the prompt
    t.line("PING")
    t.expect("PONG")
    t.send(UP)
    time.sleep(0.2)
    t.send("\r")
    t.expect("PONG")


def test_message_to_another_client_is_labelled(term):
    t = term()
    t.line("@alice SUBSCRIBE chat")
    t.expect("3) (integer) 1")
    t.line("PUBLISH chat hi")
    t.expect("(integer) 1")
    t.expect('alice ◂ 1) "message"\n        2) "chat"\n        3) "hi"')


def test_as_switches_client_and_clients_lists_state(term):
    t = term()
    t.line(":as alice")
    t.expect("now typing as alice (new client)")
    t.expect("alice>")
    t.line("SUBSCRIBE chat news")
    t.expect("alice (subscribed: 2)>")
    t.line(":clients")
    t.expect("* alice")
    t.expect("subscribed to channels chat, news")


def test_unbalanced_quote_is_reported_not_sent(term):
    t = term()
    t.line('ECHO "hello')
    t.expect("Invalid argument(s)")
    t.expect("the line is back for editing")
    t.line('"')
    t.expect('"hello"')


def test_subscribed_client_error_suggests_another_client(term):
    t = term()
    t.line("SUBSCRIBE chat")
    t.expect("default (subscribed: 1)>")
    t.line("PUBLISH chat hi")
    t.expect("(error) ERR Can't execute 'publish': only (P|S)SUBSCRIBE")
    t.expect("Send it from another client: @bob PUBLISH chat hi")


def test_ctrl_c_cancels_a_blocked_read_and_returns_to_the_prompt(term):
    t = term()
    t.line("XREAD BLOCK 0 STREAMS s $")
    t.expect("default is waiting for s (no timeout); Ctrl-C to cancel")
    t.send(CTRL_C)
    t.expect("(cancelled: default stopped waiting")
    t.line("PING")
    t.expect("PONG")
    assert t.quit() == 0


def test_blocked_worker_is_served_by_another_client(term):
    t = term("--virtual-clock")
    t.line("@worker XREAD BLOCK 0 STREAMS s $")
    t.expect("(worker is blocked: XREAD on s, no timeout)")
    t.line("XADD s * temp 21")
    t.expect('"1700000000000-0"')
    t.expect('worker ◂ 1) 1) "s"')


def test_a_learner_takes_lesson_1_in_the_terminal(tmp_path):
    """`redis-lab lesson 1`: a wrong try gets 'Not yet' and a hint, :hint repeats it, the right
    answer passes and the next task starts; :quit leaves the lesson, Ctrl-D the shell."""
    t = Terminal(tmp_path / "state", "lesson", "1", cols=110, rows=40)
    try:
        t.expect("Lesson 1: Pub/Sub basics", timeout=10)
        t.expect("Task 1: your turn")
        t.expect("default>")
        t.line("@carol PUBLISH game:room1 hello")
        t.expect("(integer) 2")
        t.expect("Not yet")
        t.expect("hint: PUBLISH takes a channel and a message")
        t.line(":hint")
        t.expect("hint: PUBLISH takes a channel and a message")
        t.line("@carol PUBLISH game:room1 hi")
        t.expect("Well done")
        t.expect("Task 2: your turn")
        t.line(":quit")
        t.expect("left lesson 1")
        assert t.quit() == 0
    finally:
        t.close()


def test_tab_completes_xadd_an_option_a_stream_key_and_a_group(term):
    t = term()
    t.tab("XAD")                      # XAD<Tab> -> XADD
    t.line(" orders * item book")
    t.expect('"')
    t.line("SET plain 1")             # a string key: not offered where a stream is expected
    t.expect("OK")
    t.tab("XLEN ord")                 # an existing stream key
    t.send("\r")
    t.expect("(integer) 1")
    t.line("XGROUP CREATE orders shipping 0")
    t.expect("OK")
    t.tab("XINFO CONSUMERS orders ship")   # the groups of the stream typed
    t.send("\r")
    t.expect("(empty array)")
    t.tab("XTRIM orders MAXL")        # an option keyword where XTRIM accepts it
    t.line(" 5")
    t.expect("(integer) 0")


def test_an_unknown_command_gets_redis_error(term):
    t = term()
    t.line("XFROB orders 1")
    t.expect("(error) ERR unknown command 'XFROB', with args beginning with: 'orders' '1'")

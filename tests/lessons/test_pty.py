"""The course in a real pseudo-terminal: `redis-lab lesson N` typed at as a learner would.

One dead end and its recovery per kind of lesson (pub/sub, streams, groups, recovery, real
systems), the pacing (Enter between narrative blocks), Ctrl-D's question in the middle of a
lesson, and resuming after a restart. What the terminal shows is read back as text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shell"))
from _pty import CTRL_D, Terminal  # noqa: E402

pexpect = pytest.importorskip("pexpect")


def type_at_prompt(t: Terminal, text: str) -> None:
    """Wait for the prompt, then type ``text`` and Enter (keys typed ahead of the prompt may
    arrive together and be taken for a paste)."""
    t.expect("default>")
    t.line(text)


@pytest.fixture
def lesson(tmp_path):
    started: list[Terminal] = []

    def start(number: int) -> Terminal:
        t = Terminal(tmp_path / "state", "lesson", str(number), cols=100, rows=40)
        started.append(t)
        t.expect(f"Lesson {number}:", timeout=15)
        return t

    yield start
    for t in started:
        t.close()


def test_groups_pacing_and_a_dead_end_recovered_with_retry(lesson):
    t = lesson(5)
    t.expect("Enter (or :next) to go on")
    type_at_prompt(t, "")                                       # Enter: the next block
    t.expect("Task 1: your turn")
    type_at_prompt(t, "XGROUP CREATE jobs workers $")
    t.expect("✗ Not yet")
    t.expect(":retry")
    type_at_prompt(t, ":retry")
    t.expect("Back to the start of task 1")
    type_at_prompt(t, "XGROUP CREATE jobs workers 0")
    t.expect("Well done")


def test_pubsub_unsubscribing_from_everything_is_recovered(lesson):
    t = lesson(9)
    type_at_prompt(t, "")
    t.expect("Task 1: your turn")
    type_at_prompt(t, ":skip")
    t.expect("Skipped")
    type_at_prompt(t, "")
    t.expect("Task 2: your turn")
    type_at_prompt(t, ":skip")
    type_at_prompt(t, "")
    t.expect("Task 3: your turn")
    type_at_prompt(t, "@carol UNSUBSCRIBE")
    t.expect("✗ Not yet")
    t.expect(":retry")
    type_at_prompt(t, ":retry")
    t.expect("Back to the start of task 3")
    type_at_prompt(t, "@carol UNSUBSCRIBE chat:room1")
    t.expect("Well done")


def test_streams_a_wrong_first_half_is_undone(lesson):
    t = lesson(3)
    type_at_prompt(t, "")
    t.expect("Task 1: your turn")
    type_at_prompt(t, "@app XADD logs * level error")
    t.expect("✗ Not yet")
    t.expect(":retry")
    type_at_prompt(t, ":undo")
    t.expect("undone: app> XADD logs *")
    type_at_prompt(t, '@app XADD logs * level error msg "Disk 95% full"')
    t.expect("Well done")


def test_recovery_claiming_everything_is_rejected_and_undone(lesson):
    t = lesson(6)
    for _ in range(3):
        t.expect("Enter (or :next) to go on")
        type_at_prompt(t, "")
    t.expect("Task 1: your turn")
    type_at_prompt(t, ":advance 30s")
    type_at_prompt(t, "@worker2 XAUTOCLAIM emails mailers worker2 60000 0-0")
    t.expect("worker2 has 3 pending entries")
    type_at_prompt(t, ":undo")
    type_at_prompt(t, "@worker2 XCLAIM emails mailers worker2 60000 1700000000000-0")
    t.expect("Well done")


def test_real_systems_claim_with_justid_then_retry(lesson):
    t = lesson(11)
    t.expect("Task 1: your turn")
    type_at_prompt(t, ":skip")
    type_at_prompt(t, "")
    t.expect("Task 2: your turn")
    type_at_prompt(t, ":skip")
    t.expect("Task 3: your turn")
    type_at_prompt(t, "@p2 XCLAIM payments processors p2 60000 1700000000000-0 "
                      "1700000000000-1 JUSTID")
    t.expect("✗ Not yet")
    t.expect(":retry")
    type_at_prompt(t, ":retry")
    type_at_prompt(t, "@p2 XCLAIM payments processors p2 60000 1700000000000-0 1700000000000-1")
    t.expect("Well done")


def test_ctrl_d_asks_and_the_lesson_resumes_after_a_restart(tmp_path):
    t = Terminal(tmp_path / "state", "lesson", "8", cols=100, rows=40)
    try:
        t.expect("Lesson 8:", timeout=15)
        type_at_prompt(t, "")
        t.expect("Task 1: your turn")
        type_at_prompt(t, '@shop PUBLISH orders:events "order-1 paid"')
        t.expect("Good. Next:")
        type_at_prompt(t, "@shop XADD orders:log * order 1 status paid")
        t.expect("Well done")
        t.expect("Enter (or :next) to go on")
        t.expect("default>")                         # Ctrl-D is read at the prompt
        t.send(CTRL_D)
        t.expect("in the middle of lesson 8")
        t.line("n")                                  # no: stay
        type_at_prompt(t, "")
        t.expect("Task 2: your turn")
        t.expect("default>")
        t.send(CTRL_D)
        t.expect("in the middle of lesson 8")
        t.line("y")
        t.child.expect(pexpect.EOF, timeout=10)      # redis-lab ended
        t.close()
        again = Terminal(tmp_path / "state", "lesson", "8", cols=100, rows=40)
        try:
            again.expect("Welcome back: you are at task 2", timeout=15)
            again.expect("Task 2: your turn")
        finally:
            again.close()
    finally:
        t.close()


def test_the_welcome_screen_names_the_course_and_how_to_start(tmp_path):
    t = Terminal(tmp_path / "state", cols=100, rows=40)
    try:
        t.expect("The course: lessons on Pub/Sub and Streams", timeout=15)
        t.expect(":lesson 1 starts it")
        t.expect("default>")
    finally:
        t.close()


def test_demo_keys_next_back_goto_improvise_quit(tmp_path):
    t = Terminal(tmp_path / "state", "demo", "1", "--speed", "100", cols=100, rows=40)
    try:
        t.expect("step 1/7", timeout=15)
        t.send(" ")                                  # Space: the next step
        t.expect("Say hi to the room")
        t.expect("Task 1: your turn")
        t.expect("step 2/7")
        t.send(" ")                                  # a task's step: its answer is typed
        t.expect("carol> PUBLISH game:room1 hi")
        t.expect("Well done")
        t.send("b")                                  # back: step 1 again, from its state
        t.expect("Two players join the room")
        t.expect("step 1/7")
        t.send("g")
        t.expect("go to step:")
        t.line("5")
        t.expect("Arriving late")
        t.expect("step 5/7")
        t.send(":")
        t.line("@eve SUBSCRIBE game:room1")          # improvised: one more subscriber
        t.expect('3) (integer) 1')
        t.send(" ")
        t.expect("A message for everyone, including dave")
        t.send(" ")
        t.expect("(integer) 4")                      # the answer now reaches eve too
        t.send("q")
        t.child.expect(pexpect.EOF, timeout=10)
    finally:
        t.close()


def test_demo_from_a_step_without_a_terminal_autoplays_to_the_end():
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "redis_lab", "demo", "5", "--from", "6",
                           "--speed", "100", "--width", "80"],
                          capture_output=True, text=True, timeout=60,
                          cwd=str(Path(__file__).resolve().parents[2]))
    assert proc.returncode == 0, proc.stderr
    assert "Jobs in a stream" not in proc.stdout          # steps 1-5 played silently
    assert "What you saw" in proc.stdout and "Well done" in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80


def test_demo_autoplay_key_plays_on_by_itself(tmp_path):
    t = Terminal(tmp_path / "state", "demo", "1", "--speed", "100", cols=100, rows=40)
    try:
        t.expect("step 1/7", timeout=15)
        t.send("p")                                  # autoplay: no more keys needed
        t.expect("autoplay")
        t.expect("What you saw", timeout=30)
        t.child.expect(pexpect.EOF, timeout=30)      # the last step shown, the demo ends
    finally:
        t.close()


def test_an_80_column_terminal_shows_the_diagrams_whole(tmp_path):
    t = Terminal(tmp_path / "state", "lesson", "11", cols=80, rows=40)
    try:
        t.expect("Lesson 11:", timeout=15)
        t.expect("Task 1: your turn")
        for line in ("checkout ─XADD payments─▶ [ payments ]",
                     "├─XREADGROUP processors─▶ p1, p2 ─▶ provider",
                     "└─ XPENDING: stuck? ─XCLAIM─▶ another processor"):
            assert line in t.text, f"not shown whole at 80 columns: {line}"
        # (every rendered line's width is checked in test_width.py: this stream holds the
        # prompt's cursor moves too, so it is not a screen)
    finally:
        t.close()


def test_recovery_the_pel_survives_a_restart_and_a_late_xautoclaim_is_named(lesson):
    t = lesson(6)
    for title in ("Stuck", "Too fresh to take", "Task 1: your turn"):
        type_at_prompt(t, "")                                   # Enter: the next block
        t.expect(title)
    type_at_prompt(t, ":skip")
    t.expect("Skipped")
    t.expect("engine restarted from its data directory")    # the step after task 1
    t.expect('"worker1"')                                       # the PEL came back
    t.expect("to go on")
    type_at_prompt(t, "")
    t.expect("Task 2: your turn")
    type_at_prompt(t, "@worker3 XAUTOCLAIM emails mailers worker3 60000 1700000000000-2")
    t.expect("✗ Not yet")
    t.expect("XAUTOCLAIM scans the pending list from its start ID")
    t.expect("1700000000000-1, which worker1 read")
    type_at_prompt(t, "@worker3 XAUTOCLAIM emails mailers worker3 60000 0-0")
    t.expect("Well done")

"""The shell in a real pseudo-terminal: ``python -m redis_lab`` typed at as a person would.

Each test starts the program in its own pty (CI has no terminal) at a fixed size with
``PROMPT_TOOLKIT_NO_CPR=1``, types keys and waits for text to appear. What the terminal
receives is reduced to text by dropping escape sequences, which is enough to see replies,
labels, hints and warnings.
"""

from __future__ import annotations

from _pty import CTRL_C, CTRL_R, TAB, UP, Terminal


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
    second.expect("ECHO remembered")  # recalled on screen before Enter is pressed
    second.send("\r")
    second.expect('"remembered"')
    second.send(CTRL_R + "rememb")
    second.expect("(reverse-i-search)`rememb': ECHO remembered")
    second.send("\r")
    second.expect("default> ECHO remembered")  # the search result is now the line
    second.send("\r")
    second.expect('"remembered"')


def test_unreadable_history_file_warns_and_the_shell_works(tmp_path, term):
    (tmp_path / "state" / "redis-lab" / "history").mkdir(parents=True)  # a directory, not a file
    t = term()
    assert "history is kept in memory for this session only" in t.text  # before the prompt
    t.line("PING")
    t.expect("PONG")
    t.send(UP)
    t.expect("PING")  # recalled from the in-memory history
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
    """`redis-lab lesson 1`: a try that is only half right gets 'Good' and what is still
    missing, :hint gives the hint, the right answer passes and the next task starts; :quit
    leaves the lesson, Ctrl-D the shell."""
    t = Terminal(tmp_path / "state", "lesson", "1", cols=110, rows=40)
    try:
        t.expect("Lesson 1: Pub/Sub basics", timeout=10)
        t.expect("Enter (or :next) to go on")      # the course paces its narration
        t.line("")
        t.expect("Task 1: your turn")
        t.expect("default>")
        t.line("@carol PUBLISH game:room1 hello")
        t.expect("(integer) 2")
        t.expect('Good. Next: alice to receive "hi"')
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

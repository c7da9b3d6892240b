"""Issue 13 in a real pseudo-terminal: paste, Ctrl-C, limits, NO_COLOR, raw mode, pager, config.

Each test drives ``python -m redis_lab`` in its own pty (see _pty.py) and reads the screen.
"""

from __future__ import annotations

import html
import re
import time

from _pty import CTRL_C, Terminal


def test_pasted_lines_run_one_by_one_in_order(term):
    t = term()
    t.paste("@carol SUBSCRIBE news\r@carol SUBSCRIBE sport\rPUBSUB NUMSUB news sport\r")
    t.expect('2) "news"\n3) (integer) 1')          # the first line, on its own
    t.expect("default> @carol SUBSCRIBE sport")    # the second, echoed as if typed
    t.expect('2) "sport"\n3) (integer) 2')         # carol has 2 channels, not 4
    t.expect("default> PUBSUB NUMSUB news sport")
    t.expect('1) "news"\n2) (integer) 1\n3) "sport"\n4) (integer) 1')
    t.line("PUBSUB NUMSUB @carol SUBSCRIBE")
    t.expect('2) (integer) 0')


def test_fifty_pasted_xadds_add_fifty_entries(term):
    t = term("--virtual-clock")
    t.paste("".join(f"XADD s * n {i}\n" for i in range(50)))
    t.expect('"1700000000000-49"', timeout=15)
    t.line("XLEN s")
    t.expect("(integer) 50")


def test_an_unfinished_last_pasted_line_stays_for_editing(term):
    t = term()
    t.paste("SET a 1\nGET")
    t.expect("OK")
    t.line(" a")
    t.expect('"1"')


def test_a_paste_of_more_than_100_lines_asks_once(term):
    t = term("--virtual-clock")
    lines = "".join(f"XADD s * n {i}\n" for i in range(101))
    t.paste(lines)
    t.expect("Run the 101 pasted lines one by one? [y/N]")
    t.line("n")
    t.expect("(paste of 101 lines not run)")
    t.line("XLEN s")
    t.expect("(integer) 0")
    t.paste(lines)
    t.expect("[y/N]")
    t.line("y")
    t.expect('"1700000000000-100"', timeout=20)
    t.line("XLEN s")
    t.expect("(integer) 101")


def _entries_in_s(t: Terminal) -> int:
    """How many entries stream ``s`` has, read from the screen after typing XLEN s."""
    t.line("XLEN s")
    start = t.pos
    t.expect("(integer) ")
    t.expect("\n")
    return int(re.search(r"\(integer\) (\d+)", t.text[start:t.pos]).group(1))


def test_ctrl_c_stops_a_long_repeat_and_the_shell_goes_on(term):
    t = term("--virtual-clock")
    t.line(":repeat 1000000 XADD s * f v")
    t.expect(":repeat 1000000 XADD s * f v")
    time.sleep(0.5)
    t.send(CTRL_C)
    t.expect("(interrupted: Ctrl-C stopped it between two commands", timeout=5)
    t.expect("default>")
    done = _entries_in_s(t)
    assert 0 < done < 1_000_000   # stopped early; every XADD that ran is complete
    t.line("XRANGE s - + COUNT 1")
    t.expect('"1700000000000-0"')


def test_ctrl_c_cancels_a_blocked_read_on_a_virtual_clock(term):
    t = term("--virtual-clock")
    t.line("XREAD BLOCK 0 STREAMS s $")
    t.expect("default (blocked)>")
    t.send(CTRL_C)
    t.expect("(cancelled: default stopped waiting")
    t.expect("default>")
    t.line("XADD s * f v")          # runs now: the client is not blocked any more
    t.expect('"1700000000000-0"')
    t.line(":clients")
    t.expect("* default")
    t.expect("idle")


def test_advance_beyond_redis_clock_is_refused_and_the_shell_goes_on(term):
    t = term("--virtual-clock")
    t.line(":advance 99999999999999999999999")
    t.expect("duration too long: 99999999999999999999999")
    t.line("XADD s * f v")
    t.expect('"1700000000000-0"')
    t.line(":clock")
    t.expect("(1700000000000 ms)")


def _attributes_before(raw: str, text: str) -> set[str]:
    """The SGR parameters in force where ``text`` was drawn (since the last reset)."""
    at = raw.rfind(text)
    assert at >= 0, f"{text!r} not drawn"
    codes: set[str] = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", raw[:at]):
        for code in params.split(";"):
            if code in ("", "0"):
                codes = set()
            else:
                codes.add(code)
    return codes


def test_no_color_hint_and_history_suggestion_differ_from_typed_text(term):
    t = term(env={"NO_COLOR": "1"})
    t.line("ECHO remembered")
    t.expect('"remembered"')
    t.send("XADD s ")
    t.expect("field value")
    hint = _attributes_before(t.raw, "field value")
    assert {"3", "2"} <= hint                      # italic, dim: not like typed text
    assert not any(c.startswith(("38", "48")) or c.isdigit() and 30 <= int(c) <= 37
                   for c in hint)                  # and no colour at all
    t.send("\x15")                                 # Ctrl-U: empty line
    t.send("ECHO rem")
    t.expect("embered")
    suggestion = _attributes_before(t.raw, "embered")
    assert {"4", "2"} <= suggestion                # underlined, dim


def _export_lines(path) -> list[str]:
    """The text of an HTML export, line by line (rich writes it in one <pre>)."""
    body = path.read_text(encoding="utf-8")
    pre = body[body.index("<pre"):body.index("</pre>")]
    text = html.unescape(re.sub(r"<[^>]+>", "", pre))
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _in_order(wanted: list[str], screen: list[str]) -> bool:
    at = 0
    for line in wanted:
        while at < len(screen) and screen[at] != line:
            at += 1
        if at == len(screen):
            return False
        at += 1
    return True


def test_export_is_what_the_screen_shows(term, tmp_path):
    t = term("--virtual-clock", cols=90)
    for line in ("XADD s 1-1 f v", "XGROUP CREATE s g 0", ":explain on",
                 "XREADGROUP GROUP g c STREAMS s >"):
        t.line(line)
        t.expect("default>")
    start = t.pos
    t.line(":watch pel s g")                       # pinned just before the export
    t.expect("default>")
    t.line(f":export html {tmp_path / 'one.html'}")
    t.expect("wrote")
    screen = [line.rstrip() for line in t.text[start:t.pos].splitlines()]
    exported = _export_lines(tmp_path / "one.html")
    assert any("PEL s › g" in line for line in exported)         # the pinned view
    assert any("XREADGROUP s › g" in line for line in exported)  # the flow before it
    assert max(len(line) for line in exported) == 90        # the screen's width
    assert _in_order(exported, [line.rstrip() for line in t.text.splitlines()])
    assert _in_order([line for line in exported if "PEL" in line], screen)

    t.line(":unwatch all")
    t.expect("stopped watching pel s g")
    t.line(f":export html {tmp_path / 'two.html'}")
    t.expect("wrote")
    assert not any("PEL s › g" in line for line in _export_lines(tmp_path / "two.html"))

    t.line("PUBLISH news hi")
    t.expect("message is gone")
    t.line(":reset")
    t.expect("fresh engine")
    t.line(":show flow")
    t.expect("no flow yet")                        # the last flow went with the engine
    t.line(":show fanout news")
    t.expect("PUBLISH ─▶ news ──▶ nobody")         # and so did the last PUBLISH


def test_a_reply_taller_than_the_terminal_goes_through_the_pager(term):
    t = term("--virtual-clock", rows=12, cols=80, env={"PAGER": "sed s/^/paged:/"})
    t.line(":repeat 10 XADD s * f v")
    t.expect("default>")
    t.line("XRANGE s - +")                          # 30 lines on a 12-line terminal
    t.expect('paged: 1) 1) "1700000000000-0"')
    t.expect('paged:10) 1) "1700000000000-9"')
    t.expect("default>")
    start = t.pos
    t.line("XLEN s")                                # fits: printed as usual
    t.expect("(integer) 10")
    assert "paged:" not in t.text[start:]


def test_no_pager_prints_tall_replies_directly(term):
    t = term("--virtual-clock", "--no-pager", rows=12, cols=80,
             env={"PAGER": "sed s/^/paged:/"})
    t.line(":repeat 10 XADD s * f v")
    t.line("XRANGE s - +")
    t.expect('10) 1) "1700000000000-9"')
    assert "paged:" not in t.text


def test_the_default_pager_is_less_and_q_returns_to_the_prompt(term):
    t = term("--virtual-clock", rows=12, cols=80, env={"PAGER": ""})
    t.line(":repeat 10 XADD s * f v")
    t.line("XRANGE s - +")
    t.expect('1) 1) "1700000000000-0"')
    t.send("q")                                     # less -SRXF waits for q
    t.expect("default>")
    t.line("PING")
    t.expect("PONG")


def test_tab_completes_meta_command_arguments(term):
    t = term()
    t.line("XGROUP CREATE orders shipping $ MKSTREAM")
    t.expect("OK")
    t.tab(":watch pe")
    t.tab(" ord")
    t.tab(" sh")
    t.send("\r")
    t.expect("watching [1] pel orders shipping")


def test_a_bad_config_file_is_reported_by_line_and_the_shell_starts(tmp_path, term):
    config = tmp_path / "state" / "config" / "redis-lab" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('clock = "virtual"\nwidth = "wide"\n')
    t = term()
    assert f"{config}:2: width must be a whole number from 20 to 1000, not 'wide'" in t.text
    t.line("XADD s * f v")                          # the defaults: the wall clock
    t.expect('"')
    assert '"1700000000000-0"' not in t.text
    config.write_text('clock = "virtual"\nraw = true\n')
    t2 = term()
    t2.line("XADD s * f v")
    t2.expect("1700000000000-0")                   # virtual clock, raw: no quotes
    assert '"1700000000000-0"' not in t2.text


def test_raw_switches_in_the_shell(term):
    t = term("--raw")
    t.line("ECHO hello")
    t.expect("hello")
    t.line(":raw off")
    t.line("ECHO hello")
    t.expect('"hello"')


def test_a_hint_is_markdown_at_the_terminal_width(tmp_path):
    t = Terminal(tmp_path / "state", "lesson", "1", cols=50, rows=40)
    try:
        t.expect("Enter (or :next) to go on", timeout=10)
        t.line("")
        t.expect("Task 1: your turn")
        t.expect("default>")
        start = t.pos
        t.line(":hint")
        t.expect("hint: PUBLISH takes a channel and a")
        t.expect("default>")
        shown = t.text[start:t.pos]
        hint = shown[shown.index("hint:"):shown.rindex("default>")]
        assert "`" not in hint                              # inline code, not backticks
        assert "@carol PUBLISH channel message" in " ".join(hint.split())
        assert all(len(line.rstrip()) <= 50 for line in hint.splitlines())
    finally:
        t.close()


def test_flushall_on_a_real_redis_asks_first(term, redis_server):
    url = f"redis://{redis_server.host}:{redis_server.port}/0"
    redis_server.flush()
    t = term("--redis", url)
    t.line("SET keep 1")
    t.expect("OK")
    t.line("FLUSHALL")
    t.expect("Run it? [y/N]")
    t.line("n")
    t.expect("(not run)")
    t.line("DBSIZE")
    t.expect("(integer) 1")
    t.line("FLUSHALL")
    t.expect("Run it? [y/N]")
    t.line("y")
    t.expect("OK")
    t.line("DBSIZE")
    t.expect("(integer) 0")
    yes = term("--redis", url, "--yes")
    yes.line("SET keep 1")
    yes.line("FLUSHDB")
    yes.expect("OK")
    yes.line("DBSIZE")
    yes.expect("(integer) 0")
    assert "[y/N]" not in yes.text


def test_ctrl_c_stops_a_long_paste_between_two_lines(term):
    t = term("--virtual-clock")
    t.paste("".join(f"XADD s * n {i}\n" for i in range(1000)))
    t.expect("[y/N]")
    t.line("y")
    t.expect('"1700000000000-3"', timeout=10)
    t.send(CTRL_C)
    t.expect("pasted lines were not run", timeout=10)
    t.expect("default>")
    done = _entries_in_s(t)
    assert 4 <= done < 1000

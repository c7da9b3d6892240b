"""The session layer: line classification, named clients, labelled deliveries, blocking notes."""

from __future__ import annotations

import pytest

from redis_lab.session import (
    Session,
    label_block,
    parse_duration,
    parse_line,
    render,
    valid_client_name,
)


@pytest.mark.parametrize("text, kind", [
    ("", "blank"), ("   ", "blank"), ("# note", "comment"), ("  # note", "comment"),
    (":as alice", "meta"), ("HELP XADD", "help"), ("? xadd", "help"), ("help", "help"),
    ("quit", "exit"), ("EXIT", "exit"), ("PING", "command"), ("@a PING", "command"),
    ("@a QUIT", "command"), ('SET k "open', "invalid"), ("@ PING", "invalid"),
    ("@alice", "invalid"), ("@bad/name PING", "invalid"),
])
def test_line_kinds(text, kind):
    assert parse_line(text).kind == kind


def test_line_parts():
    line = parse_line('@alice  PUBLISH chat "hi there"')
    assert (line.target, line.args) == ("alice", [b"PUBLISH", b"chat", b"hi there"])
    meta = parse_line("  :Advance   65s ")
    assert (meta.meta, meta.meta_arg) == ("advance", "65s")
    assert parse_line('ECHO "a').error == "Invalid argument(s)"


def test_client_names():
    assert valid_client_name("worker-1") and valid_client_name("a.b:c_d")
    assert not valid_client_name("") and not valid_client_name("-x") and not valid_client_name("a b")


def test_label_block_aligns_continuation_lines():
    assert label_block("bob", "1) a\n2) b") == "bob ◂ 1) a\n      2) b"


@pytest.mark.parametrize("text, ms", [("5000", 5000), ("500ms", 500), ("65s", 65000),
                                      ("1.5s", 1500), ("2m", 120000), ("1h", 3600000),
                                      (" 3 S ", 3000)])
def test_durations(text, ms):
    assert parse_duration(text) == ms


@pytest.mark.parametrize("text", ["", "-5", "5 years", "abc"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_reply_then_deliveries_in_order(run):
    assert run("@alice SUBSCRIBE chat", "@bob PSUBSCRIBE c*") == [
        '1) "subscribe"\n2) "chat"\n3) (integer) 1',
        '1) "psubscribe"\n2) "c*"\n3) (integer) 1',
    ]
    assert run("PUBLISH chat hi") == [
        "(integer) 2",
        'alice ◂ 1) "message"\n        2) "chat"\n        3) "hi"',
        'bob ◂ 1) "pmessage"\n      2) "c*"\n      3) "chat"\n      4) "hi"',
    ]


def test_resp3_client_sees_maps_and_pushes(run):
    out = run("@r HELLO 3")
    assert out[0].startswith('1# "server" => "redis"')
    run("@r SUBSCRIBE chat")
    assert run("PUBLISH chat x")[1] == 'r ◂ 1) "message"\n    2) "chat"\n    3) "x"'


def test_blocked_other_client_then_served(session, run):
    assert run("@worker XREAD BLOCK 0 STREAMS s $") == [
        "(worker is blocked: XREAD on s, no timeout)"]
    out = run("XADD s 1-1 f v")
    assert out[0] == '"1-1"'
    assert out[1].startswith('worker ◂ 1) 1) "s"')


def test_command_sent_to_a_blocked_client_is_queued(run):
    run("@w XREAD BLOCK 0 STREAMS s $")
    assert run("@w PING") == [
        "(w is blocked; the command is queued and runs when w is served, as Redis buffers it)"]
    out = run("XADD s 1-1 f v")
    assert [o.split(" ◂ ")[0] for o in out[1:]] == ["w", "w"]
    assert out[-1] == "w ◂ PONG"


def test_virtual_timeouts_fire_on_advance(session, run):
    run("@w XREAD BLOCK 1000 STREAMS s $")
    assert run(":advance 999") == ["virtual clock +999 ms: now 2023-11-14 22:13:20.999 UTC"]
    assert run(":advance 1") == ["virtual clock +1 ms: now 2023-11-14 22:13:21.000 UTC",
                                 "w ◂ (nil)"]


def test_subscribed_error_gets_a_tip_naming_another_client(session, run):
    out = run("SUBSCRIBE chat", "PUBLISH chat hi")
    assert out[-2].startswith("(error) ERR Can't execute 'publish'")
    assert out[-1].endswith("Send it from another client: @bob PUBLISH chat hi")
    run("@carol PING")
    assert run("PUBLISH chat hi")[-1].endswith("@carol PUBLISH chat hi")


def test_tips_only_in_interactive_sessions():
    quiet = Session()
    quiet.run_line("SUBSCRIBE chat")
    kinds = [p.kind for p in quiet.run_line("PUBLISH chat hi").printed]
    assert kinds == ["reply"]


def test_quotes_in_suggestions_survive(session, run):
    out = run("SUBSCRIBE chat", 'PUBLISH chat "hello world"')
    assert out[-1].endswith('@bob PUBLISH chat "hello world"')


def test_reset_gives_a_fresh_engine(session, run):
    run("SET k v", ":as alice")
    old = session.engine
    assert run(":reset") == [
        "fresh engine: every key, stream, group, subscription and client is gone"]
    assert session.engine is not old and session.current == "default"
    assert session.labels() == ["default"]
    assert run("GET k", "XADD s * a 1") == ["(nil)", '"1700000000000-0"']


def test_is_error_and_exit(session):
    assert session.run_line("NOSUCH").is_error
    assert not session.run_line("PING").is_error
    assert session.run_line("quit").exit
    assert session.run_line(":exit").exit


def test_help_lines(run):
    assert run("HELP PUBLISH")[0].startswith("  PUBLISH channel message\n  summary: ")
    assert "no help for 'NOPE'" in run("HELP NOPE")[0]
    assert run("HELP")[0].startswith("redis-lab:")


def test_introspect_reads_without_side_effects(session, run):
    run("XADD s * a 1", "SUBSCRIBE chat")
    client = session.engine.clients["default"]
    before = (client.last_command, list(session.engine.clients))
    assert session.introspect([b"XLEN", b"s"]) == 1
    assert session.introspect([b"NOSUCH"]) is None
    assert session.introspect([b"XLEN"]) is None          # wrong arity
    assert session.introspect([b"XINFO", b"GROUPS", b"nope"]) is None  # error reply
    assert (client.last_command, list(session.engine.clients)) == before


def test_render_of_plain_items(session):
    result = session.run_line("PING")
    assert [render(p) for p in result.printed] == ["PONG"]


def test_command_hooks_print_after_reply_and_deliveries(session, run):
    seen = []
    session.before_command.append(lambda s, label, args: seen.append(("before", label, args)))

    def after(s, label, args, reply):
        seen.append(("after", label, reply))
        return ["(a view of the stream)"]

    session.after_command.append(after)
    run("@alice SUBSCRIBE chat")
    assert run("PUBLISH chat hi")[-2:] == [
        'alice ◂ 1) "message"\n        2) "chat"\n        3) "hi"', "(a view of the stream)"]
    assert seen[-2:] == [("before", "default", [b"PUBLISH", b"chat", b"hi"]),
                         ("after", "default", 1)]


def test_rich_renderables_from_hooks_are_drawn_at_the_width(session):
    from rich.table import Table

    table = Table("stream", "length")
    table.add_row("orders", "2")
    session.after_meta.append(lambda s, name, arg: [table] if name == "clock" else None)
    printed = session.run_line(":clock").printed
    assert [p.kind for p in printed] == ["text", "view"]
    drawn = render(printed[1], width=40)
    assert "orders" in drawn and "\x1b[" not in drawn
    assert "\x1b[" in render(printed[1], width=40, color=True)


def test_a_failing_hook_prints_one_line_and_the_reply_stays(session):
    def broken(s, label, args, reply):
        raise KeyError("boom")

    session.after_command.append(broken)
    printed = session.run_line("PING").printed
    assert render(printed[0]) == "PONG"
    assert printed[1].is_error and "KeyError" in printed[1].text


def test_internal_clients_are_hidden_from_learners(session, run):
    session.engine.client("__views__")
    run("@alice PING")
    assert session.labels() == ["default", "alice"]
    assert "__views__" not in run(":clients")[0]
    assert session.suggest_other_client("default") == "alice"

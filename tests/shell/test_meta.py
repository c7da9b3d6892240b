"""Meta-commands, HELP, the prompt/toolbar text and the history file."""

from __future__ import annotations

from redis_lab.shell import help as help_mod
from redis_lab.shell import meta
from redis_lab.shell.toolbar import prompt_text, toolbar_text


def test_help_lists_every_meta_command(run):
    (text,) = run(":help")
    for name in (":help", ":as", ":clients", ":clock", ":advance", ":reset", ":quit"):
        assert f"  {name}" in text
    assert "@name COMMAND" in text


def test_help_on_a_command_and_a_meta_command(run):
    assert run(":help xadd")[0].startswith("  XADD key [NOMKSTREAM]")
    assert run(":help :advance")[0].startswith("  :advance DURATION")
    assert run(":help :nope") == ["no meta-command :nope; :help lists them"]


def test_as_switches_and_creates(session, run):
    assert run(":as alice") == ["now typing as alice (new client)"]
    assert session.current == "alice"
    assert run(":as default") == ["now typing as default"]
    assert run(":as") == ["usage: :as NAME (the current client is default)"]
    assert run(":as bad/name")[0].startswith("bad client name")


def test_clients_table(session, run):
    run("@alice SUBSCRIBE chat", "@alice PSUBSCRIBE n*", "@w XREAD BLOCK 5000 STREAMS s $",
        "@r HELLO 3", "@m MULTI", "@m PING", "@q QUIT")
    session.clock.advance(1000)
    lines = run(":clients")[0].split("\n")
    assert lines[0].split() == ["client", "id", "resp", "db", "state"]
    assert lines[1].startswith("* default")
    rows = {line.split()[0]: line for line in lines[2:]}
    assert rows["alice"].endswith("subscribed to channels chat; patterns n*")
    assert rows["w"].endswith("blocked in XREAD on s for 1 s, 4 s left")
    assert " 3  0 idle" in rows["r"]
    assert rows["m"].endswith("in MULTI, 1 queued")
    assert rows["q"].endswith("disconnected (QUIT); reconnects on its next command")


def test_clock_and_advance(session, run):
    assert run(":clock")[0].startswith("virtual clock: 2023-11-14 22:13:20.000 UTC (1700000000000")
    assert run(":advance 65s") == ["virtual clock +65 s: now 2023-11-14 22:14:25.000 UTC"]
    assert run(":advance") == ["usage: :advance DURATION, e.g. :advance 5000 or :advance 65s"]
    assert run(":advance soon")[0].startswith("not a duration")


def test_advance_on_the_wall_clock_explains():
    from redis_lab.cli import Settings, make_session

    wall = make_session(Settings(), interactive=True)
    (item,) = wall.run_line(":advance 5s").printed
    assert item.is_error and "--virtual-clock" in item.text
    assert wall.run_line(":clock").printed[0].text.startswith("wall clock: ")


def test_unknown_meta_command(run):
    assert run(":bogus")[0].startswith("unknown meta-command :bogus (known: :advance, :as")


def test_a_failing_meta_command_prints_one_line(session, run):
    @meta.meta_command("boom", help="always fails", hidden=True)
    def _boom(session, arg):
        raise RuntimeError("kaput")

    try:
        assert run(":boom") == ["internal error in :boom: RuntimeError: kaput"]
    finally:
        del meta.META["boom"]


def test_extension_meta_commands_register_with_the_decorator(session, run):
    saved = meta.META.get("frobwatch")

    @meta.meta_command("frobwatch", usage="WHAT", help="(test) watch something")
    def _watch(session, arg):
        return f"watching {arg}; shell={session.shell if hasattr(session, 'shell') else None}"

    try:
        assert run(":frobwatch orders") == ["watching orders; shell=None"]
        assert ":frobwatch" in meta.names()
    finally:
        del meta.META["frobwatch"]
        assert saved is None


def test_help_groups_and_lesson_hook():
    stream = help_mod.render_help(["@stream"])
    assert stream.startswith("  Streams commands (@stream):")
    assert "  XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]" in stream
    saved = list(help_mod.LESSON_FINDERS)
    help_mod.LESSON_FINDERS[:] = [lambda name: "2. Consumer groups" if name == "XACK" else None]
    try:
        assert help_mod.render_help(["xack"]).endswith("  lesson: 2. Consumer groups")
        assert "lesson:" not in help_mod.render_help(["xadd"])
    finally:
        help_mod.LESSON_FINDERS[:] = saved


def test_help_on_a_container_lists_subcommands():
    text = help_mod.render_help(["XINFO"])
    assert "    XINFO STREAM key [FULL [COUNT count]]" in text
    assert help_mod.render_help(["xinfo", "groups"]).startswith("  XINFO GROUPS key")


def test_help_wraps_to_the_width():
    text = help_mod.render_help(["XREADGROUP"], width=60)
    lines = [line for line in text.split("\n")[1:] if "example:" not in line]  # examples stay whole
    assert len(lines) > 6 and all(len(line) <= 60 for line in lines)


def test_prompt_shows_the_client_and_its_state(session, run):
    assert prompt_text(session) == "default> "
    run(":as alice", "SUBSCRIBE a b")
    assert prompt_text(session) == "alice (subscribed: 2)> "
    run("PSUBSCRIBE x*")
    assert prompt_text(session) == "alice (subscribed: 3)> "
    run(":as w", "XREAD BLOCK 0 STREAMS s $")
    assert prompt_text(session) == "w (blocked)> "
    run(":as r", "HELLO 3", "SELECT 2", "MULTI")
    assert prompt_text(session) == "r (MULTI: 0 queued, RESP3, db 2)> "


def test_toolbar_lists_clients_and_clock(session, run):
    run("@alice SUBSCRIBE chat")
    assert toolbar_text(session) == (
        " *default  alice (subscribed: 1) | virtual clock 22:13:20.000 | :help")


# ---- history ----------------------------------------------------------------------------------

def test_history_path_follows_xdg(tmp_path, monkeypatch):
    """(tests/test_paths.py checks the defaults and relative values for every file.)"""
    from redis_lab.shell.history import history_path

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert history_path() == tmp_path / "redis-lab" / "history"


def test_history_round_trip(tmp_path):
    from redis_lab.shell.history import SafeFileHistory, open_history

    path = tmp_path / "state" / "redis-lab" / "history"
    history, warnings = open_history(path)
    assert warnings == [] and isinstance(history, SafeFileHistory)
    history.append_string("XADD s * a 1")
    again, _ = open_history(path)
    assert list(again.load_history_strings()) == ["XADD s * a 1"]


def test_unreadable_history_warns_and_keeps_memory(tmp_path):
    from prompt_toolkit.history import InMemoryHistory

    from redis_lab.shell.history import open_history

    path = tmp_path / "history"
    path.mkdir()  # a directory where the file should be: cannot be read (even by root)
    history, warnings = open_history(path)
    assert isinstance(history, InMemoryHistory)
    assert len(warnings) == 1 and "not usable" in warnings[0]
    history.append_string("PING")
    assert history.get_strings() == ["PING"]


def test_history_write_failure_warns_once(tmp_path):
    from redis_lab.shell.history import SafeFileHistory

    warnings: list[str] = []
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = SafeFileHistory(blocker / "sub" / "history", warnings.append)  # parent is a file
    history.append_string("one")
    history.append_string("two")
    assert len(warnings) == 1 and "could not save history" in warnings[0]
    assert history.get_strings() == ["one", "two"]

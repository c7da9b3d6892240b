"""A property test over the meta-command grammar: bad input never crashes or half-applies.

Any ``:name`` followed by any mix of awkward words (huge and negative numbers, durations,
names with odd characters, quotes, empty strings) must answer with text or ONE error line,
never ``internal error`` or a traceback, and a line that answers with an error must leave the
session exactly as it was (clock, clients, current client, keys, watches).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redis_lab.cli import Settings, make_session
from redis_lab.shell import meta

WORDS = [
    "0", "1", "-1", "5", "99999999999999999999999", "9223372036854775807", "9223372036854775808",
    "18446744073709551616", "1.5", "1e9", "nan", "inf", "-5s", "65s", "2m", "1h", "500ms",
    "99999999999999999999999h", "1.0000000000000000001s", "virtual", "wall", "on", "off", "all",
    "stream", "pel", "lag", "fanout", "flow", "s", "g", "COUNT", "IDLE", "POISON", "svg", "html",
    "XADD", "s", "*", "f", "v", "@bob", "bob", "a b", "'", '"', "\\", "é", "\x00", "-", "",
    "1700000000000", "alice", ":advance", "XLEN", "ping",
]
SKIP = {"quit", "exit", "export", "lesson", "lessons", "restart", "skip", "back", "solution",
        "hint", "undo", "restore", "snapshot"}


def _meta_names() -> list[str]:
    meta.load_extensions()
    return sorted(name for name in meta.META if name not in SKIP)


def _state(session) -> tuple:
    engine = session.engine
    views = session.settings.get("views") if isinstance(session.settings, dict) else None
    watches = tuple(w.spec for w in views.watches) if views is not None else ()
    keys = tuple(sorted(engine.introspect([b"KEYS", b"*"], 0) or ()))
    return (session.current, tuple(session.labels()), session.clock.now_ms(),
            session.clock.virtual, keys, watches)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(_meta_names()),
       words=st.lists(st.sampled_from(WORDS), max_size=5))
def test_any_meta_line_answers_cleanly(name, words):
    session = make_session(Settings(virtual_clock=True), interactive=True)
    session.run_line("XADD s * f v")
    session.run_line("XGROUP CREATE s g 0")
    line = f":{name} " + " ".join(words)
    before = _state(session)
    result = session.run_line(line)
    text = "\n".join(p.text for p in result.printed)
    assert "internal error" not in text and "Traceback" not in text, (line, text)
    errors = [p for p in result.printed if p.is_error]
    for error in errors:
        assert "\n" not in error.text.strip(), (line, error.text)
    if errors:
        assert _state(session) == before, line
    session.run_line("XADD s * f v")  # the engine still works
    assert session.run_line("XINFO STREAM s").is_error is False, line
    assert not session.run_line(":clock").is_error, line


NUMBERS = ["0", "1", "-1", "3", "1.5", "99999999999999999999", "9223372036854775808", "٣", "",
           "65s", "1h", "99999999999999999999999h", "x"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["show", "watch"]),
       view=st.sampled_from(["stream s", "pel s g", "lag s", "fanout", "fanout ch", "flow"]),
       options=st.lists(st.tuples(st.sampled_from(["COUNT", "IDLE", "POISON", "count"]),
                                  st.sampled_from(NUMBERS)), max_size=3))
def test_view_options_answer_cleanly(name, view, options):
    """The views' own grammar (COUNT n, IDLE duration, POISON n) at its limits."""
    session = make_session(Settings(virtual_clock=True), interactive=True)
    session.run_line("XADD s * f v")
    session.run_line("XGROUP CREATE s g 0")
    line = f":{name} {view} " + " ".join(f"{o} {v}" for o, v in options)
    result = session.run_line(line)
    text = "\n".join(p.text for p in result.printed)
    assert "internal error" not in text and "Traceback" not in text, (line, text)
    for error in (p for p in result.printed if p.is_error):
        assert "\n" not in error.text.strip(), (line, error.text)


def test_each_view_option_at_its_limits():
    """Every view x option x awkward number, exhaustively (the random test above mixes them)."""
    inner = test_view_options_answer_cleanly.hypothesis.inner_test
    for view in ("stream s", "pel s g", "lag s"):
        for option in ("COUNT", "IDLE", "POISON"):
            for number in NUMBERS:
                inner("show", view, [(option, number)])

"""A wrong XACK / XCLAIM / XAUTOCLAIM is answered with the exact IDs, in the learner's words.

Driven as a learner types in the shell (``:lesson N``, ``:skip`` to the task, then the
mistake); the PEL is read through the session's introspection, so the same words come back on a
real redis-server.
"""

from __future__ import annotations

import pytest

from redis_lab.app import make_session
from redis_lab.session import render
from redis_lab.settings import Settings


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def say(session, line: str) -> str:
    return "\n".join(render(p, 1000) for p in session.run_line(line).printed)


def at_task(number: int, task: int, **settings):
    """A shell session at task ``task`` of lesson ``number`` (earlier tasks skipped)."""
    session = make_session(Settings(virtual_clock=True, **settings), interactive=True)
    say(session, f":lesson {number}")
    runner = session.course["runner"]
    while runner.task is None or runner.task_number(runner.task) < task:
        say(session, ":next" if runner.waiting else ":skip")
    return session


ADVICE = [   # lesson, task, what the learner types, the advice it must get (in full)
    pytest.param(5, 3, "@w1 XACK jobs workers 1700000000000-1",
                 "XACK needs the ID that w1 read: 1700000000000-0; you sent 1700000000000-1, "
                 "which w1 does not own (w2 read it)",
                 id="xack-of-a-neighbours-entry-names-both-ids-and-whose-they-are"),
    pytest.param(5, 3, "@w1 XACK jobs workers 1700000000000-2",
                 "XACK needs the ID that w1 read: 1700000000000-0; you sent 1700000000000-2, "
                 "which w1 read too, but this task does not ask to acknowledge it",
                 id="xack-of-another-entry-of-the-same-consumer"),
    pytest.param(6, 3, "XACK emails mailers 1700000000000-2",
                 "XACK needs the ID that worker5 read: 1700000000000-1; you sent "
                 "1700000000000-2, which is not pending in mailers",
                 id="xack-of-an-id-that-is-not-pending"),
    pytest.param(10, 3, "@c1 XACK logs collectors 1700000000000-0",
                 "XACK needs the IDs that c1 read: 1700000000000-0, 1700000000000-1; you sent "
                 "1700000000000-0, so 1700000000000-1 is still c1's",
                 id="xack-of-half-the-ids-names-the-rest"),
    pytest.param(11, 3, "@p2 XCLAIM payments processors p2 60000 1700000085000-0",
                 "XCLAIM needs the IDs that p1 read: 1700000000000-0, 1700000000000-1; you sent "
                 "1700000085000-0, which p1 does not own (p2 read it)",
                 id="xclaim-of-the-wrong-entry"),
    pytest.param(6, 2, "@worker3 XAUTOCLAIM emails mailers worker3 60000 1700000000000-2",
                 "XAUTOCLAIM scans the pending list from its start ID: 1700000000000-2 skips "
                 "1700000000000-1, which worker1 read; start at 0-0 to include them",
                 id="xautoclaim-started-too-late-names-what-it-skipped"),
]


@pytest.mark.parametrize(("lesson", "task", "line", "advice"), ADVICE)
def test_wrong_ids_get_advice_naming_the_exact_ids(lesson, task, line, advice):
    assert advice in say(at_task(lesson, task), line)


def test_right_ids_or_another_command_get_no_id_advice():
    session = at_task(11, 3)
    out = say(session, "@p2 XCLAIM payments processors p2 60000 1700000000000-0 1700000000000-1 "
                       "JUSTID")
    assert "✗" in out and "needs the ID" not in out       # the IDs were right: JUSTID is not
    out = say(at_task(6, 1), "XACK emails mailers 1700000000000-2")
    assert "✗" in out and "needs the ID" not in out       # the task wants an XCLAIM


def test_the_same_words_on_a_real_server(redis_server):
    redis_server.flush()
    session = at_task(5, 3, redis_url=f"redis://127.0.0.1:{redis_server.port}/0")
    try:
        out = say(session, "@w1 XACK jobs workers 1700000000000-1")
        assert ("XACK needs the ID that w1 read: 1700000000000-0; you sent 1700000000000-1, "
                "which w1 does not own (w2 read it)") in out
    finally:
        redis_server.flush()


def test_a_refused_command_keeps_redis_own_error():
    out = say(at_task(5, 3), "@w1 XACK jobs workers 1700000000000-1 not-an-id")
    assert "Redis refused it (ERR Invalid stream ID" in out and "needs the ID" not in out

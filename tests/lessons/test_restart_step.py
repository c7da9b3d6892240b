"""A ``:restart-server`` line in a lesson: the engine restarts from a temporary data directory.

Streams, groups and the PEL come back from the AOF; subscriptions and the clients' connections
do not. Lessons without the line stay in memory. On a real server the line restarts nothing and
says so, as a note (not an error), and the lesson plays on.
"""

from __future__ import annotations

from pathlib import Path

from redis_lab.app import lesson_session_factory
from redis_lab.course.loader import parse
from redis_lab.course.runner import LessonRunner, verify
from redis_lab.settings import Settings

from lessonkit import make_session

LESSON = """\
---
title: Restart
summary: What a restart keeps.
---
## Before

```redis
@alice SUBSCRIBE news
XGROUP CREATE jobs workers $ MKSTREAM
XADD jobs * task resize
@w1 XREADGROUP GROUP workers w1 STREAMS jobs >
PUBLISH news hello
:restart-server
```

## After

```check
stream jobs length 2
```

```solution
XADD jobs * task crop
```

```wrong
XADD jobs2 * task crop
```

```wrong
XDEL jobs 1700000000000-0
XADD jobs * task crop
```
"""


def _play(text: str, session) -> tuple[LessonRunner, list]:
    events: list = []
    runner = LessonRunner(parse(text, "99-restart", "lessons/99-restart.md"), session,
                          lambda *event: events.append(event))
    runner.start()
    return runner, events


def _printed(events) -> list:
    return [item for event in events if event[0] == "printed" for item in event[1]]


def test_the_restart_keeps_stream_group_and_pel_and_drops_the_subscription():
    session = make_session()
    runner, events = _play(LESSON, session)
    assert runner.task is not None and runner.task.title == "After"
    delivered = [p for p in _printed(events) if p.kind == "delivery" and p.label == "alice"]
    assert len(delivered) == 1 and "hello" in delivered[0].text      # seen before the restart
    assert session.backend.durable
    folder = Path(session.backend._scratch.name)
    assert (folder / "appendonly.aof").stat().st_size > 0
    assert session.introspect([b"XLEN", b"jobs"]) == 1
    pending = session.introspect([b"XPENDING", b"jobs", b"workers", b"-", b"+", b"10"])
    assert [(row[0], row[1]) for row in pending] == [(b"1700000000000-0", b"w1")]
    assert session.introspect([b"PUBSUB", b"NUMSUB", b"news"]) == [b"news", 0]
    assert session.find_client("alice") is None          # its connection went with the engine
    assert not [p for p in _printed(events) if p.is_error]


def test_a_lesson_without_the_line_stays_in_memory():
    session = make_session()
    _play(LESSON.replace(":restart-server\n", ""), session)
    assert not session.backend.durable
    assert session.introspect([b"PUBSUB", b"NUMSUB", b"news"]) == [b"news", 1]


def test_retry_after_the_restart_and_verify_pass():
    problems, counts = verify(parse(LESSON, "99-restart", "lessons/99-restart.md"), make_session)
    assert problems == [] and counts == {"tasks": 1, "wrong": 2, "recovered": 2}


def test_on_a_real_server_the_line_says_it_restarts_nothing_and_the_lesson_goes_on(
        redis_server):
    redis_server.flush()
    make = lesson_session_factory(Settings(redis_url=f"redis://127.0.0.1:{redis_server.port}/0"))
    try:
        session = make()
        runner, events = _play(LESSON, session)
        notes = [p for p in _printed(events) if p.text.startswith("not restarted")]
        assert len(notes) == 1 and not notes[0].is_error and notes[0].kind == "text"
        assert "cannot restart it" in notes[0].text and "appendonly yes" in notes[0].text
        assert session.introspect([b"PUBSUB", b"NUMSUB", b"news"]) == [b"news", 1]
        assert runner.task is not None and runner.task.title == "After"
        problems, counts = verify(parse(LESSON, "99-restart", "lessons/99-restart.md"), make)
        assert problems == [] and counts["wrong"] == 2
    finally:
        make.finish()
    assert redis_server.command("DBSIZE") == b":0\r\n"


def test_retry_after_a_restart_typed_mid_task_puts_the_task_start_back(tmp_path, monkeypatch):
    from redis_lab.app import make_session as make_shell_session
    from redis_lab.session import render

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    session = make_shell_session(Settings(virtual_clock=True), interactive=True)

    def say(line: str) -> str:
        return "\n".join(render(p, 200) for p in session.run_line(line).printed)

    say(":lesson 6")
    runner = session.course["runner"]
    while runner.task is None:
        say(":next")
    say("@worker2 XACK emails mailers 1700000000000-0")
    say(":restart-server")                    # a new engine: a snapshot of the old one is no use
    assert "Back to the start of task 1" in say(":retry")
    assert session.introspect([b"XPENDING", b"emails", b"mailers"])[0] == 3
    say(":advance 30s")
    out = say("@worker2 XCLAIM emails mailers worker2 60000 1700000000000-0")
    assert "✓" in out and runner.task is None          # passed; the narration goes on


def test_the_demo_steps_back_across_the_restart():
    from redis_lab.course.demo import Demo
    from redis_lab.course.loader import load_all

    lesson = next(lesson for lesson in load_all()[0] if lesson.number == 6)
    restart = next(number for number, step in enumerate(lesson.steps, 1)
                   if any(text == ":restart-server" for _, text in step.commands))
    demo = Demo(lesson, make_session(), lambda *event: None)
    demo.begin()
    while demo.current <= restart:
        demo.forward()
    demo.back()
    demo.back()                               # before the restart: the old engine's state
    session = demo.runner.session
    assert session.introspect([b"XPENDING", b"emails", b"mailers"])[0] == 3
    assert session.run_line("XACK emails mailers 1700000000000-2").reply == 1
    demo.back()
    while demo.forward():
        pass
    assert demo.all_passed

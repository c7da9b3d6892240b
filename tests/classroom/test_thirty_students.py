"""Thirty students at once on one ``redis-lab serve --classroom``.

* Each plays a lesson's reference solution through the shell's remote backend
  (``redis-lab --redis redis://sN:PASS@host:port lesson ...``), all concurrently: every task
  passes, and the teacher sees thirty sandboxes.
* Each runs a stream workload with redis-py (XADD, XGROUP, XREADGROUP, XACK) plus a key, a
  channel and a second client of their own, concurrently: every command is answered, and each
  student sees exactly their own keys, channels and clients.
"""

from __future__ import annotations

import threading

from classroom_helpers import CLASS_PASSWORD

from redis_lab.app import lesson_session_factory
from redis_lab.course.loader import load_all
from redis_lab.course.runner import LessonRunner
from redis_lab.settings import Settings

STUDENTS = 30


def run_all(target) -> dict[int, object]:
    """``target(i)`` in thirty threads at once; their results (or exceptions) by student."""
    results: dict[int, object] = {}
    start = threading.Barrier(STUDENTS)

    def student(i: int) -> None:
        try:
            start.wait()
            results[i] = target(i)
        except Exception as exc:  # reported by the test, with the student's number
            results[i] = exc

    threads = [threading.Thread(target=student, args=(i,)) for i in range(STUDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def one_server_lessons() -> list:
    """The course's lessons that play on one plain server (not those that need ``:cluster``)."""
    lessons, problems = load_all()
    assert not problems
    return [lesson for lesson in lessons
            if not any(line.strip().startswith(":cluster")
                       for step in lesson.steps for _, line in step.commands + step.solution)]


def test_thirty_students_play_lessons_concurrently(classroom_factory):
    server = classroom_factory()
    lessons = one_server_lessons()
    assert len(lessons) >= 13

    def play(i: int) -> list[str]:
        lesson = lessons[i % len(lessons)]
        settings = Settings(redis_url=server.url(f"lesson-{i}", CLASS_PASSWORD))
        sessions = lesson_session_factory(settings)
        runner = LessonRunner(lesson, sessions())
        runner.start()
        failures = []
        while runner.task is not None:
            if not runner.solve():
                failures.append(f"{lesson.name}: {runner.failing()}")
                break
        sessions.finish()   # the lesson's keys deleted, its connections closed
        return failures

    results = run_all(play)
    assert {i: r for i, r in results.items() if r != []} == {}
    # Each student's runner reported its progress: the lesson, done (tasks + 1), tries, hints.
    teacher = server.as_user("teacher")
    seen = {}
    for row in teacher.execute_command("LAB ROOMS"):
        fields = dict(zip(row[::2], row[1::2]))
        seen[fields[b"name"].decode()] = (fields[b"lesson"].decode(), fields[b"task"],
                                          fields[b"tries"], fields[b"hints"])
    assert seen == {f"lesson-{i}": (lessons[i % len(lessons)].name,
                                    len(lessons[i % len(lessons)].tasks) + 1, 0, 0)
                    for i in range(STUDENTS)}
    summary = {(lesson.decode(), task): count
               for lesson, task, count in teacher.execute_command("LAB CLASS")}
    first = lessons[0]   # played by students 0, 13 and 26 (with 13 lessons)
    assert [summary[(first.name, n)] for n in range(1, len(first.tasks) + 1)] == \
        [len(range(0, STUDENTS, len(lessons)))] * len(first.tasks)


def test_on_a_real_redis_progress_stays_local(redis_server):
    """LAB PROGRESS is an unknown command there: asked once, then never again."""
    lesson = one_server_lessons()[0]
    settings = Settings(redis_url=f"redis://127.0.0.1:{redis_server.port}/13")
    sessions = lesson_session_factory(settings)
    runner = LessonRunner(lesson, sessions())
    runner.start()
    while runner.task is not None:
        assert runner.solve()
    sessions.finish()
    assert runner.finished and runner.reporting is False


def test_thirty_stream_workers_stay_in_their_sandboxes(classroom_factory):
    server = classroom_factory()

    def work(i: int) -> dict:
        me = server.as_user(f"worker-{i}")
        other = server.as_user(f"worker-{i}")      # a second client of the same student
        sub = other.pubsub()
        sub.subscribe(f"chan-{i}")
        sub.get_message(timeout=5)
        me.set(f"key-{i}", i)
        me.xgroup_create("jobs", "g", id="0", mkstream=True)
        acked = 0
        for n in range(50):
            me.xadd("jobs", {"n": n, "by": i})
            for _, entries in me.xreadgroup("g", "c", {"jobs": ">"}, count=10):
                acked += me.xack("jobs", "g", *[entry_id for entry_id, _ in entries])
        seen = {
            "acked": acked,
            "keys": sorted(me.keys("*")),
            "channels": me.pubsub_channels("*"),
            "clients": sorted(int(c["id"]) for c in me.client_list()),
            "mine": sorted([me.client_id(), other.client_id(),
                            *[int(c["id"]) for c in me.client_list() if c["cmd"] == "subscribe"]]),
            "pending": me.xpending("jobs", "g")["pending"],
            "published": me.publish(f"chan-{i}", "x"),
        }
        sub.close()
        return seen

    results = run_all(work)
    for i, seen in results.items():
        assert not isinstance(seen, Exception), (i, seen)
        assert seen["acked"] == 50 and seen["pending"] == 0, (i, seen)
        assert seen["keys"] == [b"jobs", f"key-{i}".encode()], (i, seen)
        assert seen["channels"] == [f"chan-{i}".encode()], (i, seen)
        assert seen["clients"] == seen["mine"] and len(seen["clients"]) == 3, (i, seen)
        assert seen["published"] == 1, (i, seen)
    probe = server.as_user("worker-0")
    assert [g["consumers"] for g in probe.xinfo_groups("jobs")] == [1]   # worker-0's own c

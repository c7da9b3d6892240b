"""``./scripts/bench classroom`` at a tiny size: every student's commands answered and checked,
on redis-lab serve --classroom (dashboard refreshing) and on the reference redis-server. The
figures themselves are not asserted (no timed tests): only that they are all reported."""

from __future__ import annotations

import json

from servers import require_redis_server

from redis_lab.bench import main


def test_bench_classroom_runs_and_checks_every_reply(tmp_path, capsys):
    out = tmp_path / "classroom.json"
    status = main(["classroom", "--students", "3", "--rounds", "20", "--json", str(out),
                   "--redis-server", require_redis_server()])
    assert status == 0
    runs = json.loads(out.read_text())
    assert runs[0]["server"].startswith("redis-lab serve --classroom")
    assert runs[1]["server"].startswith("redis-server 7.0.")
    for figures in runs:
        assert figures["all_answered"] is True and figures["commands"] == 3 * 20 * 3
        assert set(figures["latency_ms"]) == {"p50", "p99", "max"}
        assert set(figures["per_student_ops_per_sec"]) == {"mean", "min", "max"}
    assert runs[0]["dashboard"] is True and runs[1]["dashboard"] is False
    printed = capsys.readouterr().out
    assert printed.count("every command answered and checked: yes") == 2

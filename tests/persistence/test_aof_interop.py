"""Interop both ways with a real redis-server 7.0 started by the tests.

* lab -> redis: the lab's single ``appendonly.aof`` is put in a redis-server's directory and
  the server started with ``appendonly yes`` (and ``appenddirname`` / ``appendfilename`` set,
  so Redis 7 upgrades the file to its multi-part layout): every introspection answer equals the
  lab's, radix-tree sizes and delivery times included (a consumer's seen-time and idle masked).
* redis -> lab: a redis-server with ``aof-use-rdb-preamble no`` writes base + incr files and a
  manifest (BGREWRITEAOF in the middle); the lab loads that directory, and answers like a
  redis-server restarted on the same files.
"""

from __future__ import annotations

import shutil
import time

import pytest
from aofkit import assert_same, engine_call, server_call, state
from servers import start_redis_server
from test_aof_restart import ALL_KEYS, durable, run
from test_stream_stateful import Generator

from redis_lab.persistence import open_durable_engine

AOF_ON = ("--appendonly", "yes", "--appenddirname", "appendonlydir",
          "--appendfilename", "appendonly.aof", "--aof-use-rdb-preamble", "no")


def redis_loading(aof_file, workdir):
    """A redis-server started on a directory holding ``aof_file`` as its old-style AOF."""
    workdir.mkdir()
    shutil.copy(aof_file, workdir / "appendonly.aof")
    return start_redis_server(workdir, *AOF_ON)


def _scripted(engine):
    run(engine, "XADD s 1-1 a 1", "XADD s * b 2", "XADD s * c 3", "XADD s MAXLEN ~ 2 * d 4",
        "XGROUP CREATE s g 0", "XGROUP CREATE s h $",
        "XREADGROUP GROUP g alice COUNT 2 STREAMS s >",
        "XREADGROUP GROUP g alice STREAMS s 0",
        "XREADGROUP GROUP g bob NOACK STREAMS s >",
        "XREADGROUP GROUP g carol STREAMS s 0",
        "XDEL s 1-1", "XAUTOCLAIM s g dave 0 0 COUNT 1", "XCLAIM s g erin 0 1700000000000-0",
        "XACK s g 1700000000000-1", "XADD s * e 5", "XREADGROUP GROUP h zoe STREAMS s >",
        "SET str hello")


def test_a_lab_aof_loads_in_redis_server_with_the_same_state(tmp_path):
    engine = durable(tmp_path / "lab")
    _scripted(engine)
    engine.aof.close()
    server = redis_loading(tmp_path / "lab" / "appendonly.aof", tmp_path / "redis")
    try:
        assert_same(state(engine_call(engine), ["s", "str"]),
                    state(server_call(server), ["s", "str"]))
        # Redis 7 upgraded the old-style file into its multi-part layout.
        assert (tmp_path / "redis" / "appendonlydir" / "appendonly.aof.manifest").exists()
    finally:
        server.stop()


@pytest.mark.parametrize("seed", range(3))
def test_random_lab_aofs_load_in_redis_server(seed, tmp_path):
    gen = Generator(100 + seed, lambda: durable(tmp_path / "lab"))
    gen.build(800)
    gen.engine.aof.close()
    server = redis_loading(tmp_path / "lab" / "appendonly.aof", tmp_path / "redis")
    try:
        assert_same(state(engine_call(gen.engine), ALL_KEYS), state(server_call(server), ALL_KEYS))
    finally:
        server.stop()


def _wait_rewrite(server):
    for _ in range(500):
        info = server.command("INFO", "persistence")
        if b"aof_rewrite_in_progress:0" in info and b"aof_rewrite_scheduled:0" in info:
            return
        time.sleep(0.01)
    raise AssertionError("redis-server's BGREWRITEAOF did not finish")


@pytest.mark.parametrize("seed", range(2))
def test_a_redis_server_multipart_aof_loads_in_the_lab(seed, tmp_path, engine_factory):
    workdir = tmp_path / "redis"
    server = start_redis_server(workdir, *AOF_ON)
    try:
        gen = Generator(200 + seed, engine_factory)
        gen.build(600)
        server.session(*gen.commands[:300])
        server.command("BGREWRITEAOF")
        _wait_rewrite(server)
        server.session(*gen.commands[300:])
    finally:
        server.stop()
    files = sorted(p.name for p in (workdir / "appendonlydir").iterdir())
    assert any(".base.aof" in name for name in files) and any(".incr.aof" in name
                                                                for name in files), files
    assert not (workdir / "appendonlydir" / files[0]).read_bytes().startswith(b"REDIS")
    shutil.copytree(workdir / "appendonlydir", tmp_path / "lab" / "appendonlydir")
    lab = open_durable_engine(tmp_path / "lab", "no")
    reloaded = start_redis_server(workdir, *AOF_ON)
    try:
        want = state(server_call(reloaded), ALL_KEYS)
        assert_same(want, state(engine_call(lab), ALL_KEYS))
    finally:
        reloaded.stop()
    # The lab rewrites that directory as Redis would (new base + incr, new manifest), and
    # redis-server loads the lab's files.
    lab.client("x").execute([b"BGREWRITEAOF"])
    lab.aof.close()
    manifest = (tmp_path / "lab" / "appendonlydir" / "appendonly.aof.manifest").read_text()
    kinds = [line.split()[-1] for line in manifest.splitlines()]
    assert kinds == ["b", "i"], manifest
    assert sorted(p.name for p in (tmp_path / "lab" / "appendonlydir").iterdir()) == sorted(
        [line.split()[1] for line in manifest.splitlines()] + ["appendonly.aof.manifest"])
    shutil.rmtree(workdir / "appendonlydir")
    shutil.copytree(tmp_path / "lab" / "appendonlydir", workdir / "appendonlydir")
    after_rewrite = start_redis_server(workdir, *AOF_ON)
    try:
        assert_same(state(engine_call(lab), ALL_KEYS, mask_radix=True),
                    state(server_call(after_rewrite), ALL_KEYS, mask_radix=True))
    finally:
        after_rewrite.stop()


LOSSY = ["XADD s 1-1 a 1", "XADD s 2-1 b 2", "XADD s 3-1 c 3", "XGROUP CREATE s g 0",
         "XREADGROUP GROUP g alice COUNT 2 STREAMS s >",    # entries-read 2, lag 1
         "XREADGROUP GROUP g alice STREAMS s 0",            # re-read: delivery count 2
         "XREADGROUP GROUP g carol STREAMS s 0"]            # carol exists, nothing pending


def _facts(call):
    [group] = call("XINFO", "GROUPS", "s")
    group = dict(zip(group[0::2], group[1::2]))
    counts = [row[3] for row in call("XPENDING", "s", "g", "-", "+", "10")]
    consumers = [c[1] for c in call("XINFO", "CONSUMERS", "s", "g")]
    return group[b"entries-read"], group[b"lag"], counts, consumers


def test_redis_own_aof_loses_what_the_lab_file_keeps(tmp_path):
    """The reason for the lab's extra commands, shown on redis-server 7.0 itself."""
    live_want = (2, 1, [2, 2], [b"alice", b"carol"])
    redis = start_redis_server(tmp_path / "redis", *AOF_ON)
    try:
        redis.session(*[line.split() for line in LOSSY])
        assert _facts(server_call(redis)) == live_want
    finally:
        redis.stop()
    again = start_redis_server(tmp_path / "redis", *AOF_ON)
    try:
        # Restarted on its own AOF: entries-read and lag unknown, the re-read forgotten,
        # carol gone.
        assert _facts(server_call(again)) == (None, None, [1, 1], [b"alice"])
    finally:
        again.stop()
    engine = durable(tmp_path / "lab")
    run(engine, *LOSSY)
    engine.aof.close()
    assert _facts(engine_call(engine)) == live_want
    loaded = redis_loading(tmp_path / "lab" / "appendonly.aof", tmp_path / "redis-lab-file")
    try:
        assert _facts(server_call(loaded)) == live_want
    finally:
        loaded.stop()


def test_a_ttl_redis_wrote_as_pexpireat_is_kept(tmp_path):
    redis = start_redis_server(tmp_path / "redis", *AOF_ON)
    try:
        redis.session(("SET", "k", "v", "EX", "1000"), ("SET", "gone", "v", "PX", "1"),
                      ("BGREWRITEAOF",))
        _wait_rewrite(redis)
    finally:
        redis.stop()
    base = next((tmp_path / "redis" / "appendonlydir").glob("*.base.aof")).read_bytes()
    assert b"PEXPIREAT" in base
    shutil.copytree(tmp_path / "redis" / "appendonlydir", tmp_path / "lab" / "appendonlydir")
    lab = open_durable_engine(tmp_path / "lab", "no")
    try:
        when = lab.dbs[0].expires[b"k"]
        assert 990_000 < when - lab.clock.now_ms() <= 1_000_000
        assert lab.client("c").execute([b"GET", b"k"]) == b"v"
        assert lab.client("c").execute([b"GET", b"gone"]) is None
    finally:
        lab.aof.close()

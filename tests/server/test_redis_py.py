"""redis-py (with hiredis) against redis-server and ``redis-lab serve``: the same results.

A real client library is the other half of the proof: it parses every reply (RESP2 and RESP3),
pipelines a thousand commands in one write, keeps a pub/sub connection open and blocks in
XREAD while another connection writes. Each scenario runs on both servers and the Python values
redis-py returns must be equal (errors compared by their text).
"""

from __future__ import annotations

import threading
import time

import pytest
import redis


def connect(server, protocol: int) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=server.port, protocol=protocol,
                       socket_timeout=10)


def thousand_commands(pipe) -> None:
    for i in range(1, 301):
        pipe.xadd("s", {"n": i, "text": f"entry {i}"}, id=f"{i}-1")
    pipe.xlen("s")
    pipe.xrange("s", "-", "+", count=10)
    pipe.xrevrange("s", "+", "-", count=3)
    pipe.xgroup_create("s", "g", id="0")
    pipe.xgroup_create("s", "g", id="0")  # BUSYGROUP
    for i in range(200):
        pipe.xreadgroup("g", f"c{i % 4}", {"s": ">"}, count=1)
    pipe.xpending("s", "g")
    for i in range(1, 101):
        pipe.xack("s", "g", f"{i}-1")
    pipe.xclaim("s", "g", "c9", 0, ["102-1", "103-1"], justid=True)
    pipe.xinfo_groups("s")
    pipe.xtrim("s", maxlen=250, approximate=False)
    pipe.xdel("s", "260-1", "999-1")
    for i in range(150):
        pipe.publish(f"ch{i % 3}", f"message {i}")
    pipe.set("k", "v")
    pipe.get("k")
    pipe.execute_command("XADD", "s", "1-1", "f", "v")  # ERR ID smaller
    pipe.execute_command("NOSUCH", "x")
    pipe.exists("s", "k", "nope")
    pipe.type("s")
    for i in range(233):
        pipe.ping()
    pipe.echo("done")


@pytest.mark.parametrize("protocol", [2, 3])
def test_pipeline_of_a_thousand(redis_server, lab_server, protocol):
    results = []
    for server in (redis_server, lab_server):
        server.flush()
        with connect(server, protocol) as client:
            pipe = client.pipeline(transaction=False)
            thousand_commands(pipe)
            assert len(pipe.command_stack) == 1000
            out = pipe.execute(raise_on_error=False)
            results.append([repr(x) if isinstance(x, Exception) else x for x in out])
    assert results[1] == results[0]


@pytest.mark.parametrize("protocol", [2, 3])
def test_transaction_pipeline(redis_server, lab_server, protocol):
    results = []
    for server in (redis_server, lab_server):
        server.flush()
        with connect(server, protocol) as client:
            pipe = client.pipeline(transaction=True)
            pipe.xadd("q", {"a": 1}, id="1-1").xadd("q", {"a": 2}, id="2-1").xlen("q")
            pipe.xrange("q")
            first = pipe.execute()
            pipe = client.pipeline(transaction=True)
            pipe.watch("q")
            other = connect(server, protocol)
            other.xadd("q", {"a": 3}, id="3-1")
            other.close()
            pipe.multi()
            pipe.xlen("q")
            try:
                pipe.execute()
                second = "ran"
            except redis.WatchError as exc:
                second = type(exc).__name__
            results.append((first, second))
    assert results[1] == results[0]
    assert results[0][1].startswith("WatchError")


@pytest.mark.parametrize("protocol", [2, 3])
def test_pubsub_and_blocking_across_connections(redis_server, lab_server, protocol):
    results = []
    for server in (redis_server, lab_server):
        server.flush()
        client = connect(server, protocol)
        pubsub = client.pubsub()
        pubsub.subscribe("news")
        pubsub.psubscribe("n*")
        got = [pubsub.get_message(timeout=5) for _ in range(2)]
        client.publish("news", "hello")
        got += [pubsub.get_message(timeout=5) for _ in range(2)]
        got.sort(key=repr)
        reader = connect(server, protocol)
        box = []
        thread = threading.Thread(
            target=lambda: box.append(reader.xread({"jobs": "$"}, block=0)))
        thread.start()
        waiter = connect(server, protocol)
        deadline = time.monotonic() + 10
        while int(waiter.info("clients")["blocked_clients"]) == 0:
            assert time.monotonic() < deadline, "XREAD BLOCK never blocked"
        waiter.xadd("jobs", {"task": "resize"}, id="5-1")
        thread.join(10)
        results.append((got, box))
        for c in (pubsub, client, reader, waiter):
            c.close()
    assert results[1] == results[0]
    assert len(results[0][0]) == 4 and results[0][1], results[0]  # both messages, one entry

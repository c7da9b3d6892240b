"""The lab's AOF rebuilds the exact live state on restart, and after BGREWRITEAOF.

Random sequences come from the conformance suite's stateful generator (every stream and group
command, valid and invalid); the state compared is every introspection answer (aofkit.state).
"""

from __future__ import annotations

import pytest
from aofkit import assert_same, engine_call, state
from test_stream_stateful import KEYS, Generator

from redis_lab.model.clock import VirtualClock
from redis_lab.persistence import open_durable_engine
from redis_lab.persistence.aofformat import read_commands

START = 1_700_000_000_000
ALL_KEYS = [*KEYS, "str"]


def durable(directory, **options):
    return open_durable_engine(directory, "no", clock=VirtualClock(START), **options)


def restarted(engine, directory):
    engine.aof.close()
    return durable(directory)


def commands_in(directory) -> list[list[bytes]]:
    data = (directory / "appendonly.aof").read_bytes()
    return [args for args, _, _ in read_commands(data)]


def run(engine, *lines):
    client = engine.client("c")
    return [client.execute(line.split()) for line in lines]


def test_ids_and_approximate_trims_are_logged_as_what_they_became(tmp_path):
    engine = durable(tmp_path)
    for _ in range(250):
        run(engine, "XADD s * f v")
    run(engine, "XADD s MAXLEN ~ 120 * f v", "XTRIM s MAXLEN ~ 10 LIMIT 100")
    logged = commands_in(tmp_path)
    assert logged[0] == [b"SELECT", b"0"]
    assert logged[1] == [b"XADD", b"s", b"1700000000000-0", b"f", b"v"]
    # 251 entries, trimmed by whole nodes of 100 to 151, then to 51: '=' with what was left.
    assert logged[-2] == [b"XADD", b"s", b"MAXLEN", b"=", b"151", b"1700000000000-250",
                          b"f", b"v"]
    assert logged[-1] == [b"XTRIM", b"s", b"MAXLEN", b"=", b"51"]
    before = state(engine_call(engine), ["s"])
    assert_same(before, state(engine_call(restarted(engine, tmp_path)), ["s"]))


def test_group_reads_restore_entries_read_delivery_counts_and_consumers(tmp_path):
    engine = durable(tmp_path)
    run(engine, "XADD s 1-1 a 1", "XADD s 2-1 b 2", "XADD s 3-1 c 3", "XGROUP CREATE s g 0",
        "XREADGROUP GROUP g alice COUNT 2 STREAMS s >",
        "XREADGROUP GROUP g alice STREAMS s 0",          # re-read: delivery count 2
        "XREADGROUP GROUP g bob NOACK STREAMS s >",       # NOACK: SETID + CREATECONSUMER
        "XREADGROUP GROUP g carol STREAMS s 0",           # empty history: consumer created
        "XDEL s 1-1", "XAUTOCLAIM s g dave 0 0", "XCLAIM s g erin 0 2-1 JUSTID",
        "XGROUP CREATECONSUMER s g frank", "XGROUP DELCONSUMER s g frank",
        "XACK s g 3-1", "SET str hello PX 100000")
    engine.clock.advance(5_000)
    before = state(engine_call(engine), ["s", "str"])
    logged = commands_in(tmp_path)
    assert [b"XGROUP", b"SETID", b"s", b"g", b"2-1", b"ENTRIESREAD", b"2"] in logged
    assert [b"XGROUP", b"CREATECONSUMER", b"s", b"g", b"carol"] in logged
    assert [b"SET", b"str", b"hello", b"PXAT", b"1700000100000"] in logged
    after = restarted(engine, tmp_path)
    after.clock.advance(5_000)
    assert_same(before, state(engine_call(after), ["s", "str"]))


def test_a_served_blocked_read_and_a_transaction_are_logged(tmp_path):
    engine = durable(tmp_path)
    run(engine, "XGROUP CREATE s g $ MKSTREAM")
    reader = engine.client("reader")
    reader.execute("XREADGROUP GROUP g w BLOCK 0 STREAMS s >".split())
    run(engine, "MULTI", "XADD s 5-1 k v", "SELECT 2", "XADD t 1-1 k v", "EXEC")
    assert reader.take_output()
    logged = commands_in(tmp_path)
    multi = logged.index([b"MULTI"])
    assert logged[multi:multi + 5] == [
        [b"MULTI"], [b"XADD", b"s", b"5-1", b"k", b"v"], [b"SELECT", b"2"],
        [b"XADD", b"t", b"1-1", b"k", b"v"], [b"EXEC"]]
    assert logged[multi + 5] == [b"SELECT", b"0"]
    assert logged[multi + 6][:6] == [b"XCLAIM", b"s", b"g", b"w", b"0", b"5-1"]
    before = state(engine_call(engine), ["s"])
    assert_same(before, state(engine_call(restarted(engine, tmp_path)), ["s"]))


def _restart_and_compare(gen, directory, label):
    before = state(engine_call(gen.engine), ALL_KEYS)
    gen.engine = restarted(gen.engine, directory)
    gen.client = gen.engine.client("stateful")
    assert_same(before, state(engine_call(gen.engine), ALL_KEYS), label)


@pytest.mark.parametrize("seed", range(8))
def test_random_sequences_survive_restarts_and_rewrites(seed, tmp_path):
    gen = Generator(seed, lambda: durable(tmp_path))
    for segment in range(4):
        gen.build(200)
        _restart_and_compare(gen, tmp_path, f"restart after {200 * (segment + 1)} commands")
    live = gen.engine
    assert live.client("x").execute([b"BGREWRITEAOF"]) == \
        "Background append only file rewriting started"
    gen.engine = restarted(live, tmp_path)
    gen.client = gen.engine.client("stateful")
    # A rewrite rebuilds each stream's nodes from live entries only, as Redis's does.
    assert_same(state(engine_call(live), ALL_KEYS, mask_radix=True),
                state(engine_call(gen.engine), ALL_KEYS, mask_radix=True), "rewrite")
    gen.build(200)
    _restart_and_compare(gen, tmp_path, "restart after appending to a rewritten file")


def test_propagation_inside_exec_serves_no_blocked_reader_before_exec_ends(tmp_path):
    """Reading the PEL for the log must not run the engine's after-command work (serving
    blocked readers) in the middle of a transaction."""
    engine = durable(tmp_path)
    run(engine, "XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATE s h $")
    waiter = engine.client("waiter")
    waiter.execute("XREADGROUP GROUP h w BLOCK 0 STREAMS s >".split())
    run(engine, "MULTI", "XADD s 1-1 a 1", "XREADGROUP GROUP g c STREAMS s >", "XACK s h 1-1",
        "EXEC")
    # Served after EXEC, as Redis does: the XACK inside the transaction found nothing pending.
    assert engine.client("c").execute("XPENDING s h".split())[0] == 1
    before = state(engine_call(engine), ["s"])
    assert_same(before, state(engine_call(restarted(engine, tmp_path)), ["s"]))


def test_the_file_is_rewritten_by_itself_once_it_doubled_past_the_minimum_size(tmp_path):
    engine = durable(tmp_path, auto_rewrite_min_size=4096)
    for i in range(400):
        run(engine, f"XADD s * n {i}", "XTRIM s MAXLEN 5")
    assert engine.aof.rewrites >= 1
    assert (tmp_path / "appendonly.aof").stat().st_size < 8192   # never far past 2 x minimum
    assert not list(tmp_path.glob("temp-*"))                    # the temporary file was renamed
    before = state(engine_call(engine), ["s"])
    assert_same(before, state(engine_call(restarted(engine, tmp_path)), ["s"]))

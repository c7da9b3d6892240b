"""A damaged AOF: a truncated tail is cut with a warning (aof-load-truncated, Redis's default)
or refused; bytes that are not a command are refused with the file and offset; check-aof
reports and fixes; and no damage makes the loader crash (fuzz)."""

from __future__ import annotations

import random

import pytest
from aofkit import assert_same, engine_call, state
from test_aof_restart import durable, run

from redis_lab.persistence import AofLoadError
from redis_lab.persistence.checkaof import check_aof


def _written(tmp_path) -> bytes:
    engine = durable(tmp_path)
    run(engine, "XADD s 1-1 a 1", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
        "XADD s 2-1 b 2", "MULTI", "XADD s 3-1 c 3", "XACK s g 1-1", "EXEC", "XADD s 4-1 d 4")
    engine.aof.close()
    return (tmp_path / "appendonly.aof").read_bytes()


def _offsets(data: bytes) -> list[int]:
    """Where each command starts."""
    return [i for i in range(len(data))
            if data[i:i + 1] == b"*" and (i == 0 or data[i - 1:i] == b"\n")]


def test_a_truncated_tail_is_cut_back_to_the_last_whole_command_with_a_warning(tmp_path):
    data = _written(tmp_path)
    last = _offsets(data)[-1]
    (tmp_path / "appendonly.aof").write_bytes(data[:-5])
    engine = durable(tmp_path)
    [warning] = engine.aof.report.warnings
    assert f"truncated the AOF at offset {last}" in warning and "appendonly.aof" in warning
    assert (tmp_path / "appendonly.aof").read_bytes() == data[:last]
    assert engine.client("c").execute([b"XLEN", b"s"]) == 3


def test_an_unfinished_transaction_is_reverted_whole(tmp_path):
    data = _written(tmp_path)
    multi = data.index(b"*1\r\n$5\r\nMULTI")
    exec_at = data.index(b"*1\r\n$4\r\nEXEC")
    (tmp_path / "appendonly.aof").write_bytes(data[:exec_at + 3])
    engine = durable(tmp_path)
    assert f"at offset {multi}" in engine.aof.report.warnings[0]
    assert engine.client("c").execute([b"XLEN", b"s"]) == 2
    assert engine.client("c").execute([b"XPENDING", b"s", b"g"])[0] == 1   # XACK not applied


def test_without_aof_load_truncated_the_lab_refuses_to_start(tmp_path):
    data = _written(tmp_path)
    (tmp_path / "appendonly.aof").write_bytes(data[:-5])
    with pytest.raises(AofLoadError, match=rf"appendonly.aof at offset {_offsets(data)[-1]}"):
        durable(tmp_path, load_truncated=False)
    assert (tmp_path / "appendonly.aof").read_bytes() == data[:-5]   # left as it was


def test_bad_bytes_are_refused_with_file_and_offset(tmp_path):
    data = _written(tmp_path)
    second = _offsets(data)[1]
    (tmp_path / "appendonly.aof").write_bytes(data[:second] + b"GARBAGE\r\n" + data[second:])
    with pytest.raises(AofLoadError, match=rf"bad format AOF .*appendonly.aof at offset {second}.*"
                                           r"check-aof --fix"):
        durable(tmp_path)


def test_an_unknown_command_is_refused_with_its_offset(tmp_path):
    data = _written(tmp_path)
    (tmp_path / "appendonly.aof").write_bytes(data + b"*1\r\n$5\r\nNOPE!\r\n")
    with pytest.raises(AofLoadError, match=rf"Unknown command 'NOPE!' .* at offset {len(data)}"):
        durable(tmp_path)


def test_check_aof_reports_and_fixes_like_redis_check_aof(tmp_path):
    data = _written(tmp_path)
    path = tmp_path / "appendonly.aof"
    status, lines = check_aof(path)
    assert status == 0 and lines[-1] == "AOF appendonly.aof is valid"
    path.write_bytes(data[:-5])
    last = _offsets(data)[-1]
    line = data.count(b"\n", 0, last) + 1
    status, lines = check_aof(path)
    assert status == 1
    assert lines[0] == (f"AOF analyzed: filename=appendonly.aof, size={len(data) - 5}, "
                        f"ok_up_to={last}, ok_up_to_line={line}, "
                        f"diff={len(data) - 5 - last}")
    assert lines[-1] == "AOF appendonly.aof is not valid. Use the --fix option to try fixing it."
    status, lines = check_aof(path, fix=True, confirm=lambda question: False)
    assert status == 1 and lines[-1] == "Aborting..." and len(path.read_bytes()) == len(data) - 5
    status, lines = check_aof(path, fix=True)
    assert status == 0 and lines[-1] == "Successfully truncated AOF appendonly.aof"
    assert path.read_bytes() == data[:last]
    assert check_aof(path)[0] == 0


def test_fuzzed_tails_never_crash_the_loader(tmp_path):
    """1,000 damaged copies (cut at a random byte, and/or random bytes flipped in the last
    third): each loads (possibly with a warned truncation) or is refused with an offset."""
    data = _written(tmp_path / "source")
    rng = random.Random(16)
    outcomes = {"loaded": 0, "truncated": 0, "refused": 0}
    for case in range(1000):
        damaged = bytearray(data)
        if rng.random() < 0.7:
            del damaged[rng.randrange(len(damaged)):]
        if rng.random() < 0.6 and damaged:
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(len(damaged) * 2 // 3, len(damaged))
                damaged[at] = rng.randrange(256)
        folder = tmp_path / str(case)
        folder.mkdir()
        (folder / "appendonly.aof").write_bytes(bytes(damaged))
        try:
            engine = durable(folder)
        except AofLoadError as exc:
            assert " at offset " in str(exc) and "appendonly.aof" in str(exc), str(exc)
            outcomes["refused"] += 1
            continue
        if engine.aof.report.warnings:
            assert "at offset" in engine.aof.report.warnings[0]
            outcomes["truncated"] += 1
        else:
            outcomes["loaded"] += 1
        engine.aof.close()
    assert min(outcomes.values()) > 50, outcomes


def test_a_transaction_with_a_ttl_inside_loads_in_order(tmp_path):
    from redis_lab.protocol.resp import encode_command

    commands = [[b"MULTI"], [b"SET", b"k", b"v"], [b"PEXPIREAT", b"k", b"1800000000000"],
                [b"EXEC"]]
    (tmp_path / "appendonly.aof").write_bytes(b"".join(encode_command(c) for c in commands))
    engine = durable(tmp_path)
    assert engine.dbs[0].expires[b"k"] == 1_800_000_000_000
    assert engine.aof.report.commands == 2 and engine.aof.report.error_replies == 0

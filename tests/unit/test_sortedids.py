"""The PEL's columns behave as a sorted map of 128-bit IDs, whatever the order of changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import redis_lab.model.sortedids as sortedids

MASK = (1 << 64) - 1
ids = st.builds(lambda ms, seq: (ms << 64) | seq, st.integers(0, 6), st.integers(0, 40))
ops = st.lists(st.tuples(st.sampled_from(["add", "remove", "batch", "run", "set", "owner"]),
                         ids, st.lists(ids, max_size=12), st.integers(0, 3)), max_size=200)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(ops, st.integers(0, 1 << 70))
def test_matches_a_sorted_map(ops_list, span):
    saved, sortedids.CHUNK = sortedids.CHUNK, 8   # small chunks: splits and merges happen
    try:
        _check(ops_list, span)
    finally:
        sortedids.CHUNK = saved


def _check(ops_list, span):
    pel, ref = sortedids.PendingList(), {}
    for step, (op, sid, batch, owner) in enumerate(ops_list):
        if op == "add" and sid not in ref:
            pel.add(sid, step, 7, owner)
            ref[sid] = (step, 7, owner)
        elif op == "remove":
            assert pel.remove(sid) == (ref.pop(sid)[2] if sid in ref else -1)
        elif op == "run" and owner:     # XACK's one-slice path: a run as it lies, or nothing
            run = [x for x in sorted(ref) if x >= sid][:1 + len(batch) % 5]
            given = run if owner < 3 else batch
            got = pel.remove_run([x >> 64 for x in given], [x & MASK for x in given])
            if got is None:
                assert len(pel) == len(ref) and (given != run or len(run) > 1 or not run)
            else:
                assert given == run and got.tolist() == [ref.pop(x)[2] for x in run]
        elif op == "run":
            gone = sorted(set(batch) | {x for x in ref if sid <= x < sid + 5})
            owners = pel.remove_sorted(gone)
            assert owners == [ref.pop(x)[2] for x in gone if x in ref]
        elif op == "batch":
            fresh = sorted(x for x in set(batch) if x > max(ref, default=-1))
            pel.extend([x >> 64 for x in fresh], [x & MASK for x in fresh], step, owner)
            ref.update((x, (step, 1, owner)) for x in fresh)
        elif op == "set" and sid in ref:
            pel.set(sid, -step, (1 << 63) + step, owner)   # counts wrap as Redis's do
            ref[sid] = (-step, step - (1 << 63), owner)
        elif op == "owner":
            assert pel.remove_owner(owner) == sum(1 for v in ref.values() if v[2] == owner)
            ref = {k: v for k, v in ref.items() if v[2] != owner}
        assert len(pel) == len(ref) and bool(pel) == bool(ref)
        assert pel.get(sid) == ref.get(sid) and (sid in pel) == (sid in ref)
    expected = sorted(ref)
    assert list(pel) == expected
    assert list(pel.entries()) == [(x, *ref[x]) for x in expected]
    if expected:
        assert pel.first() == expected[0] and pel.last() == expected[-1]
        start = expected[len(expected) // 2]
        inside = [x for x in expected if start <= x <= start + span]
        assert [row[0] for row in pel.entries(start, start + span)] == inside
        for limit in (1, 3, 10, 1 << 62):
            assert list(zip(*pel.window(start, start + span, limit))) == [
                (x >> 64, x & MASK, *ref[x]) for x in inside[:limit]]
    else:
        assert pel.first() is None and pel.last() is None


def test_a_long_delivery_is_cut_into_chunks():
    """XREADGROUP COUNT 50000 in one step: chunks stay bounded, a bisect still finds each ID."""
    pel = sortedids.PendingList()
    pel.extend([0] * 20_000, list(range(1, 20_001)), 5, 2)
    assert len(pel) == 20_000
    assert max(len(chunk[0]) for chunk in pel._chunks) <= sortedids.CHUNK
    assert pel.get(12_345) == (5, 1, 2) and pel.get(20_001) is None
    assert pel.remove_sorted(list(range(100, 1_100))) == [2] * 1_000
    assert len(pel) == 19_000 and pel.first() == 1 and pel.last() == 20_000

"""The PEL indexes behave as sorted sets of 128-bit IDs, whatever the order of changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import redis_lab.model.sortedids as sortedids

ids = st.builds(lambda ms, seq: (ms << 64) | seq, st.integers(0, 6), st.integers(0, 40))
ops = st.lists(st.tuples(st.sampled_from(["add", "discard", "batch", "run"]), ids,
                         st.lists(ids, max_size=12)), max_size=200)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(ops, st.sampled_from([sortedids.SortedIDs, sortedids.LazySortedIDs]),
       st.integers(0, 1 << 70))
def test_matches_a_sorted_set(ops_list, kind, span):
    saved, sortedids.CHUNK = sortedids.CHUNK, 8   # small chunks: splits and merges happen
    try:
        _check(ops_list, kind, span)
    finally:
        sortedids.CHUNK = saved


def _check(ops_list, kind, span):
    index, ref = kind(), set()
    for op, sid, batch in ops_list:
        if op == "add" and sid not in ref:
            index.add(sid)
            ref.add(sid)
        elif op == "discard":
            assert index.discard(sid) == (sid in ref)
            ref.discard(sid)
        elif op == "run" and hasattr(index, "discard_run"):
            gone = sorted(set(batch) & ref) + sorted(x for x in ref if sid <= x < sid + 5)
            gone = sorted(set(gone))
            index.discard_run(gone)
            ref.difference_update(gone)
        elif op == "batch":
            fresh = sorted(set(batch) - ref)
            index.add_many(fresh)
            ref.update(fresh)
        assert len(index) == len(ref) and bool(index) == bool(ref)
    expected = sorted(ref)
    assert list(index) == expected
    if expected:
        assert index.first() == expected[0] and index.last() == expected[-1]
        start = expected[len(expected) // 2]
        assert list(index.irange(start, start + span)) == [x for x in expected
                                                            if start <= x <= start + span]

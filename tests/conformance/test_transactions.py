"""MULTI/EXEC/WATCH and connection edge cases, differentially against redis-server 7.0.

The divergences a reviewer's edge-case run found (issue 15), each replayed on both sides:
a rejected EXEC aborts with EXECABORT and leaves MULTI; SSUBSCRIBE inside MULTI is refused in
the EXEC reply; HELLO inside MULTI changes the protocol of the replies after it; WATCH inside
MULTI is refused alone; WATCHed keys changed by another client make EXEC answer nil; QUIT sent
while blocked is answered after the blocked reply and closes; POST / Host: close the
connection without a reply; counters set to 2^63-1 wrap as signed 64-bit integers.
"""

from __future__ import annotations

import pytest
from harness import MASK_HELLO, masked


def MASK_PENDING_IDLE(frames: list) -> list:
    """Extended XPENDING: each entry's idle time (third field) depends on the clock: zeroed."""
    out = []
    for kind, entries in frames:
        if kind == "*" and entries:
            entries = [(k, [*e[:2], (":", 0), *e[3:]]) if k == "*" and len(e) == 4 else (k, e)
                       for k, e in entries]
        out.append((kind, entries))
    return out


LLONG_MAX = str((1 << 63) - 1)

SCENARIOS: dict[str, list] = {
    "exec-rejected-aborts-the-transaction": [
        ("c", "MULTI"),
        ("c", "SET", "k", "v"),
        ("c", "EXEC", "now"),
        ("c", "PING"),
        ("c", "GET", "k"),
        ("c", "EXEC", "now"),
        ("c", "EXEC"),
    ],
    "exec-after-queued-error-and-unknown-command": [
        ("c", "MULTI"),
        ("c", "NOSUCH"),
        ("c", "SET", "k", "v"),
        ("c", "EXEC"),
        ("c", "EXEC"),
        ("c", "GET", "k"),
    ],
    "ssubscribe-inside-multi": [
        ("c", "MULTI"),
        ("c", "SSUBSCRIBE", "ch"),
        ("c", "SUBSCRIBE", "plain"),
        ("c", "EXEC"),
        ("c", "PING"),
        ("p", "SPUBLISH", "ch", "hi"),
        ("p", "PUBLISH", "plain", "hi"),
    ],
    "hello-inside-multi": [
        ("c", "MULTI"),
        ("c", "HELLO", "3"),
        ("c", "GET", "missing"),
        ("c", "XINFO", "HELP"),
        ("c", "HELLO", "2"),
        ("c", "GET", "missing"),
        masked(MASK_HELLO, "c", "EXEC"),
        ("c", "GET", "missing"),
    ],
    "watch-inside-multi-refused-alone": [
        ("c", "MULTI"),
        ("c", "WATCH", "k"),
        ("c", "SET", "k", "1"),
        ("c", "EXEC"),
        ("c", "GET", "k"),
    ],
    "watch-dirty-by-another-client": [
        ("c", "WATCH", "k", "s"),
        ("o", "SET", "k", "changed"),
        ("c", "MULTI"),
        ("c", "SET", "k", "mine"),
        ("c", "EXEC"),
        ("c", "GET", "k"),
        ("c", "WATCH", "s"),
        ("o", "XADD", "s", "1-1", "f", "v"),
        ("c", "MULTI"),
        ("c", "XLEN", "s"),
        ("c", "EXEC"),
        masked(MASK_HELLO, "c", "HELLO", "3"),
        ("c", "WATCH", "s"),
        ("o", "DEL", "s"),
        ("c", "MULTI"),
        ("c", "EXEC"),
    ],
    "watch-untouched-unwatch-discard-reset": [
        ("c", "WATCH", "k"),
        ("o", "SET", "other", "x"),
        ("c", "MULTI"),
        ("c", "SET", "k", "1"),
        ("c", "EXEC"),
        ("c", "WATCH", "k"),
        ("o", "SET", "k", "2"),
        ("c", "UNWATCH"),
        ("c", "MULTI"),
        ("c", "GET", "k"),
        ("c", "EXEC"),
        ("c", "WATCH", "k"),
        ("c", "MULTI"),
        ("c", "DISCARD"),
        ("o", "SET", "k", "3"),
        ("c", "MULTI"),
        ("c", "GET", "k"),
        ("c", "EXEC"),
        ("c", "WATCH", "k"),
        ("c", "RESET"),
        ("o", "SET", "k", "4"),
        ("c", "MULTI"),
        ("c", "GET", "k"),
        ("c", "EXEC"),
        ("c", "WATCH"),
        ("c", "UNWATCH", "x"),
    ],
    "watch-own-write-in-exec-dirties-other-watchers": [
        ("a", "WATCH", "k"),
        ("b", "MULTI"),
        ("b", "SET", "k", "b"),
        ("b", "EXEC"),
        ("a", "MULTI"),
        ("a", "SET", "k", "a"),
        ("a", "EXEC"),
        ("a", "GET", "k"),
    ],
    "quit-while-blocked": [
        ("r", "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
        ("r", "PING"),
        ("r", "QUIT"),
        ("r", "PING"),
        ("w", "XADD", "s", "1-1", "f", "v"),
        ("w", "CLIENT", "LIST", "TYPE", "pubsub"),
        ("r", "PING"),
    ],
    "post-and-host-close-without-reply": [
        ("c", "SET", "k", "v"),
        ("c", "POST", "/", "HTTP/1.1"),
        ("c", "GET", "k"),
        ("c", "host:", "example.com"),
        ("c", "PING"),
        ("c", "MULTI"),
        ("c", "Post"),
        ("c", "EXEC"),
    ],
    "counters-wrap-as-signed-64-bit": [
        ("c", "XADD", "s", "1-1", "a", "b"),
        ("c", "XSETID", "s", "1-1", "ENTRIESADDED", LLONG_MAX, "MAXDELETEDID", "0-0"),
        ("c", "XADD", "s", "2-1", "a", "b"),
        ("c", "XINFO", "STREAM", "s"),
        ("c", "XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", LLONG_MAX),
        ("c", "XINFO", "GROUPS", "s"),
        ("c", "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"),
        ("c", "XINFO", "GROUPS", "s"),
        ("c", "XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", LLONG_MAX),
        ("c", "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
        ("c", "XINFO", "GROUPS", "s"),
        ("c", "XCLAIM", "s", "g", "c", "0", "1-1", "RETRYCOUNT", LLONG_MAX),
        masked(MASK_PENDING_IDLE, "c", "XPENDING", "s", "g", "-", "+", "10"),
        ("c", "XCLAIM", "s", "g", "c", "0", "1-1"),
        masked(MASK_PENDING_IDLE, "c", "XPENDING", "s", "g", "-", "+", "10"),
    ],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_transactions(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

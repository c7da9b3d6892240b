"""The option loops that parse with the argument cursor (commands/args.py), differentially
against redis-server 7.0: words running out, words left over, a bad value before or after a bad
option, and numbers at the edges of the C types Redis reads them into.

The other scenario files already cover each command's ordinary errors; these are the orders and
edges where a cursor could report a different error first than Redis does.
"""

from __future__ import annotations

import pytest
from harness import MASK_HELLO, masked

SCENARIOS: dict[str, list] = {
    "scan-words-run-out": [
        ("c", "SET", "k", "v"),
        ("c", "SCAN", "0", "COUNT", "1", "COUNT"),
        ("c", "SCAN", "0", "COUNT", "1", "MATCH"),
        ("c", "SCAN", "0", "MATCH", "k", "TYPE"),
        ("c", "SCAN", "0", "COUNT", "x", "FOO"),
        ("c", "SCAN", "0", "FOO", "COUNT", "x"),
        ("c", "SCAN", "0", "count", "9223372036854775807"),
        ("c", "SCAN", "0", "COUNT", "9223372036854775808"),
        ("c", "SCAN", "0", "type", "STRING", "match", "K"),
    ],
    "set-value-parsed-after-the-options": [
        ("c", "SET", "k", "v", "EX", "abc", "FOO"),
        ("c", "SET", "k", "v", "PX", "abc", "EX"),
        ("c", "SET", "k", "v", "GET", "PXAT"),
        ("c", "SET", "k", "v", "EX", "10", "GET", "EX"),
        ("c", "SET", "k", "v", "pxat", "-1", "nx"),
        ("c", "SET", "k", "v", "KEEPTTL", "KEEPTTL"),
        ("c", "GET", "k"),
    ],
    "select-reads-a-c-int": [
        ("c", "SELECT", "2147483647"),
        ("c", "SELECT", "2147483648"),
        ("c", "SELECT", "-2147483648"),
        ("c", "SELECT", "-2147483649"),
        ("c", "SELECT", "99999999999999999999"),
        ("c", "SELECT", "+1"),
        ("c", "SELECT", "01"),
    ],
    "hello-options-run-out": [
        ("c", "HELLO", "3", "SETNAME", "a", "AUTH", "default"),
        ("c", "HELLO", "3", "AUTH", "default", "pw", "SETNAME"),
        ("c", "HELLO", "2", "setname", "x", "bad"),
        ("c", "HELLO", "+3"),
        ("c", "HELLO", "03"),
        masked(MASK_HELLO, "c", "HELLO", "2", "setname", "a", "setname", "b"),
        ("c", "CLIENT", "GETNAME"),
    ],
    "client-list-ids": [
        ("c", "CLIENT", "LIST", "ID", "1", "x"),
        ("c", "CLIENT", "LIST", "ID", "99999999999999999999"),
        ("c", "CLIENT", "LIST", "ID", "+1"),
    ],
    "xinfo-stream-full-count": [
        ("c", "XADD", "s", "1-1", "f", "v"),
        ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "9223372036854775808"),
        ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "+1"),
        ("c", "XINFO", "STREAM", "s", "FULL", "COUNT", "1", "x"),
        ("c", "XINFO", "STREAM", "s", "FULL", "COUNT"),
    ],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_argument_cursor(conformance, name):
    conformance.run(SCENARIOS[name], name=name)

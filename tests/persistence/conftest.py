"""Fixtures for the AOF tests: the stateful generator of the conformance suite is reused."""

from __future__ import annotations

import os
import sys

_CONFORMANCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "conformance")
for path in (os.path.dirname(os.path.abspath(__file__)), _CONFORMANCE):
    if path not in sys.path:
        sys.path.insert(0, path)

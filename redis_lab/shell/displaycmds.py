"""How replies print: ``:raw`` (redis-cli --raw) and ``:utf8`` (UTF-8 strings decoded).

The default is redis-cli's exact interactive text, so what a learner sees matches tutorials and
the real redis-cli; both switches only change the display (``protocol/cli_format.py``), never
what the engine answers. ``--raw``/``--no-raw`` and ``--utf8`` set them at start.
"""

from __future__ import annotations

from ..session import Session
from .meta import MetaError, meta_command


def _switch(arg: str, current: bool, name: str) -> bool:
    word = arg.strip().lower()
    if not word:
        return not current
    if word in ("on", "off"):
        return word == "on"
    raise MetaError(f"usage: :{name} [on | off] (no argument toggles)")


@meta_command("raw", usage="[on | off]",
              help="Print replies as redis-cli --raw does (strings unquoted, one item per line, "
                   "nil as an empty line); off is redis-cli's usual display. No argument "
                   "toggles.")
def _raw(session: Session, arg: str):
    session.settings.raw = _switch(arg, session.settings.raw, "raw")
    return "raw output on (as redis-cli --raw)" if session.settings.raw else \
        "raw output off (as redis-cli --no-raw)"


@meta_command("utf8", usage="[on | off]",
              help="Show strings that are valid UTF-8 decoded (\"café\") instead of redis-cli's "
                   "escapes (\"caf\\xc3\\xa9\"). No argument toggles.")
def _utf8(session: Session, arg: str):
    session.settings.utf8 = _switch(arg, session.settings.utf8, "utf8")
    return ("UTF-8 strings are shown decoded" if session.settings.utf8 else
            "strings are shown as redis-cli shows them (\\xHH escapes)")

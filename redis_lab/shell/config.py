"""The config file: the shell's defaults, in TOML, in the platform's config directory.

``~/.config/redis-lab/config.toml`` on Linux (``$XDG_CONFIG_HOME`` honoured; platformdirs
finds the right place on macOS and Windows), or the file ``--config FILE`` names. Every key is
optional; command-line options win over the file::

    clock = "virtual"          # "wall" (default) or "virtual": time moves only with :advance
    theme = "dark"             # "dark" (default), "light" or "mono" (no colours)
    pager = "less -SRXF"       # the pager for tall output; "" turns it off; default $PAGER
    width = 100                # columns for help and views (default: the terminal's)
    history_size = 10000       # lines of history kept between runs
    completion_case = "auto"   # command names completed as typed ("auto"), "upper" or "lower"
    raw = false                # replies as redis-cli --raw prints them
    utf8 = false               # UTF-8 strings shown decoded

A file that is not valid TOML, or holds an unknown key or a bad value, is reported as
``FILE:LINE: what is wrong`` and ignored as a whole: the shell starts with the defaults, never
with half a configuration. Runtime state (history, progress) is never written here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..paths import user_file

THEMES = ("dark", "light", "mono", "projector")


@dataclass(frozen=True)
class Key:
    """One setting: what it accepts (``check`` returns an error or None) and where it goes."""

    check: Callable[[object], str | None]
    apply: Callable[[object, object], None]


def _choice(*allowed: str) -> Callable[[object], str | None]:
    def check(value):
        if value not in allowed:
            return f"must be one of {', '.join(repr(a) for a in allowed)}"
        return None
    return check


def _int_range(low: int, high: int) -> Callable[[object], str | None]:
    def check(value):
        if type(value) is not int or not low <= value <= high:
            return f"must be a whole number from {low} to {high}"
        return None
    return check


def _is_bool(value) -> str | None:
    return None if type(value) is bool else "must be true or false"


def _is_str(value) -> str | None:
    return None if isinstance(value, str) else "must be a string (\"\" for none)"


def _set(name: str) -> Callable[[object, object], None]:
    return lambda settings, value: setattr(settings, name, value)


def _clock(settings, value) -> None:
    settings.virtual_clock = value == "virtual"


KEYS: dict[str, Key] = {
    "clock": Key(_choice("wall", "virtual"), _clock),
    "theme": Key(_choice(*THEMES), _set("theme")),
    "pager": Key(_is_str, _set("pager")),
    "width": Key(_int_range(20, 1000), _set("width")),
    "history_size": Key(_int_range(0, 1_000_000), _set("history_size")),
    "completion_case": Key(_choice("upper", "lower", "auto"), _set("completion_case")),
    "raw": Key(_is_bool, _set("raw")),
    "utf8": Key(_is_bool, _set("utf8")),
}


class ConfigError(Exception):
    """``FILE:LINE: what is wrong`` (str() is that line)."""


def default_path() -> Path:
    """config.toml in redis-lab's platform config directory (redis_lab/paths.py)."""
    return user_file("config", "config.toml")


def read_config(path: Path, must_exist: bool = False) -> dict:
    """The checked settings in ``path``; ConfigError if bad. A missing file is {} unless it
    ``must_exist`` (``--config FILE`` names it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if must_exist:
            raise ConfigError(f"{path}: no such file") from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\((?:at line (\d+), column \d+|at end of document)\)$", message)
        line = (found.group(1) or max(1, len(text.splitlines()))) if found else 1
        reason = message[:found.start()].strip() if found else message
        raise ConfigError(f"{path}:{line}: {reason[:1].lower() + reason[1:]}") from None
    for name, value in data.items():
        line = _line_of(text, name)
        key = KEYS.get(name)
        if key is None:
            known = ", ".join(KEYS)
            raise ConfigError(f"{path}:{line}: unknown setting {name!r} (known: {known})")
        problem = key.check(value)
        if problem:
            raise ConfigError(f"{path}:{line}: {name} {problem}, not {_toml(value)}")
    return data


def apply_config(settings, data: dict) -> None:
    """Put checked settings from ``read_config`` into ``settings``."""
    for name, value in data.items():
        KEYS[name].apply(settings, value)


def load_into(settings, path: Path | None, report: Callable[[str], None]) -> None:
    """Read the config file (``path``, else the default one) into ``settings``; report problems
    with ``report`` and keep the defaults."""
    try:
        apply_config(settings, read_config(path or default_path(), must_exist=path is not None))
    except ConfigError as exc:
        report(f"{exc}\n(config file ignored: starting with the defaults)")


def _line_of(text: str, name: str) -> int:
    """The line where key ``name`` is set (1 when it cannot be found, e.g. in a table)."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*[=.\[]")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"^\s*\[+\s*[\"']?{re.escape(name)}[\"']?\s*\]", line):
            return number
    return 1


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)

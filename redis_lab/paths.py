"""Where redis-lab keeps its files between runs: the one place that asks platformdirs.

The config file, the shell's history and the course progress each live in the platform's
user directory of their kind: ``~/.config/redis-lab``, ``~/.local/state/redis-lab`` and
``~/.local/share/redis-lab`` on Linux, with ``$XDG_CONFIG_HOME``, ``$XDG_STATE_HOME`` and
``$XDG_DATA_HOME`` honoured. Before this module each file found its own directory and they
disagreed about a relative ``$XDG_*_HOME`` (one used it, another ignored it). The XDG Base
Directory specification says a relative value is invalid and must be ignored; platformdirs does
exactly that from 4.11.8 on (its PR #540), which is why pyproject.toml asks for that version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

APP = "redis-lab"

Kind = Literal["config", "data", "state"]


def user_dir(kind: Kind) -> Path:
    """redis-lab's user directory of ``kind``: "config", "data" or "state".

    Returns:
        platformdirs' ``user_<kind>_dir`` for redis-lab, read from ``os.environ`` and the
        platform when called (``$XDG_<KIND>_HOME/redis-lab`` when that is an absolute path).
    """
    from platformdirs import PlatformDirs  # imported here: only a run that touches files pays

    return Path(getattr(PlatformDirs(APP, appauthor=False), f"user_{kind}_dir"))


def user_file(kind: Kind, name: str) -> Path:
    """The file ``name`` in redis-lab's user directory of ``kind``."""
    return user_dir(kind) / name

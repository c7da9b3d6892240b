"""redis_lab.paths: the one helper that says where config, history and progress live.

Each test sets the environment the way a user would (HOME and the XDG variables), then asks
the three users of the helper, so they can never again disagree about a directory.
"""

from __future__ import annotations

import pytest

from redis_lab.course.progress import progress_path
from redis_lab.paths import user_dir
from redis_lab.shell.config import default_path
from redis_lab.shell.history import history_path

VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A HOME of the test's own, with no XDG variable set."""
    if __import__("sys").platform != "linux":
        pytest.skip("not applicable on this platform: the XDG defaults checked are Linux's")
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_defaults_are_the_xdg_defaults_under_home(home):
    assert default_path() == home / ".config" / "redis-lab" / "config.toml"
    assert history_path() == home / ".local" / "state" / "redis-lab" / "history"
    assert progress_path() == home / ".local" / "share" / "redis-lab" / "progress.json"


def test_absolute_xdg_variables_are_honoured(home, monkeypatch):
    for name in VARIABLES:
        monkeypatch.setenv(name, str(home / name.lower()))
    assert default_path() == home / "xdg_config_home" / "redis-lab" / "config.toml"
    assert history_path() == home / "xdg_state_home" / "redis-lab" / "history"
    assert progress_path() == home / "xdg_data_home" / "redis-lab" / "progress.json"


@pytest.mark.parametrize("value", ["relative", "./here", "~/tilde", "", "   "])
def test_relative_or_empty_xdg_variables_are_ignored(home, monkeypatch, value):
    """The XDG spec: 'If an implementation encounters a relative path in any of these
    variables it should consider the path invalid and ignore it.' All three files agree."""
    for name in VARIABLES:
        monkeypatch.setenv(name, value)
    assert default_path() == home / ".config" / "redis-lab" / "config.toml"
    assert history_path() == home / ".local" / "state" / "redis-lab" / "history"
    assert progress_path() == home / ".local" / "share" / "redis-lab" / "progress.json"
    assert all(user_dir(kind).is_absolute() for kind in ("config", "data", "state"))


def test_the_directory_is_read_when_asked_not_at_import(home, monkeypatch):
    """A test or the composition root may change the environment after import."""
    first = history_path()
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "later"))
    assert history_path() == home / "later" / "redis-lab" / "history" != first

"""The config file: every key checked, errors as FILE:LINE, nothing half-applied."""

from __future__ import annotations

import pytest

from redis_lab.settings import Settings
from redis_lab.shell.config import ConfigError, default_path, load_into, read_config


def _load(tmp_path, text: str) -> tuple[Settings, list[str]]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    settings, reports = Settings(), []
    load_into(settings, path, reports.append)
    return settings, reports


def test_every_setting_is_applied(tmp_path):
    settings, reports = _load(tmp_path, 'clock = "virtual"\ntheme = "mono"\npager = ""\n'
                                        'width = 90\nhistory_size = 50\n'
                                        'completion_case = "upper"\nraw = true\nutf8 = true\n')
    assert reports == []
    assert (settings.virtual, settings.theme, settings.pager, settings.width,
            settings.history_size, settings.completion_case, settings.raw, settings.utf8) == (
        True, "mono", "", 90, 50, "upper", True, True)


@pytest.mark.parametrize("text, line, reason", [
    ('width = 90\nclock = "sideways"\n', 2, "clock must be one of 'wall', 'virtual'"),
    ("\n\nwidth = 10\n", 3, "width must be a whole number from 20 to 1000, not 10"),
    ("raw = 1\n", 1, "raw must be true or false, not 1"),
    ("colour = true\n", 1, "unknown setting 'colour'"),
    ('width = 90\npager = "less\n', 2, "illegal character"),
    ("width = 90\nwidth = 91\n", 2, "cannot overwrite a value"),
    ("[pager]\ncmd = 1\n", 1, "pager must be a string"),
])
def test_a_bad_file_names_file_and_line_and_changes_nothing(tmp_path, text, line, reason):
    settings, reports = _load(tmp_path, text)
    assert settings == Settings()                   # the defaults, not half the file
    assert len(reports) == 1
    first, second = reports[0].split("\n")
    assert first.startswith(f"{tmp_path / 'config.toml'}:{line}: ")
    assert reason in first
    assert second == "(config file ignored: starting with the defaults)"


def test_a_missing_file_is_no_error(tmp_path):
    assert read_config(tmp_path / "nope.toml") == {}


def test_an_unreadable_file_is_reported(tmp_path):
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ConfigError, match="dir.toml: cannot read it"):
        read_config(tmp_path / "dir.toml")


def test_the_default_path_is_in_the_platform_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_path() == tmp_path / "redis-lab" / "config.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert default_path().name == "config.toml"
    assert default_path().parent.name == "redis-lab"


def test_a_named_file_that_is_missing_is_reported(tmp_path):
    settings, reports = Settings(), []
    load_into(settings, tmp_path / "nope.toml", reports.append)
    assert reports == [f"{tmp_path / 'nope.toml'}: no such file\n"
                       "(config file ignored: starting with the defaults)"]
    assert settings == Settings()

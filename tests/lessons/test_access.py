"""Classroom and accessibility modes: ``--theme projector`` (high contrast, nothing dim, bold
prompts) and ``--screen-reader`` (lessons and demos as linear text: no box drawing, views as
labelled plain lines, a view read again only when it changed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rich.text import Text

from redis_lab.app import make_session
from redis_lab.course.present import RichPresenter
from redis_lab.session import render
from redis_lab.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
_BOXES = re.compile("[\u2500-\u259f]")


def test_screen_reader_lessons_are_linear_text(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    session = make_session(Settings(virtual_clock=True, screen_reader=True), interactive=True)
    out = "\n".join(render(p, 100) for p in session.run_line(":lesson 5").printed)
    out += "\n".join(render(p, 100) for p in session.run_line(":next").printed)
    assert not _BOXES.search(out), _BOXES.search(out)
    assert "Lesson 5: Consumer groups" in out
    assert "view [1] PEL jobs › workers:" in out and "view [2] consumer lag jobs:" in out
    assert "Task 1: your turn" in out


def test_screen_reader_demo_from_the_command_line():
    proc = subprocess.run([sys.executable, "-m", "redis_lab", "demo", "1", "--no-pause",
                           "--speed", "100", "--screen-reader", "--no-color"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not _BOXES.search(proc.stdout)
    assert "view [1] pub/sub fan-out:" in proc.stdout


def test_projector_theme_has_nothing_dim():
    from redis_lab.shell.app import BASE_STYLE, THEMES

    style = {**BASE_STYLE, **THEMES["projector"]}
    for name in ("rl.hint", "auto-suggestion", "out.note"):
        assert "dim" not in style[name] and "#808080" not in style[name]
    assert "bold" in style["prompt.label"]
    pause = RichPresenter(theme="projector").renderables("pause", 1, 5)[0]
    assert isinstance(pause, Text) and pause.style == "bold"
    assert RichPresenter().renderables("pause", 1, 5)[0].style == "dim"


def test_theme_and_screen_reader_options_reach_the_settings():
    from redis_lab.cli import _settings_from

    settings = _settings_from(None, {"theme": "projector", "screen_reader": True})
    assert settings.theme == "projector" and settings.screen_reader is True

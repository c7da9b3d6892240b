"""Classroom exports: slides (one SVG per step + index.html) and asciinema recordings.

The recording is read back with the asciinema package itself (its v2 loader, and its ``cat``
command, which replays the output stream), then held to the asciicast v2 format strictly:
header fields, event shapes, times that never go back, one marker per step, and no output
line wider than the width asked for. The slides are parsed as XML and rasterised with cairosvg.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.cells import cell_len

from redis_lab.course.exports import cast, slides
from redis_lab.course.loader import load_all

from lessonkit import make_session

LESSONS = {lesson.number: lesson for lesson in load_all()[0]}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("number, width", [(5, 80), (9, 100)])
def test_a_cast_is_asciicast_v2_with_a_marker_per_step(number, width, tmp_path):
    asciicast = pytest.importorskip("asciinema.asciicast")
    lesson = LESSONS[number]
    path = tmp_path / "lesson.cast"
    path.write_text(cast(lesson, make_session, width=width), encoding="utf-8")
    with asciicast.open_from_url(str(path)) as recording:
        assert recording.version == 2
        header = recording.v2_header
        events = list(recording.events())
    assert header["version"] == 2 and header["width"] == width and header["height"] == 40
    assert all(isinstance(e, list) and len(e) == 3 and e[1] in ("o", "m")
               and isinstance(e[0], float | int) and isinstance(e[2], str) for e in events)
    times = [e[0] for e in events]
    assert times == sorted(times) and times[0] >= 0
    markers = [e[2] for e in events if e[1] == "m"]
    assert markers == [f"step {n}: {step.title}" for n, step in enumerate(lesson.steps, 1)]
    screen = _ANSI.sub("", "".join(e[2] for e in events if e[1] == "o"))
    assert "\r\n" in screen and "\n" not in screen.replace("\r\n", "")
    assert max(cell_len(line) for line in screen.split("\r\n")) <= width
    assert "Well done" in screen
    replayed = subprocess.run([sys.executable, "-m", "asciinema", "cat", str(path)],
                              capture_output=True, text=True, timeout=60)
    assert replayed.returncode == 0, replayed.stderr
    assert "Lesson" in replayed.stdout


def test_slides_are_one_svg_per_step_and_an_index(tmp_path):
    cairosvg = pytest.importorskip("cairosvg")
    lesson = LESSONS[1]
    written = slides(lesson, make_session, tmp_path / "deck", width=80)
    svgs = sorted((tmp_path / "deck").glob("step-*.svg"))
    assert len(svgs) == len(lesson.steps) and (tmp_path / "deck" / "index.html") in written
    for svg, step in zip(svgs, lesson.steps):
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
        text = svg.read_text(encoding="utf-8")
        assert step.title.split()[0] in text.replace("&#160;", " ")
    png = cairosvg.svg2png(url=str(svgs[1]))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    index = (tmp_path / "deck" / "index.html").read_text(encoding="utf-8")
    assert json.dumps([p.name for p in svgs]) in index and "ArrowRight" in index


def test_the_width_changes_the_slides(tmp_path):
    narrow = slides(LESSONS[1], make_session, tmp_path / "80", width=80)[0]
    wide = slides(LESSONS[1], make_session, tmp_path / "120", width=120)[0]
    view = [ET.parse(p).getroot().get("viewBox").split() for p in (narrow, wide)]
    assert float(view[0][2]) < float(view[1][2])


def test_lesson_export_to_a_folder_and_a_cast_from_the_command_line(tmp_path):
    run = [sys.executable, "-m", "redis_lab", "lesson", "2", "--width", "80", "--export"]
    deck = subprocess.run([*run, f"{tmp_path}/deck/"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert deck.returncode == 0, deck.stderr
    assert (tmp_path / "deck" / "index.html").exists()
    rec = subprocess.run([*run, str(tmp_path / "l2.cast")], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert rec.returncode == 0, rec.stderr
    assert json.loads((tmp_path / "l2.cast").read_text().split("\n", 1)[0])["width"] == 80

"""Lessons for the classroom, exported step by step from the reference run.

``slides(lesson, ..., folder)`` writes one SVG per ``##`` step (``step-01.svg`` ...) and an
``index.html`` that pages through them (arrow keys, Space, or the buttons). ``cast(...)`` writes
an asciinema v2 recording (``.cast``): a header line, then ``[time, "o", text]`` output events
and one ``[time, "m", "step N: title"]`` marker at the start of each step, so ``asciinema play``
can jump or pause from step to step. Both honour the width asked for.

Both replay the lesson the way ``redis-lab demo`` does (course/demo.py): each step's narration
and commands, and for a task its reference answer, on a fresh embedded engine.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

from .demo import Demo
from .present import RichPresenter

#: Seconds a recording spends on a step's parts: typing, a reply, a pause at each marker.
TYPE_S, PRINT_S, STEP_S = 0.03, 0.6, 1.5


def _steps(lesson, make_session, console):
    """Replay ``lesson`` on ``console``; yield (number, title) after each step has printed."""
    demo = Demo(lesson, make_session(), RichPresenter(console))
    demo.runner.prepare()
    for number, step in enumerate(lesson.steps, 1):
        yield number, step.title, "start"
        demo.show(number)
        if not demo.answered:
            demo.answer()
        yield number, step.title, "end"


def slides(lesson, make_session, folder: Path, width: int = 100) -> list[Path]:
    """One SVG per step plus index.html in ``folder``; the files written."""
    from rich.console import Console

    folder.mkdir(parents=True, exist_ok=True)
    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True,
                      file=io.StringIO(), highlight=False)
    written: list[Path] = []
    titles: list[str] = []
    for number, title, moment in _steps(lesson, make_session, console):
        if moment == "end":
            path = folder / f"step-{number:02d}.svg"
            path.write_text(console.export_svg(
                title=f"Lesson {lesson.number} · step {number}: {title}", clear=True),
                encoding="utf-8")
            written.append(path)
            titles.append(title)
    index = folder / "index.html"
    index.write_text(_index_html(lesson, titles), encoding="utf-8")
    return [*written, index]


def _index_html(lesson, titles: list[str]) -> str:
    options = "\n".join(f'<option value="{i}">{i + 1}. {html.escape(t)}</option>'
                        for i, t in enumerate(titles))
    files = json.dumps([f"step-{i + 1:02d}.svg" for i in range(len(titles))])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Lesson {lesson.number}: {html.escape(lesson.title)}</title>
<style>body{{margin:0;background:#111;color:#eee;font:16px sans-serif;text-align:center}}
nav{{padding:8px}} img{{max-width:100%;max-height:calc(100vh - 60px)}}
button,select{{font-size:16px;margin:0 6px}}</style></head>
<body><nav><button id="prev">◀ back</button>
<select id="pick">{options}</select>
<button id="next">next ▶</button></nav>
<img id="slide" alt="">
<script>
const files = {files};
let at = 0;
function show(i) {{
  at = Math.max(0, Math.min(files.length - 1, i));
  document.getElementById("slide").src = files[at];
  document.getElementById("slide").alt = "step " + (at + 1);
  document.getElementById("pick").value = at;
}}
document.getElementById("prev").onclick = () => show(at - 1);
document.getElementById("next").onclick = () => show(at + 1);
document.getElementById("pick").onchange = e => show(Number(e.target.value));
document.addEventListener("keydown", e => {{
  if (e.key === "ArrowRight" || e.key === " " || e.key === "PageDown") show(at + 1);
  if (e.key === "ArrowLeft" || e.key === "PageUp" || e.key === "b") show(at - 1);
}});
show(0);
</script></body></html>
"""


class _Recorder(io.StringIO):
    """A console's file that stamps what is written with a (virtual) time."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[list] = []
        self.clock = 0.0

    def write(self, text: str) -> int:
        if text:
            self.clock += TYPE_S * min(len(text), 40)
            self.events.append([round(self.clock, 3), "o", text.replace("\n", "\r\n")])
            self.clock += PRINT_S if text.endswith("\n") else 0
        return len(text)

    def mark(self, label: str) -> None:
        self.clock += STEP_S
        self.events.append([round(self.clock, 3), "m", label])


def cast(lesson, make_session, width: int = 100, height: int = 40) -> str:
    """The reference run as an asciinema v2 recording, a marker at each step."""
    from rich.console import Console

    recorder = _Recorder()
    console = Console(width=width, height=height, color_system="256", force_terminal=True,
                      file=recorder, highlight=False, legacy_windows=False)
    for number, title, moment in _steps(lesson, make_session, console):
        if moment == "start":
            recorder.mark(f"step {number}: {title}")
    header = {"version": 2, "width": width, "height": height,
              "title": f"redis-lab lesson {lesson.number}: {lesson.title}",
              "env": {"TERM": "xterm-256color", "SHELL": "redis-lab"}}
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(event, ensure_ascii=False) for event in recorder.events]
    return "\n".join(lines) + "\n"

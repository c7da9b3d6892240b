"""Take the README's screenshot of the shell from a real run (and look at it before committing).

    python3 scripts/screenshot.py        # writes docs/img/shell-session.svg and .png

It starts ``python -m redis_lab --virtual-clock`` in a pseudo-terminal, types a short session,
reads the screen with pyte (a terminal emulator), redraws that screen with rich and exports it
as SVG (and PNG with cairosvg). Needs: pexpect, pyte, rich, cairosvg.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte
from rich.console import Console
from rich.style import Style
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
COLS, ROWS = 100, 42
SESSION = [
    "@alice SUBSCRIBE chat",
    "@bob SUBSCRIBE chat",
    "PUBLISH chat hi",
    "XGROUP CREATE jobs workers $ MKSTREAM",
    "@w1 XREADGROUP GROUP workers w1 BLOCK 0 STREAMS jobs >",
    "XADD jobs * task resize",
    "XPENDING jobs workers",
]


def run_session() -> pyte.Screen:
    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.ByteStream(screen)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PROMPT_TOOLKIT_NO_CPR="1",
               TERM="xterm-256color", XDG_STATE_HOME="/tmp/redis-lab-screenshot")
    child = pexpect.spawn(sys.executable, ["-m", "redis_lab", "--virtual-clock"], cwd=str(ROOT),
                          env=env, dimensions=(ROWS, COLS))

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.05))
            except pexpect.TIMEOUT:
                pass

    pump(1.5)
    for line in SESSION:
        for char in line:
            child.send(char)
            pump(0.01)
        child.send("\r")
        pump(0.5)
    child.send("XADD jobs * ta")   # a half-typed line: the hint and the suggestion show
    pump(1.0)
    child.terminate(force=True)
    return screen


def to_text(screen: pyte.Screen) -> Text:
    text = Text()
    for y in range(screen.lines):
        row = screen.buffer[y]
        for x in range(screen.columns):
            char = row[x]
            fg = None if char.fg == "default" else (f"#{char.fg}" if len(char.fg) == 6 else char.fg)
            bg = None if char.bg == "default" else (f"#{char.bg}" if len(char.bg) == 6 else char.bg)
            try:
                style = Style(color=fg, bgcolor=bg, bold=char.bold, italic=char.italics,
                              underline=char.underscore, reverse=char.reverse)
            except Exception:  # noqa: BLE001 - an unknown colour name: draw it plain
                style = Style()
            text.append(char.data, style)
        text.append("\n")
    text.rstrip()
    return text


def main() -> None:
    screen = run_session()
    console = Console(record=True, width=COLS, file=open(os.devnull, "w"), force_terminal=True,
                      color_system="truecolor")
    console.print(to_text(screen))
    out = ROOT / "docs" / "img" / "shell-session.svg"
    out.write_text(console.export_svg(title="redis-lab"), encoding="utf-8")
    import cairosvg

    svg = out.read_text(encoding="utf-8").replace("Fira Code", "DejaVu Sans Mono")
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(out.with_suffix(".png")))
    print(f"wrote {out} and {out.with_suffix('.png')}")


if __name__ == "__main__":
    main()

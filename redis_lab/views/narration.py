"""Narration: the renderable for one explain line (``» XACK removed ...``)."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from . import style


class Narration:
    """One narration line after ``» ``, wrapped to the width with a hanging indent."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        body = Text(self.text, style=style.EXPLAIN)
        lines = body.wrap(console, max(options.max_width - 2, 10))
        for i, piece in enumerate(lines):
            piece.rstrip()
            yield Text.assemble(("» " if i == 0 else "  ", style.ARROW), piece)

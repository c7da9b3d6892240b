"""The shell's plain tables (``:clients``, ``:lessons``), laid out by rich instead of by hand.

rich measures the cells (wide characters included), right-aligns the numbers and wraps the
last column at the terminal's width, where hand-made ``ljust``/``rjust`` padding could only
overflow. What rich adds that a line-oriented shell does not want is the padding at the end of
each line (every cell is padded to its column's width): ``Table`` drops it, so a script's
output and the screen end each line at its last character, as they did before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.table import Table as RichTable


class Table:
    """Columns with a header row and no borders, one space apart; lines end without padding.

    Args:
        headers: one title per column; a title starting with ">" is right-aligned (numbers).
        rows: the cells, as text; the last column wraps when the screen is too narrow.
    """

    def __init__(self, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        table = RichTable(box=None, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False,
                          header_style="bold")
        for number, title in enumerate(headers):
            last = number == len(headers) - 1
            right = title.startswith(">")
            table.add_column(title.removeprefix(">"), justify="right" if right else "left",
                             no_wrap=not last, overflow="fold")
        for row in rows:
            table.add_row(*row)
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in console.render_lines(self.table, options, pad=False):
            yield from _without_trailing_blanks(line)
            yield Segment.line()


def _without_trailing_blanks(line: list[Segment]) -> list[Segment]:
    """``line`` with the spaces at its end removed (unstyled padding, never text)."""
    line = list(line)
    while line:
        last = line[-1]
        if last.control:
            break
        text = last.text.rstrip(" ")
        if text:
            line[-1] = Segment(text, last.style)
            break
        line.pop()
    return line

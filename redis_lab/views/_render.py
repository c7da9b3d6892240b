"""Pieces the view renderables share: the framing panel, packed "label value" lines, "… more".

Imports rich; only the renderable modules import this one.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from . import style
from .humanize import count

#: Panel border (2) + padding (2).
FRAME = 4
#: Below this many columns a view switches to its narrow layout.
NARROW = 56


def frame(body: RenderableType, title: str | Text, width: int) -> Panel:
    """A view's rounded frame, titled at the top left, as wide as the console allows."""
    if isinstance(title, str):
        title = Text(title, style=style.TITLE)
    return Panel(body, title=title, title_align="left", box=box.ROUNDED,
                 border_style=style.BORDER, padding=(0, 1), width=width, expand=True)


def inner_width(width: int) -> int:
    return max(width - FRAME, 10)


def kv(label: str, value: str, value_style: str = style.VALUE) -> Text:
    """``label value`` with a grey label."""
    return Text.assemble((label + " ", style.LABEL), (value, value_style))


def pack(pieces: Iterable[Text], width: int, sep: str = " · ") -> list[Text]:
    """Lay pieces out on lines of at most ``width`` cells, never splitting a piece."""
    lines: list[Text] = []
    current = Text()
    for piece in pieces:
        if not piece.plain:
            continue
        if current.plain and current.cell_len + len(sep) + piece.cell_len > width:
            lines.append(current)
            current = Text()
        if current.plain:
            current.append(sep, style.DIM)
        current.append_text(piece)
    if current.plain:
        lines.append(current)
    for line in lines:
        line.no_wrap = True
        line.overflow = "ellipsis"
    return lines


def more(n: int, what: str) -> Text:
    """``… 9,850 more pending entries``."""
    return Text(f"… {count(n)} more {what}", style=style.DIM)


def line(*parts: tuple[str, str] | str | Text, wrap: bool = False) -> Text:
    """A Text from ``(text, style)`` pairs; cropped with an ellipsis unless ``wrap``."""
    out = Text.assemble(*parts)
    if not wrap:
        out.no_wrap = True
        out.overflow = "ellipsis"
    return out


def note(text: str) -> Text:
    """A wrapped explanatory note in the note style."""
    return Text(text, style=style.NOTE)


def indent(renderable: RenderableType, cells: int = 2) -> Padding:
    """``renderable`` indented by ``cells`` (wrapped lines keep the indent)."""
    return Padding(renderable, (0, 0, 0, cells))


def error_body(message: str, hint: str | None = None) -> Group:
    parts: list[RenderableType] = [Text(message, style=style.ERROR)]
    if hint:
        parts.append(note(hint))
    return Group(*parts)


def fit(text: str, width: int) -> str:
    """Crop ``text`` to ``width`` cells with an ellipsis (plain text, for table cells)."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


def missing_stream_body(snap):
    """The body for a stream view whose key is missing or not a stream (None if it is fine)."""
    if snap.info is not None:
        return None
    if snap.error and "no such key" in snap.error:
        return error_body(f"no stream at {snap.key}", f"XADD {snap.key} * field value creates it")
    return error_body(snap.error or "not a stream")


class FramedView:
    """A view drawn as ``body(width)`` inside its titled frame, as wide as the console allows.

    Subclasses set ``self.title`` and define ``body(inner_width) -> renderable``.
    """

    title: str

    def body(self, width: int) -> RenderableType:
        raise NotImplementedError

    def __rich_console__(self, console, options):
        width = options.max_width
        yield frame(self.body(inner_width(width)), self.title, width)

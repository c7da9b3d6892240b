"""Turn a lesson runner's events into text: rich renderables for screens, Markdown for files.

The shell, the classroom demo and ``--export .html/.svg`` print through ``RichPresenter``;
``--export .md`` and the golden transcripts use ``MarkdownTranscript``. Both take the same
events (see runner.py), so every way of showing a lesson shows the same thing.
"""

from __future__ import annotations

import re

from ..session import render, render_renderable

#: Box drawing and block elements (U+2500-U+259F): what a screen reader should not spell out.
_BOXES = re.compile("[\u2500-\u259f]")


def prompt_for(label: str | None) -> str:
    return f"{label or 'default'}> "


def hint_markdown(hint: str, style: str):
    """A hint as rich Markdown: `code` styled (no raw backticks), the source's line breaks
    joined, wrapped at the width it is drawn at (the terminal's) instead of raggedly."""
    from rich.markdown import Markdown

    return Markdown(f"hint: {hint}", style=style, inline_code_theme=None)


class MarkdownTranscript:
    """Collects a replay as Markdown: narration as is, commands and replies in text blocks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._code: list[str] = []

    def _flush(self) -> None:
        if self._code:
            self.parts.append("```text\n" + "\n".join(self._code) + "\n```")
            self._code = []

    def __call__(self, kind: str, *args) -> None:
        if kind == "lesson":
            lesson = args[0]
            self.parts.append(f"# Lesson {lesson.number}: {lesson.title}\n\n_{lesson.summary}_")
        elif kind == "markdown":
            self._flush()
            self.parts.append(args[0])
        elif kind == "command":
            label, line = args
            words = line.split(None, 1)
            if words and words[0].startswith("@"):
                label, line = words[0][1:], (words[1] if len(words) > 1 else "")
            self._code.append(prompt_for(label) + line)
        elif kind == "printed":
            for item in args[0]:
                self._code.append(render(item))
        elif kind == "renderable":
            self._code.append(args[1] if len(args) > 1 else str(args[0]))
        elif kind == "task":
            self._flush()
            self.parts.append(f"**Task {args[1]}.** Reference answer:")
        elif kind == "passed":
            self._flush()
            self.parts.append("✓ Task done.")
        elif kind == "skipped":
            self._flush()
            self.parts.append("↷ Task skipped.")
        elif kind == "note":
            self._flush()
            self.parts.append(f"_{args[0]}_")
        elif kind == "done":
            self._flush()
            self.parts.append("---\nLesson complete.")

    def text(self) -> str:
        self._flush()
        return "\n\n".join(self.parts) + "\n"


class RichPresenter:
    """Shows lesson events as rich renderables: printed on a Console, or collected (the shell
    collects them and prints them after the learner's reply)."""

    def __init__(self, console=None, *, redraw_unchanged: bool = True, theme: str = "dark",
                 screen_reader: bool = False) -> None:
        self.console = console
        self.collected: list = []
        self.redraw_unchanged = redraw_unchanged
        self._shown: dict[str, str] = {}     # a view's title line -> what it showed last
        # A projector washes dim text out: secondary lines are bold there instead.
        self.dim = "bold" if theme == "projector" else "dim"
        self.screen_reader = screen_reader
        if screen_reader:
            self.redraw_unchanged = False     # a view is read again only when it changed

    def _changed(self, renderable) -> bool:
        """False for a pinned view that would show exactly what it showed last time."""
        if self.redraw_unchanged:
            return True
        text = render_renderable(renderable, 100)
        title = text.split("\n", 1)[0]
        if self._shown.get(title) == text:
            return False
        self._shown[title] = text
        return True

    def __call__(self, kind: str, *args) -> None:
        if kind == "lesson":
            self._shown.clear()
        for renderable in self.renderables(kind, *args):
            if self.screen_reader:
                renderable = self._linear(renderable)
            if self.console is None:
                self.collected.append(renderable)
            else:
                self.console.print(renderable)

    def _linear(self, renderable):
        """A renderable as plain lines for a screen reader: no box drawing, no bars, a view
        labelled by its title, one space between columns."""
        from rich.text import Text

        if isinstance(renderable, Text):
            return renderable
        width = self.console.width if self.console is not None else 100
        lines = []
        for raw in render_renderable(renderable, width).split("\n"):
            line = " ".join(_BOXES.sub(" ", raw).split())
            if line and raw.lstrip().startswith("╭"):
                line = f"view {line}:"          # a pinned view's title bar
            if line:
                lines.append(line)
        return Text("\n".join(lines))

    def take(self) -> list:
        out, self.collected = self.collected, []
        return out

    def renderables(self, kind: str, *args) -> list:
        from rich.markdown import Markdown
        from rich.panel import Panel
        from rich.text import Text

        if kind == "lesson":
            lesson = args[0]
            return [Panel(Text(lesson.summary, style="italic"),
                          title=f"Lesson {lesson.number}: {lesson.title}", title_align="left",
                          border_style="cyan")]
        if kind == "markdown":
            return [Markdown(args[0])]
        if kind == "command":
            label, line = args
            words = line.split(None, 1)
            if words and words[0].startswith("@"):
                label, line = words[0][1:], (words[1] if len(words) > 1 else "")
            return [Text.assemble((prompt_for(label), "bold green"), (line, "bold"))]
        if kind == "printed":
            out = []
            for item in args[0]:
                if item.renderable is not None:
                    if self._changed(item.renderable):
                        out.append(item.renderable)
                else:
                    style = "red" if item.is_error else ("cyan" if item.kind == "delivery" else "")
                    out.append(Text(render(item), style=style))
            return out
        if kind == "renderable":
            return [args[0]]
        if kind == "task":
            return [Text(f"▶ Task {args[1]}: your turn. (:hint  :solution  :undo  :retry  :skip  "
                         ":back  :quit)", style="bold yellow")]
        if kind == "not-yet":
            _, feedback, hint = args
            out = [Text(f"✗ Not yet: {feedback}.", style="yellow")]
            if hint:
                from rich.padding import Padding

                out.append(Padding(hint_markdown(hint, self.dim), (0, 0, 0, 2)))
            return out
        if kind == "good":
            return [Text(f"✓ Good. Next: {args[1]}.", style="green")]
        if kind == "note":
            return [Text(args[0], style="cyan")]
        if kind == "pause":
            if self.screen_reader:
                return [Text(f"Enter (or :next) to go on, step {args[0]} of {args[1]}.")]
            return [Text(f"── Enter (or :next) to go on · step {args[0]} of {args[1]} ──",
                         style=self.dim)]
        if kind == "skipped":
            return [Text("↷ Skipped: the reference answer did it (your progress shows this task "
                         "as skipped).", style="yellow")]
        if kind == "hint":
            return [hint_markdown(args[0], "yellow")]
        if kind == "solution":
            return [Text("solution:", style="yellow")] + [Text(f"  {line}", style="bold")
                                                          for line in args[0]]
        if kind == "passed":
            return [Text("✓ Well done!", style="bold green")]
        if kind == "done":
            return [Panel(Text("Lesson complete. :lessons shows what comes next."),
                          border_style="green")]
        return []


def export(lesson, make_session, fmt: str, width: int = 100) -> str:
    """The transcript of the reference replay as Markdown, HTML or SVG text."""
    from .runner import LessonRunner

    if fmt == "md":
        transcript = MarkdownTranscript()
        runner = LessonRunner(lesson, make_session(), transcript)
        runner.start()
        while runner.task is not None:
            if not runner.solve():
                break
        return transcript.text()
    from rich.console import Console

    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True,
                      file=_Null())
    runner = LessonRunner(lesson, make_session(), RichPresenter(console))
    runner.start()
    while runner.task is not None:
        if not runner.solve():
            break
    if fmt == "html":
        return console.export_html(inline_styles=True)
    return console.export_svg(title=f"redis-lab — {lesson.title}")


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

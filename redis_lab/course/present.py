"""Turn a lesson runner's events into text: rich renderables for screens, Markdown for files.

The shell, the classroom demo and ``--export .html/.svg`` print through ``RichPresenter``;
``--export .md`` and the golden transcripts use ``MarkdownTranscript``. Both take the same
events (see runner.py), so every way of showing a lesson shows the same thing.
"""

from __future__ import annotations

from ..session import render


def prompt_for(label: str | None) -> str:
    return f"{label or 'default'}> "


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
        elif kind == "done":
            self._flush()
            self.parts.append("---\nLesson complete.")

    def text(self) -> str:
        self._flush()
        return "\n\n".join(self.parts) + "\n"


class RichPresenter:
    """Prints lesson events on a rich Console (colour, Markdown, panels)."""

    def __init__(self, console) -> None:
        self.console = console

    def __call__(self, kind: str, *args) -> None:
        from rich.markdown import Markdown
        from rich.panel import Panel
        from rich.text import Text

        out = self.console.print
        if kind == "lesson":
            lesson = args[0]
            out(Panel(Text(lesson.summary, style="italic"),
                      title=f"Lesson {lesson.number}: {lesson.title}", title_align="left",
                      border_style="cyan"))
        elif kind == "markdown":
            out(Markdown(args[0]))
        elif kind == "command":
            label, line = args
            words = line.split(None, 1)
            if words and words[0].startswith("@"):
                label, line = words[0][1:], (words[1] if len(words) > 1 else "")
            out(Text.assemble((prompt_for(label), "bold green"), (line, "bold")))
        elif kind == "printed":
            for item in args[0]:
                style = "red" if item.is_error else ("cyan" if item.kind == "delivery" else "")
                out(Text(render(item), style=style))
        elif kind == "renderable":
            out(args[0])
        elif kind == "task":
            out(Text(f"▶ Task {args[1]} — your turn. (:hint, :solution, :skip)", style="bold yellow"))
        elif kind == "not-yet":
            _, detail, hint = args
            out(Text(f"✗ Not yet: {detail}.", style="yellow"))
            if hint:
                out(Text(f"  hint: {hint}", style="dim"))
        elif kind == "hint":
            out(Text(f"hint: {args[0]}", style="yellow"))
        elif kind == "solution":
            out(Text("solution:", style="yellow"))
            for line in args[0]:
                out(Text(f"  {line}", style="bold"))
        elif kind == "passed":
            out(Text("✓ Well done!", style="bold green"))
        elif kind == "done":
            out(Panel(Text("Lesson complete. `redis-lab lessons` shows what comes next."),
                      border_style="green"))


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

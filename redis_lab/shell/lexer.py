"""Highlighting while typing: command, subcommand, keys, IDs, keywords, quoted strings; an
unknown command name turns red before Enter. The roles come from ``analysis.classify``."""

from __future__ import annotations

from prompt_toolkit.document import Document
from prompt_toolkit.lexers import Lexer

STYLE_RULES = {
    "rl.client": "#5fafff bold",
    "rl.meta": "#af87ff bold",
    "rl.help": "#87d75f bold",
    "rl.command": "#87d75f bold",
    "rl.subcommand": "#87d75f",
    "rl.partial": "",
    "rl.unknown": "#ff5f5f bold",
    "rl.keyword": "#ffaf00",
    "rl.key": "#5fd7ff",
    "rl.id": "#d787d7",
    "rl.string": "#d7d787",
    "rl.arg": "",
    "rl.comment": "#808080 italic",
    "rl.error": "bg:#870000 #ffffff",
    "rl.hint": "#808080",
}


def fragments(line: str) -> list[tuple[str, str]]:
    """``[(style, text), ...]`` covering ``line`` exactly."""
    if not line:
        return []
    from .analysis import classify  # imported on the first keystroke: keeps start-up fast

    out: list[tuple[str, str]] = []
    pos = 0
    for span in sorted(classify(line), key=lambda s: s.start):
        start = max(span.start, pos)
        if start > pos:
            out.append(("", line[pos:start]))
        if span.end > start:
            out.append((f"class:rl.{span.role}", line[start:span.end]))
            pos = span.end
    if pos < len(line):
        out.append(("", line[pos:]))
    return out


class ShellLexer(Lexer):
    def lex_document(self, document: Document):
        lines = document.lines

        def get_line(lineno: int):
            try:
                return fragments(lines[lineno])
            except Exception:  # noqa: BLE001 - highlighting must never break typing
                return [("", lines[lineno])]

        return get_line

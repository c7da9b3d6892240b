"""prompt_toolkit adapters: the completer and the grey argument hint after the cursor."""

from __future__ import annotations

from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.layout.processors import Processor, Transformation


class ShellCompleter(Completer):
    """Completes commands, subcommands, keywords, keys, groups, consumers, channels, IDs."""

    def __init__(self, session) -> None:
        self.session = session

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        try:
            from .completion import Catalog, complete_line  # first use only: fast start-up

            start, found = complete_line(text, Catalog(self.session), self.session.current)
        except Exception:  # noqa: BLE001 - completion must never break typing
            return
        for item in found:
            yield Completion(item.text, start_position=start - len(text),
                             display=item.display, display_meta=item.meta)


class HintProcessor(Processor):
    """Show the rest of the command's synopsis in grey after the cursor (as redis-cli does).

    Shown only with the cursor at the end of the line, and not while a history suggestion
    (accepted with the right arrow) is showing there.
    """

    def apply_transformation(self, ti):
        buffer = ti.buffer_control.buffer
        document = buffer.document
        if ti.lineno != document.line_count - 1 or not document.is_cursor_at_the_end:
            return Transformation(ti.fragments)
        if buffer.suggestion is not None and buffer.suggestion.text:
            return Transformation(ti.fragments)
        if not document.text.strip():
            return Transformation(ti.fragments)
        try:
            from .analysis import hint_for

            hint = hint_for(document.text)
        except Exception:  # noqa: BLE001
            hint = ""
        if not hint:
            return Transformation(ti.fragments)
        return Transformation(list(ti.fragments) + [("class:rl.hint", hint)])

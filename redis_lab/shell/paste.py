"""Bracketed paste: every pasted line runs as its own command, in order, as if it were typed.

prompt_toolkit's default inserts a paste into the buffer, newlines and all, so pasting two
``@carol SUBSCRIBE ...`` lines sent ONE command with the second line's words as channel names.
Here a paste that contains a line break ends the prompt: its complete lines are queued for the
shell to run one by one (each echoed after the prompt, as typed, and printed with its reply), and
an unfinished last line stays in the buffer for editing. A paste of more than ``CONFIRM_OVER``
lines is run only after the learner confirms it once.
"""

from __future__ import annotations

from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys

#: More pasted lines than this ask for confirmation before any of them runs.
CONFIRM_OVER = 100


def split_paste(before: str, data: str, after: str) -> tuple[list[str], str]:
    """Return the lines a paste completes and the text left in the buffer.

    ``before``/``after`` are the buffer's text around the cursor: what was typed before the
    cursor starts the first line; an unfinished last line, followed by ``after``, stays. Blank
    lines are dropped (pressing Enter on an empty prompt does nothing either). A paste without a
    line break completes no line.
    """
    data = data.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in data:
        return [], before + data + after
    parts = (before + data).split("\n")
    return [line for line in parts[:-1] if line.strip()], parts[-1] + after


def paste_bindings(on_paste) -> KeyBindings:
    """Key bindings that hand a multi-line paste to ``on_paste(lines, rest)`` and end the prompt.

    The buffer shows the first line when the prompt ends, so the screen reads as if it was typed.
    """
    kb = KeyBindings()

    @kb.add(Keys.BracketedPaste)
    def _paste(event) -> None:
        buffer = event.current_buffer
        document = buffer.document
        lines, rest = split_paste(document.text_before_cursor, event.data,
                                  document.text_after_cursor)
        if not lines:
            if "\n" in event.data.replace("\r", "\n"):
                buffer.text, buffer.cursor_position = rest, len(rest)  # only blank lines
            else:
                buffer.insert_text(event.data)
            return
        on_paste(lines, rest)
        buffer.text = lines[0]
        event.app.exit(result=lines[0])

    return kb

"""The interactive shell: a prompt_toolkit REPL on the embedded engine.

One loop reads a line (with completion, hints, highlighting and history), runs it through the
Session, and prints the reply followed by what any client received, labelled. Output that
arrives while the learner is typing (a BLOCK timeout running out on the wall clock) is printed
above the prompt without disturbing the half-typed line.

Blocking, as in redis-cli: a command that blocks the *current* client waits with a countdown
(``waiting ... Ctrl-C to cancel``); Ctrl-C unblocks the client (like redis-cli dropping the
connection) and returns to the prompt. A command run as another client (``@worker XREAD BLOCK
0 ...``) returns the prompt at once; its reply is printed, labelled, when it is served. With a
virtual clock time does not pass by itself, so a blocked current client does not wait either:
the prompt returns, shows ``(blocked)``, and says how to go on (``:advance``, or serve it from
another client); Ctrl-C at the prompt cancels that read.

Around that loop: a multi-line paste runs line by line (paste.py); Ctrl-C while a line runs
stops it between two commands (interrupts.py); a reply taller than the screen goes through the
pager (pager.py); FLUSHALL and friends on a shared server ask first.
"""

from __future__ import annotations

import asyncio
import sys

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.filters import is_done
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.layout.processors import ConditionalProcessor
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.patch_stdout import patch_stdout
from prompt_toolkit.shortcuts import CompleteStyle, print_formatted_text
from prompt_toolkit.styles import Style

from .. import __version__
from ..session import RECEIVED_MARK, Printed
from .completer import HintProcessor, ShellCompleter
from .interrupts import ctrl_c_requests
from .pager import page, pager_command, too_tall
from .paste import CONFIRM_OVER, paste_bindings
from .lexer import STYLE_RULES, ShellLexer
from .toolbar import prompt_parts, toolbar_text

LABEL_COLORS = ["#5fd7ff", "#ff87d7", "#87d75f", "#ffd75f", "#af87ff", "#ff875f", "#5fafaf"]

BASE_STYLE = {
    **STYLE_RULES,
    "prompt.label": "bold",
    "prompt.flags": "#ffaf00",
    "prompt.arrow": "",
    "out.error": "#ff5f5f",
    "out.note": "#808080",
    "out.tip": "#d7af5f",
    "out.warning": "#d7af5f",
    "out.waiting": "#ffaf00",
    "bottom-toolbar": "bg:#303030 #c0c0c0 noreverse",
}

#: Without colour (NO_COLOR, --no-color) grey text would look typed: the argument hint and the
#: history suggestion are told apart by attributes instead (NO_COLOR allows them).
NO_COLOR_STYLE = {
    "rl.hint": "italic dim",
    "auto-suggestion": "underline dim",
}

#: The config file's ``theme``: "dark" is BASE_STYLE; "light" darkens what is pale on a light
#: background; "mono" is no colour at all (as NO_COLOR).
THEMES = {
    # For a classroom projector: high contrast, nothing dim or grey, bold prompts.
    "projector": {
        "rl.hint": "#ffffff bold", "auto-suggestion": "#ffffff underline", "out.note": "#ffffff",
        "out.tip": "#ffff00 bold", "out.warning": "#ffff00 bold", "out.error": "#ff5555 bold",
        "prompt.label": "#ffffff bold", "prompt.flags": "#ffff00 bold",
        "bottom-toolbar": "bg:#000000 #ffffff bold noreverse",
    },
    "light": {
        "rl.hint": "#6c6c6c italic", "auto-suggestion": "#6c6c6c", "out.note": "#5f5f5f",
        "rl.key": "#005f87", "rl.string": "#875f00", "rl.keyword": "#af5f00",
        "bottom-toolbar": "bg:#d0d0d0 #262626 noreverse",
    },
}


class Shell:
    """The REPL around one Session. ``input``/``output`` may be given (tests use a pipe)."""

    def __init__(self, session, settings, *, input=None, output=None, history=None,
                 history_warnings=()) -> None:
        self.session = session
        self.settings = settings
        session.shell = self
        self.input = input
        self.output = output
        self.done = False
        self.waiting = False  # the current client's blocked command has the screen
        self.prefill = ""
        self.pasted: list[str] = []  # lines of a paste still to run (paste.py)
        self.warnings = list(history_warnings)
        theme = getattr(settings, "theme", "dark")
        self.color = session.env.use_color(settings, stream_tty=True) and theme != "mono"
        self.style = Style.from_dict({**BASE_STYLE, **THEMES.get(theme, {}),
                                      **({} if self.color else NO_COLOR_STYLE)})
        self._label_colors: dict[str, str] = {}
        self.history = history
        self.prompt_session = PromptSession(
            message=self._prompt,
            lexer=ShellLexer(),
            completer=ShellCompleter(session),
            complete_while_typing=True,
            complete_style=CompleteStyle.COLUMN,
            auto_suggest=AutoSuggestFromHistory(),
            history=history,
            bottom_toolbar=self._toolbar,
            input_processors=[ConditionalProcessor(HintProcessor(), ~is_done)],
            style=self.style,
            include_default_pygments_style=False,
            color_depth=None if self.color else ColorDepth.DEPTH_1_BIT,
            refresh_interval=0.5,
            input=input,
            output=output,
            reserve_space_for_menu=6,
            key_bindings=paste_bindings(self._on_paste),
        )

    # -- styling -------------------------------------------------------------------------------
    def label_style(self, label: str) -> str:
        color = self._label_colors.get(label)
        if color is None:
            color = LABEL_COLORS[len(self._label_colors) % len(LABEL_COLORS)]
            self._label_colors[label] = color
        return f"{color} bold"

    def _prompt(self):
        label, flags = prompt_parts(self.session)
        return FormattedText([
            (self.label_style(label), label),
            ("class:prompt.flags", flags),
            ("class:prompt.arrow", "> "),
        ])

    def _toolbar(self):
        try:
            return toolbar_text(self.session)
        except Exception:  # noqa: BLE001
            return ""

    def width(self) -> int:
        if self.settings.width:
            return self.settings.width
        try:
            return self.prompt_session.app.output.get_size().columns
        except Exception:  # noqa: BLE001
            return 100

    def fragments_for(self, item: Printed):
        if item.renderable is not None:
            from prompt_toolkit.formatted_text import ANSI

            from ..session import render_renderable

            return ANSI(render_renderable(item.renderable, self.width(), self.color))
        if item.kind == "delivery":
            label = item.label or "?"
            prefix = f"{label} {RECEIVED_MARK} "
            pad = " " * len(prefix)
            lines = item.text.split("\n")
            body = "\n".join([lines[0]] + [pad + line for line in lines[1:]])
            return [(self.label_style(label), prefix),
                    ("class:out.error" if item.is_error else "", body)]
        style = {
            "blocked": "class:out.note", "tip": "class:out.tip", "invalid": "class:out.error",
            "error": "class:out.error", "warning": "class:out.warning",
        }.get(item.kind, "")
        if item.kind == "reply" and item.is_error:
            style = "class:out.error"
        return [(style, item.text)]

    def emit(self, items: list[Printed]) -> None:
        """Print blocks (call only while no prompt is showing, or inside run_in_terminal)."""
        for item in items:
            if item.kind == "exit":
                continue
            fragments = self.fragments_for(item)
            if isinstance(fragments, list):
                fragments = FormattedText(fragments)
            print_formatted_text(fragments, style=self.style,
                                 output=self.output, include_default_pygments_style=False,
                                 color_depth=None if self.color else ColorDepth.DEPTH_1_BIT)

    def emit_paged(self, items: list[Printed]) -> None:
        """``emit``, through the pager when the reply (or HELP text) alone would not fit on the
        screen (pager.py); what a lesson or a watch adds around a short reply never pages."""
        command = self._pager_command()
        if command is not None:
            size = self.prompt_session.app.output.get_size()
            replies = [item for item in items if item.kind in ("reply", "text")]
            if replies and too_tall(self.render_text(replies, size.columns), size.rows,
                                    size.columns):
                if page(self.render_text(items, size.columns), command):
                    return
        self.emit(items)

    def _pager_command(self) -> list[str] | None:
        """The pager, when output goes to the real terminal (never to a pipe or a test's)."""
        if self.output is not None or not self.session.env.stdout_tty:
            return None
        return pager_command(self.settings.pager, self.session.env.environ)

    def render_text(self, items: list[Printed], columns: int) -> str:
        """What ``emit`` would print, as text with the terminal's escape sequences."""
        import io

        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.output.vt100 import Vt100_Output

        buffer = io.StringIO()
        output = Vt100_Output(buffer, lambda: Size(rows=1000, columns=columns),
                              term="xterm-256color")
        saved, self.output = self.output, output
        try:
            self.emit(items)
        finally:
            self.output = saved
        output.flush()
        return buffer.getvalue().replace("\r\n", "\n").rstrip("\n")

    def note(self, text: str, kind: str = "blocked") -> None:
        self.emit([Printed(kind, text)])

    async def emit_above(self, items: list[Printed]) -> None:
        """Print blocks above the live prompt, keeping what is typed."""
        await run_in_terminal(lambda: self.emit(items))

    # -- the loop ------------------------------------------------------------------------------
    def banner(self) -> str:
        clock = self.session.clock
        kind = "virtual clock: :advance moves it" if clock.virtual else "wall clock"
        where = self.session.location or "Redis 7.0 in-process"
        return (f"redis-lab {__version__} ({where}, {kind})\n"
                "Type Redis commands as in redis-cli. HELP XADD, :help, Tab completes, "
                "Ctrl-D quits.\n"
                "The course: lessons on Pub/Sub and Streams, from the first PUBLISH to a "
                "payment retry queue. :lesson 1 starts it, :lessons lists them all.")

    async def main(self) -> None:
        self.note(self.banner(), "text")
        for warning in self.warnings + list(getattr(self.session, "warnings", [])):
            self.note(f"warning: {warning}", "warning")
        self.warnings = []
        for line in getattr(self.settings, "startup", ()):
            await self.handle(line)
        poller = asyncio.ensure_future(self._poll())
        try:
            while not self.done:
                try:
                    text = await self.prompt_session.prompt_async(default=self.prefill)
                except KeyboardInterrupt:
                    # Ctrl-C clears the line, as in a terminal; it stays in history (Up brings
                    # it back), so nothing typed is lost. On a virtual clock the current client
                    # may be blocked with the prompt up: Ctrl-C cancels that read too.
                    self.prefill = ""
                    self._keep_in_history(self.prompt_session.default_buffer.text)
                    self.cancel_block(self.session.current)
                    continue
                except EOFError:
                    if await self.leave_with_lesson():
                        break
                    continue
                if self.pasted:
                    lines, self.pasted = self.pasted, []
                    await self.run_pasted(lines)
                else:
                    self.prefill = ""
                    await self.handle(text)
                self._flush_history_warnings()
        finally:
            poller.cancel()

    def _keep_in_history(self, text: str) -> None:
        history = self.prompt_session.history
        if text.strip():
            try:
                strings = history.get_strings()
                if not strings or strings[-1] != text:
                    history.append_string(text)
            except Exception:  # noqa: BLE001, S110 - history is a convenience, never a failure
                pass

    def _flush_history_warnings(self) -> None:
        if self.warnings:
            for warning in self.warnings:
                self.note(f"warning: {warning}", "warning")
            self.warnings = []

    def _on_paste(self, lines: list[str], rest: str) -> None:
        self.pasted = lines
        self.prefill = rest

    async def run_pasted(self, lines: list[str]) -> None:
        """Run pasted lines one by one, as if typed: each after the prompt, then its reply.

        The first line is already on screen (the prompt ended showing it). More than
        CONFIRM_OVER lines run only after one confirmation; Ctrl-C stops between two lines.
        """
        if len(lines) > CONFIRM_OVER and not await self.confirm(
                f"Run the {len(lines)} pasted lines one by one? [y/N] "):
            self.note(f"(paste of {len(lines)} lines not run)")
            return
        rest = self.prefill
        with ctrl_c_requests(self.session):   # also between two lines, not only within one
            for index, line in enumerate(lines):
                if index:
                    self.emit_prompt_line(line)
                self._keep_in_history(line)
                if not await self.handle(line) or self.done:
                    left = len(lines) - index - 1
                    if left and not self.done:
                        self.note(f"(the other {left} pasted lines were not run)")
                    break
        self.prefill = rest

    def emit_prompt_line(self, text: str) -> None:
        """Print the prompt and ``text`` as the prompt shows a typed line."""
        parts = list(self._prompt()) + [("", text)]
        print_formatted_text(FormattedText(parts), style=self.style, output=self.output,
                             include_default_pygments_style=False,
                             color_depth=None if self.color else ColorDepth.DEPTH_1_BIT)

    async def confirm(self, question: str) -> bool:
        """Ask a yes/no question on the terminal; only y or yes is yes (Ctrl-C, Ctrl-D: no)."""
        asker: PromptSession = PromptSession(input=self.input, output=self.output)
        try:
            answer = await asker.prompt_async(question)
        except (KeyboardInterrupt, EOFError):
            return False
        return answer.strip().lower() in ("y", "yes")

    async def leave_with_lesson(self) -> bool:
        """Ctrl-D in the middle of a lesson asks first (progress is kept either way)."""
        from .lessoncmds import running_lesson

        lesson = running_lesson(self.session)
        if lesson is None:
            return True
        return await self.confirm(f"Leave redis-lab in the middle of lesson {lesson.number}? "
                                  "Your progress is kept. [y/N] ")

    async def handle(self, text: str) -> bool:
        """Run one line and print what it produced; never raises.

        Returns False when Ctrl-C interrupted it (between two of its commands) or its quotes
        were unbalanced, so that a paste stops there.
        """
        session = self.session
        if not text.strip():
            from .lessoncmds import lesson_waiting

            if lesson_waiting(session):
                text = ":next"          # Enter goes on with the lesson's narration
        try:
            with ctrl_c_requests(session):
                result = session.run_line(text)
        except KeyboardInterrupt:
            self.emit(session.printed_deliveries(session.drain()))
            self.note("(interrupted: Ctrl-C stopped it between two commands; "
                      "everything before is done)")
            return False
        except Exception as exc:  # noqa: BLE001 - the shell never shows a traceback
            self.note(f"internal error: {type(exc).__name__}: {exc}", "error")
            return True
        try:
            if result.line.kind == "invalid" and result.line.error.startswith("Invalid argument"):
                self.emit(result.printed)
                self.note("(not sent: check the quotes; the line is back for editing, "
                          "Ctrl-C clears it)", "tip")
                self.prefill = text
                return False
            label = result.blocked_label
            if label is not None and label == session.current and result.line.target is None:
                await self._blocked_current(result)
            elif session.awaiting_confirmation == text.strip():
                await self._confirm_danger(text, result)
            elif result.line.kind in ("command", "help"):
                self.emit_paged(result.printed)     # a reply, HELP: paged when too tall
            else:
                self.emit(result.printed)
            if result.exit:
                self.done = True
        except Exception as exc:  # noqa: BLE001
            self.note(f"internal error: {type(exc).__name__}: {exc}", "error")
        return True

    async def _confirm_danger(self, text: str, result) -> None:
        """FLUSHALL, FLUSHDB or DEL of many keys on a shared server: ask, as iredis does.

        The session held the line back (it says why); yes runs it, which the session accepts
        as the confirmation. ``--yes`` never gets here.
        """
        self.emit(result.printed)
        if await self.confirm("Run it? [y/N] "):
            await self.handle(text)
        else:
            self.note("(not run)")

    async def _blocked_current(self, result) -> None:
        session = self.session
        label = result.blocked_label
        others = [p for p in result.printed if p.kind != "blocked"]
        self.emit(others)
        if session.clock.virtual:
            self.emit([p for p in result.printed if p.kind == "blocked"])
            self.note(f"(virtual time passes only with :advance, e.g. :advance 5s; or serve "
                      f"{label} from another client: @bob XADD ...)", "tip")
            return
        await self.wait_blocked(label)

    async def wait_blocked(self, label: str) -> None:
        """Wait like redis-cli for the current client's blocked command, with a countdown."""
        session = self.session
        cancelled = False
        kb = KeyBindings()

        typed: list[str] = []

        @kb.add("c-c")
        def _cancel(event):
            nonlocal cancelled
            cancelled = True
            event.app.exit()

        @kb.add("<any>")
        def _typeahead(event):
            # Keys typed while waiting are kept for the next prompt, as a terminal buffers them.
            if event.data.isprintable():
                typed.append(event.data)

        @kb.add("c-h")
        @kb.add("backspace")
        def _erase(event):
            if typed:
                typed.pop()

        def blocked():
            client = session.find_client(label)
            return client.blocked if client is not None else None

        def countdown():
            state = blocked()
            if state is None:
                return ""
            keys = state.keys_text
            ahead = "".join(typed)
            if state.deadline_ms:
                left = max(0, state.deadline_ms - session.clock.now_ms()) / 1000
                wait = f"{left:.1f} s left"
            else:
                wait = "no timeout"
            line = [("class:out.waiting",
                     f"{label} is waiting for {keys} ({wait}); Ctrl-C to cancel")]
            if ahead:
                line.append(("class:out.note", f"  typed ahead: {ahead}"))
            return line

        app: Application = Application(
            layout=Layout(Window(FormattedTextControl(countdown), height=1)),
            key_bindings=kb, style=self.style, refresh_interval=0.1, erase_when_done=True,
            input=self.input, output=self.output, include_default_pygments_style=False,
            color_depth=None if self.color else ColorDepth.DEPTH_1_BIT,
        )

        async def watch():
            while blocked() is not None and not cancelled:
                session.poll()
                await asyncio.sleep(0.05)
            while not app.is_running:
                await asyncio.sleep(0.01)
            if not app.future.done():
                app.exit()

        self.waiting = True
        try:
            await app.run_async(pre_run=lambda: app.create_background_task(watch()))
        finally:
            self.waiting = False
        self.prefill = "".join(typed)
        if not (cancelled and self.cancel_block(label)):
            self.emit(session.finish_block(label, session.drain()))

    def cancel_block(self, label: str) -> bool:
        """Unblock ``label`` as redis-cli does when interrupted; False if it was not blocked.

        The client gets its timeout reply, which nobody reads (redis-cli dropped the
        connection), so the engine's blocking index is left consistent; what other clients
        received meanwhile is printed.
        """
        session = self.session
        client = session.find_client(label)
        if client is None or client.blocked is None:
            return False
        session.cancel_block(label)
        deliveries = session.drain()
        own = next((d for d in deliveries if d.label == label), None)
        rest = [d for d in deliveries if d is not own]
        self.note(f"(cancelled: {label} stopped waiting, as when redis-cli is interrupted)")
        self.emit(session.printed_deliveries(rest))
        return True

    async def _poll(self) -> None:
        """Expire wall-clock BLOCK timeouts and print what arrives while the prompt is up."""
        while True:
            await asyncio.sleep(0.1)
            if self.waiting:
                continue
            try:
                session = self.session
                session.poll()
                if session.has_pending:
                    items = session.printed_deliveries(session.drain())
                    await self.emit_above(items)
                    app = self.prompt_session.app
                    if app.is_running:
                        app.invalidate()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                try:
                    await self.emit_above([Printed("error", f"internal error: {exc}")])
                except Exception:  # noqa: BLE001, S110 - nothing left to report it with
                    pass
                await asyncio.sleep(1)


def run_shell(session, settings) -> int:
    """Run the interactive shell on ``session`` (built by ``redis_lab.app``); the exit status."""
    from .history import open_history

    history, warnings = open_history(size=getattr(settings, "history_size", None))
    shell = Shell(session, settings, history=history, history_warnings=warnings)
    if hasattr(history, "_warn"):
        history._warn = shell.warnings.append  # later failures show after the next command
    while True:
        try:
            with patch_stdout(raw=True):
                asyncio.run(shell.main())
            return 0
        except KeyboardInterrupt:
            # Ctrl-C while a command ran outside the prompt: back to the prompt.
            if shell.done:
                return 0
            continue
        except EOFError:
            return 0
        except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
            sys.stderr.write(f"redis-lab: internal error: {type(exc).__name__}: {exc}\n")
            return 1

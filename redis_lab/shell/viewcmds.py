"""The views' meta-commands (:show :watch :unwatch :explain :export), wired to a session.

The views package knows nothing of the shell; this module is the glue. A session gets its
ViewSession on the first view meta-command, and only then pays for the hooks that redraw the
watches after every command and every :advance.
"""

from __future__ import annotations

from ..session import Printed, Session
from ..views.watches import META_COMMANDS, Message
from .meta import meta_command


class _SessionConnection:
    """Reads through the engine's invisible observer, in the current client's database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def execute(self, args: list[bytes]):
        session = self.session
        client = session.engine.clients.get(session.current)
        return session.engine.introspect(args, client.db.index if client is not None else 0)


def _subscribers(session: Session):
    from ..views import subscribers_from_clients

    visible = [c for label, c in session.engine.clients.items() if not label.startswith("__")]
    return subscribers_from_clients(visible)


def views_of(session: Session):
    """The session's ViewSession, created (and hooked in) on first use."""
    views = session.settings.get("views")
    if views is not None:
        return views
    from ..views import ViewSession

    views = ViewSession(_SessionConnection(session), subscribers=lambda: _subscribers(session),
                        width=session.settings.get("width"),
                        color=session.settings.get("color") is not False)
    session.settings["views"] = views
    session.before_command.append(lambda s, label, args: views.before_command(label, args))
    session.after_command.append(
        lambda s, label, args, reply: views.after_command(label, args, reply))
    session.after_meta.append(
        lambda s, name, arg: views.refresh() if name in ("advance", "reset", "crash") else None)
    return views


def _as_printed(out) -> list[Printed]:
    if isinstance(out, Message):
        return [Printed("error" if out.is_error else "text", out.text, is_error=out.is_error)]
    if out is None:
        return []
    return [Printed("view", "", renderable=out)]


def _register(name: str, usage: str, help_text: str) -> None:
    @meta_command(name, usage=usage, help=help_text)
    def handler(session: Session, arg: str):
        return _as_printed(views_of(session).handle_meta(name, arg))


for _name, (_usage, _help) in META_COMMANDS.items():
    _register(_name, _usage, _help)

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
    """Reads through the backend's observer, in the current client's database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def execute(self, args: list[bytes]):
        return self.session.inspect(args)

    @property
    def cluster(self) -> bool:
        """On a Redis Cluster the views also say which node serves a key or shard channel."""
        return self.session.backend.cluster


def _subscribers(session: Session):
    from ..views import subscribers_from_clients

    return subscribers_from_clients(session.client_states())


def views_of(session: Session):
    """The session's ViewSession, created (and hooked in) on first use."""
    views = session.views
    if views is not None:
        return views
    from ..views import ViewSession

    # Exports are files: coloured unless --no-color, whatever the terminal.
    views = ViewSession(_SessionConnection(session), subscribers=lambda: _subscribers(session),
                        width=session.settings.width,
                        color=session.settings.color is not False)
    session.views = views
    session.before_command.append(lambda s, label, args: views.before_command(label, args))
    session.after_command.append(
        lambda s, label, args, reply: views.after_command(label, args, reply))
    session.after_meta.append(lambda s, name, arg: _after_meta(views, name))
    return views


def _after_meta(views, name: str):
    """Redraw the watches when time or the clients changed; :reset also forgets the last flow,
    PUBLISH and narration (they described an engine that is gone)."""
    if name == "reset":
        views.rebind(views.connection)
    if name in ("advance", "reset", "crash"):
        return views.refresh()
    return None


def _as_printed(out) -> list[Printed]:
    if isinstance(out, Message):
        return [Printed("error" if out.is_error else "text", out.text, is_error=out.is_error)]
    if out is None:
        return []
    return [Printed("view", "", renderable=out)]


def _register(name: str, usage: str, help_text: str) -> None:
    @meta_command(name, usage=usage, help=help_text)
    def handler(session: Session, arg: str):
        views = views_of(session)
        if name == "export" and session.settings.width is None:
            views.width = session.env.width(session.settings)  # the screen's width
        return _as_printed(views.handle_meta(name, arg))


for _name, (_usage, _help) in META_COMMANDS.items():
    _register(_name, _usage, _help)

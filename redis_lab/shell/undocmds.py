"""Time travel for learners: ``:undo``, ``:snapshot [NAME]``, ``:restore NAME``.

Every session keeps a History (redis_lab/snapshot.py): a snapshot is taken before each command
and before each meta-command that changes state (``:advance``, ``:crash``, ``:repeat``,
``:restore``), so ``:undo`` can take back the last one, and again, back to the session's start
(or the last ``:reset``, which makes a fresh engine). In a lesson the history starts again at
each task: ``:retry`` goes back to the task's start.
"""

from __future__ import annotations

from ..session import Printed, Session
from ..snapshot import History, restore, take
from .meta import META, SESSION_SETUP, MetaError, meta_command

#: Meta-commands that change the engine's state: a snapshot is taken before them, and the
#: commands they run themselves (``:repeat 1000 XADD ...``) are not recorded one by one.
STATE_CHANGING = ("advance", "crash", "repeat", "clock")


def history_of(session: Session) -> History:
    history = getattr(session, "history", None)
    if history is None:
        history = session.history = History()
    return history


def engine_of(session: Session):
    """The embedded engine, or None on a real Redis (where there is nothing to snapshot)."""
    return getattr(session.backend, "engine", None) if hasattr(session, "backend") \
        else getattr(session, "engine", None)


def _lab_server(session: Session):
    """The remote backend when it talks to a redis-lab server and there is no embedded engine:
    snapshots are then the server's own (LAB SNAPSHOT / LAB RESTORE)."""
    backend = getattr(session, "backend", None)
    if engine_of(session) is None and getattr(backend, "lab_clock", None) is not None:
        return backend
    return None


def _engine_or_error(session: Session):
    engine = engine_of(session)
    if engine is None:
        raise MetaError("snapshots and :undo work on the embedded engine only, not on a real Redis")
    return engine


def attach(session: Session) -> None:
    """Record a snapshot before every command of an interactive session (called when it is
    made). Scripts are not recorded: a file of 20,000 XADDs to one stream would copy the stream
    before each of them; they can still :snapshot and :restore."""
    history = history_of(session)
    if getattr(session, "_history_attached", False) or engine_of(session) is None \
            or not session.interactive:
        return
    session._history_attached = True

    def before_command(s, label, args):
        words = " ".join(a.decode("utf-8", "replace") for a in args[:3])
        history.before(engine_of(s), list(args), f"{label}> {words}{' ...' if len(args) > 3 else ''}")

    def on_reset(s):
        history.clear()
        history.named.clear()

    session.before_command.append(before_command)
    session.on_reset.append(on_reset)


SESSION_SETUP.append(attach)


def _recorded(name: str):
    """Wrap a state-changing meta-command: one snapshot before it, none for what it runs."""
    entry = META.get(name)
    if entry is None or getattr(entry.handler, "_recorded", False):
        return
    inner = entry.handler

    def handler(session: Session, arg: str):
        history = history_of(session)
        engine = engine_of(session)
        if engine is not None:
            history.before(engine, None, f":{name} {arg}".rstrip())
        history.paused += 1
        try:
            return inner(session, arg)
        finally:
            history.paused -= 1

    handler._recorded = True  # type: ignore[attr-defined]
    entry.handler = handler


def record_meta_commands() -> None:
    for name in STATE_CHANGING:
        _recorded(name)


@meta_command("undo", help="Take back the last command's effect on keys, groups, clients and "
                           "the clock (again and again, back to the start or the last :reset).")
def _undo(session: Session, arg: str):
    history = history_of(session)
    what = history.undo(_engine_or_error(session))
    if what is None:
        if history.dropped:
            raise MetaError(f"nothing more to undo: the oldest {history.dropped} steps were "
                            "dropped to save memory")
        lesson = (getattr(session, "course", None) or {}).get("runner")
        if lesson is not None and lesson.task is not None:
            raise MetaError("nothing to undo since this task began (:retry starts it over, "
                            ":back goes to the previous task)")
        if not getattr(session, "_history_attached", False):
            raise MetaError("scripts keep no undo history: :snapshot NAME and :restore NAME "
                            "save and bring back a state")
        raise MetaError("nothing to undo")
    session.drain()
    return [Printed("text", f"undone: {what}")]


@meta_command("snapshot", usage="[NAME]",
              help="Save the whole state under NAME (no name: list the saved ones); "
                   ":restore NAME comes back to it.")
def _snapshot(session: Session, arg: str):
    history = history_of(session)
    name = arg.strip()
    if not name:
        if not history.named:
            return "no snapshots yet: :snapshot NAME saves one"
        return "snapshots: " + ", ".join(history.named)
    if len(name.split()) > 1:
        raise MetaError("usage: :snapshot NAME (one word)")
    lab = _lab_server(session)
    if lab is not None:
        lab.lab(b"SNAPSHOT", name.encode())
        history.named[name] = None   # kept by the server
        return (f"saved snapshot {name} on the redis-lab server (LAB SNAPSHOT {name}: every "
                f"key of every database): :restore {name} comes back to it")
    history.named[name] = take(_engine_or_error(session))
    return f"saved snapshot {name!s}: :restore {name} comes back to this state"


@meta_command("restore", usage="NAME",
              help="Go back to the state saved by :snapshot NAME (:undo takes that back).")
def _restore(session: Session, arg: str):
    history = history_of(session)
    name = arg.strip()
    saved = history.named.get(name)
    if name not in history.named:
        known = ", ".join(history.named) or "none yet"
        raise MetaError(f"no snapshot named {name or '(none)'}: saved ones: {known}")
    lab = _lab_server(session)
    if lab is not None:
        lab.lab(b"RESTORE", name.encode())
        session.drain()
        return f"restored snapshot {name} (LAB RESTORE {name}; connections stay as they are)"
    engine = _engine_or_error(session)
    history.before(engine, None, f":restore {name}")
    restore(engine, saved, keep=True)
    session.drain()
    return f"restored snapshot {name}"


record_meta_commands()

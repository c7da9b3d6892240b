"""The composition root: typed Settings + Environment -> a backend -> a Session wired to the
shell's meta-commands and HELP.

Everything is built here, once, below the click front door (``cli.py``) and above every other
layer; nothing under this package reads argv, environment variables or the terminal to decide
what to build. ``course`` and ``shell`` get ready-made sessions (or a factory for them) instead
of importing upwards.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable

from ..backends import Backend, BackendError
from ..session import Session
from ..settings import Environment, Settings

__all__ = ["Environment", "Settings", "check_lesson_database", "lesson_session_factory",
           "make_backend", "make_lesson_session", "make_session", "start_shell"]


def make_backend(settings: Settings) -> Backend:
    """The embedded engine, or the real Redis that ``--redis URL`` names."""
    if settings.cluster and not settings.redis_url:
        raise BackendError("--cluster needs --redis URL (any node of the cluster); on the "
                           "embedded engine, :cluster 3 emulates a cluster's slot map")
    if settings.redis_url and settings.data_dir is not None:
        raise BackendError("--data keeps the embedded engine's data; a real Redis keeps its "
                           "own (appendonly yes in its configuration)")
    if settings.redis_url:
        from ..backends.remote import connect_backend

        return connect_backend(settings)
    from ..backends.local import LocalBackend

    if settings.data_dir is not None:
        return LocalBackend(settings.clock_factory(), _durable_engines(settings))
    return LocalBackend(settings.clock_factory())


def _durable_engines(settings: Settings) -> Callable:
    """``(clock) -> Engine`` restored from ``--data DIR`` and logging to it. A file that cannot
    be loaded stops redis-lab at start with one line (file and byte offset), as redis-server
    refuses to start; on a later restart it is a BackendError the shell prints."""
    from ..backends import BackendError
    from ..persistence import AofLoadError, open_durable_engine

    started = []

    def make(clock):
        try:
            engine = open_durable_engine(settings.data_dir, settings.appendfsync, clock=clock,
                                         load_truncated=settings.aof_load_truncated)
        except (AofLoadError, OSError) as exc:
            if not started:
                raise SystemExit(f"redis-lab: {exc}") from None
            raise BackendError(str(exc)) from None
        started.append(True)
        return engine

    return make


def make_session(settings: Settings, *, interactive: bool, env: Environment | None = None,
                 backend: Backend | None = None) -> Session:
    """A Session wired to the shell's meta-commands and HELP."""
    from ..shell import help as help_mod
    from ..shell import meta

    session = Session(backend=backend if backend is not None else make_backend(settings),
                      interactive=interactive, settings=settings,
                      env=env if env is not None else Environment.detect())
    session.meta_runner = meta.run_meta
    session.help_renderer = help_mod.help_renderer
    session.warnings = meta.load_extensions() + list(getattr(session.backend, "warnings", []))
    meta.setup_session(session)
    return session


def lesson_session_factory(settings: Settings | None = None) -> Callable[[], Session]:
    """Sessions as lessons get them: non-interactive, virtual clock (meta-commands and views
    available), on the backend ``settings`` names.

    On a real Redis the sessions share one database, so each new session first deletes the
    keys the previous ones wrote (those only: nothing else is ever deleted) and closes their
    connections; the database must be empty to begin with unless ``--force``.
    """
    base = settings if settings is not None else Settings()
    lesson_settings = Settings(**{**vars(base), "virtual_clock": True})
    if not base.remote:
        return lambda: make_session(lesson_settings, interactive=False)
    check_lesson_database(lesson_settings)
    written: set[bytes] = set()
    previous: list[Session] = []

    def finish() -> None:
        for session in previous:
            session.backend.forget_keys(written)
            session.backend.close()
        previous.clear()

    def make() -> Session:
        finish()
        backend = make_backend(lesson_settings)
        backend.track_keys(written)
        session = make_session(lesson_settings, interactive=False, backend=backend)
        previous.append(session)
        return session

    make.finish = finish  # type: ignore[attr-defined]
    atexit.register(finish)
    return make


def check_lesson_database(settings: Settings) -> None:
    """Lessons on a real Redis want an empty database: BackendError if it holds keys (unless
    ``--force``). Nothing is changed either way."""
    backend = make_backend(settings)
    try:
        size = backend.introspect([b"DBSIZE"], backend.home_db)
    finally:
        backend.close()
    if isinstance(size, int) and size > 0 and not settings.force:
        raise BackendError(
            f"{backend.location}: database {backend.home_db} holds {size} keys; a lesson wants "
            "an empty one (nothing was changed). Use another database, e.g. "
            "redis://host:port/15, or --force: the lesson then touches only its own keys and "
            "deletes nothing else.")


def make_lesson_session() -> Session:
    """One embedded lesson session (tests and the course's own tools use it)."""
    return lesson_session_factory()()


def start_shell(settings: Settings, env: Environment | None = None) -> int:
    """Build the interactive session and run the shell on it; the exit status."""
    from ..shell.app import run_shell

    env = env if env is not None else Environment.detect()
    return run_shell(make_session(settings, interactive=True, env=env), settings)

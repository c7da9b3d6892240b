"""``python -m redis_lab serve --classroom`` as a child process, for the classroom tests.

A module of its own (not conftest.py) so the tests can import its names unambiguously:
several test folders have a conftest module. The fixtures are in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from servers import ROOT, LabServer

__all__ = ["CLASS_PASSWORD", "ROOT", "TEACHER_PASSWORD", "ClassServer"]

CLASS_PASSWORD = "class-pass"
TEACHER_PASSWORD = "teacher-pass"


class ClassServer(LabServer):
    """One ``redis-lab serve --classroom`` child process with the two test passwords."""

    def __init__(self, workdir: Path, extra_args: tuple[str, ...]) -> None:
        super().__init__(workdir, ("--classroom", "--class-password", CLASS_PASSWORD,
                                   "--teacher-password", TEACHER_PASSWORD, *extra_args))

    def url(self, user: str, password: str = CLASS_PASSWORD) -> str:
        return f"redis://{user}:{password}@127.0.0.1:{self.port}/0"

    def as_user(self, user: str, password: str | None = None, **kwargs) -> redis.Redis:
        if password is None:
            password = TEACHER_PASSWORD if user == "teacher" else CLASS_PASSWORD
        kwargs.setdefault("retry", Retry(NoBackoff(), 0))   # a refusal is seen as it happens
        return redis.Redis(port=self.port, username=user, password=password,
                           single_connection_client=True, **kwargs)

    def login_refused(self, user: str, password: str) -> bool:
        """True if AUTH user password is refused (WRONGPASS), tried once (no retries)."""
        try:   # a single-connection client logs in as it is made
            self.as_user(user, password).close()
        except redis.AuthenticationError:
            return True
        return False

    def raw(self) -> redis.Redis:
        """A connection that has not logged in."""
        return redis.Redis(port=self.port, single_connection_client=True)


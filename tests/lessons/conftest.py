"""Helpers for the lesson tests: sessions as the shell makes them, on the lesson's virtual clock."""

from __future__ import annotations

import pytest

from redis_lab.course.loader import load_all
from redis_lab.session import Session
from redis_lab.shell.meta import load_extensions, run_meta


def make_session() -> Session:
    load_extensions()
    session = Session()
    session.meta_runner = run_meta
    return session


@pytest.fixture(scope="session")
def course():
    lessons, problems = load_all()
    return lessons, problems

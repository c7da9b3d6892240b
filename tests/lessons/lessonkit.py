"""Lessons replay on sessions made exactly as `redis-lab lessons --verify` makes them."""

from __future__ import annotations

from redis_lab.app import make_lesson_session as make_session  # noqa: F401

"""A short-lived cache of public status answers, so a burst of lookups costs one query.

Each installation (app) keeps its own cache and puts it in use for its requests (`use`); a
certificate event recorded in this process forgets the certificate's answer at once, and other
processes see a change within `seconds`. Callers tell HTTP caches the answer's age, so an answer
is never served as fresh for longer than the public minute allows.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from datetime import date
from threading import Lock
from typing import Any

Answer = dict[str, Any]


class AnswerCache:
    """Answers by (number, day), each kept for `seconds`, at most `size` of them."""

    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self.seconds, self.size = seconds, size
        self._entries: dict[tuple[str, date], tuple[float, Answer]] = {}
        self._lock = Lock()

    def get(self, number: str, today: date) -> tuple[Answer, float] | None:
        """Return a fresh answer and its age in seconds, or None."""
        entry = self._entries.get((number, today))
        if entry is None:
            return None
        age = time.monotonic() - entry[0]
        return (entry[1], age) if age < self.seconds else None

    def put(self, number: str, today: date, answer: Answer) -> None:
        """Keep an answer (the oldest go first when the cache is full)."""
        with self._lock:
            if len(self._entries) >= self.size:
                for key in list(self._entries)[: self.size // 10 or 1]:
                    self._entries.pop(key, None)
            self._entries[(number, today)] = (time.monotonic(), answer)

    def forget(self, number: str) -> None:
        """Drop every answer about a certificate (it just changed)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] == number]:
                self._entries.pop(key, None)


_current: ContextVar[AnswerCache | None] = ContextVar("answer_cache", default=None)


def use(cache: AnswerCache | None) -> None:
    """Put an installation's cache in use for this context (None: no caching)."""
    _current.set(cache)


def current() -> AnswerCache | None:
    """Return the cache in use, if any."""
    return _current.get()


def forget(number: str) -> None:
    """Forget a certificate's answers in the cache in use."""
    cache = _current.get()
    if cache is not None:
        cache.forget(number)


def age_of(number: str, today: date) -> float:
    """Return how old the cached answer about `number` is (0 if it is not cached)."""
    cache = _current.get()
    hit = cache.get(number, today) if cache is not None else None
    return hit[1] if hit else 0.0

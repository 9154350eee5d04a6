"""Hand a job to Celery when a broker is configured, or run it here and now."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

log = logging.getLogger("labcert.jobs")


BODIES: dict[str, Callable[..., Any]] = {}
F = TypeVar("F", bound=Callable[..., Any])


def job(name: str) -> Callable[[F], F]:
    """Register a job body under the task name Celery knows it by."""

    def register(body: F) -> F:
        BODIES[name] = body
        return body

    return register


def celery_of_app() -> Any | None:
    """Return the app's Celery application, or None on the embedded default."""
    return current_app.extensions.get("celery")


def submit(name: str, *args: Any) -> None:
    """Queue the job on the broker, or run it now; an in-process failure is logged, not raised."""
    celery = celery_of_app()
    if celery is not None:
        celery.send_task(name, args=list(args))
        return
    try:
        BODIES[name](*args)
    except Exception:  # the sweeper picks the work up again; the caller's change stands
        log.warning("job %s%r failed in-process; it will be retried", name, args, exc_info=True)

"""One transaction per use case: commit once on success, roll everything back on error."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from labcert.errors import Conflict
from labcert.extensions import db
from labcert.services import outbox_relay

P = ParamSpec("P")
R = TypeVar("R")


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` as one unit of work; a concurrent change becomes a 409 Conflict."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            raise Conflict(
                "Someone else changed this record at the same time; nothing was saved. "
                "Reload the page and try again."
            ) from None
        except BaseException:
            db.session.rollback()
            raise
        outbox_relay.after_commit()  # background work hears of what this commit made durable
        return result

    return wrapper

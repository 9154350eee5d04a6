"""One transaction per use case: commit once on success, roll everything back on error."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from labcert.errors import Conflict, PermissionDenied
from labcert.extensions import db
from labcert.services import outbox_relay
from labcert.services.audit_refusals import note_service_refusal

P = ParamSpec("P")
_depth: ContextVar[int] = ContextVar("transaction_depth", default=0)
R = TypeVar("R")


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` as one unit of work; a concurrent change becomes a 409 Conflict.

    A refusal (403, 409) is recorded in the audit trail once, by the outermost unit of work,
    after the refused work was rolled back.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outermost = not _depth.get()
        token = _depth.set(_depth.get() + 1)
        try:
            result = func(*args, **kwargs)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            conflict = Conflict(
                "Someone else changed this record at the same time; nothing was saved. "
                "Reload the page and try again.")
            if outermost:
                note_service_refusal(func, args, kwargs, conflict)
            raise conflict from None
        except (PermissionDenied, Conflict) as error:
            db.session.rollback()
            if outermost:
                note_service_refusal(func, args, kwargs, error)
            raise
        except BaseException:
            db.session.rollback()
            raise
        finally:
            _depth.reset(token)
        outbox_relay.after_commit()  # background work hears of what this commit made durable
        return result

    return wrapper

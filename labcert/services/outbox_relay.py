"""Hand committed outbox events to background work, and find the ones left behind.

The session notes the outbox rows it flushes; once the transaction commits, `after_commit`
passes their ids to the relay the application installed (Celery, or in-process). A process
that dies between the commit and the hand-over leaves rows with `relayed_at` empty, which the
sweeper hands out again: nothing is lost, and the jobs are idempotent, so nothing is doubled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from labcert.extensions import db
from labcert.models import OutboxEvent

Relay = Callable[[list[int]], None]
_relay: list[Relay] = []


def install(relay: Relay) -> None:
    """Make `relay` receive the ids of outbox events once their transaction commits."""
    _relay[:] = [relay]


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    flushed = [o.id for o in session.new if isinstance(o, OutboxEvent)]
    if flushed:
        session.info.setdefault("outbox_flushed", []).extend(flushed)


@event.listens_for(Session, "after_commit")
def _note_committed(session: Session) -> None:
    flushed = session.info.pop("outbox_flushed", None)
    if flushed:
        session.info.setdefault("outbox_committed", []).extend(flushed)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop("outbox_flushed", None)


def after_commit() -> None:
    """Relay the events the last commit made durable (called by the unit of work)."""
    ids = db.session.info.pop("outbox_committed", None)
    if ids and _relay:
        _relay[0](ids)


def mark_relayed(ids: list[int], now: datetime) -> None:
    """Record that these events were handed to background work, and commit."""
    db.session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(ids),
                                                 OutboxEvent.relayed_at.is_(None))
                       .values(relayed_at=now).execution_options(synchronize_session=False))
    db.session.commit()


def mark_failed(event_id: int, error: str) -> None:
    """Count a failed attempt at an event and keep the error, and commit."""
    db.session.rollback()  # whatever the failed attempt left in the session goes
    db.session.execute(update(OutboxEvent).where(OutboxEvent.id == event_id)
                       .values(attempts=OutboxEvent.attempts + 1, last_error=error[:500])
                       .execution_options(synchronize_session=False))
    db.session.commit()


def stragglers(now: datetime, older_than: float = 30, limit: int = 500) -> list[int]:
    """Return unrelayed events older than `older_than` seconds (a relay may hold newer ones)."""
    cutoff = now - timedelta(seconds=older_than)
    return list(db.session.scalars(select(OutboxEvent.id).where(
        OutboxEvent.relayed_at.is_(None), OutboxEvent.created_at < cutoff)
        .order_by(OutboxEvent.id).limit(limit)))


def oldest_unrelayed() -> OutboxEvent | None:
    """Return the oldest event not yet relayed, if any."""
    return db.session.scalar(select(OutboxEvent).where(OutboxEvent.relayed_at.is_(None))
                             .order_by(OutboxEvent.id).limit(1))


def counts() -> dict[str, int]:
    """Return how many events wait, and how many have failed at least once."""
    waiting = db.session.scalar(select(func.count()).where(OutboxEvent.relayed_at.is_(None)))
    failing = db.session.scalar(select(func.count()).where(OutboxEvent.last_error.is_not(None)))
    return {"unrelayed": waiting or 0, "with_errors": failing or 0}

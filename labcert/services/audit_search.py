"""Find audit events by actor, object and date, newest first, a page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from labcert.extensions import db
from labcert.models import AuditEvent
from labcert.services.paging import Page, paginate

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; empty fields match everything, dates are whole UTC days."""

    actor: str = ""
    entity_type: str = ""
    entity_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _query(wanted: AuditFilter) -> Select[tuple[AuditEvent]]:
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if wanted.actor.strip():
        query = query.where(func.lower(AuditEvent.actor)
                            .contains(wanted.actor.strip().lower(), autoescape=True))
    if wanted.entity_type:
        query = query.where(AuditEvent.entity_type == wanted.entity_type)
    if wanted.entity_id.strip():
        query = query.where(AuditEvent.entity_id == wanted.entity_id.strip())
    if wanted.date_from:
        query = query.where(AuditEvent.at >= _midnight(wanted.date_from))
    if wanted.date_to:
        query = query.where(AuditEvent.at < _midnight(wanted.date_to + timedelta(days=1)))
    return query


def search_events(wanted: AuditFilter, page: int = 1,
                  per_page: int = PER_PAGE) -> Page[AuditEvent]:
    """Return one page of the events that match, newest first."""
    return paginate(_query(wanted), page, per_page)


def matching_events(wanted: AuditFilter, chunk: int = 500) -> Iterator[list[AuditEvent]]:
    """Yield every matching event, newest first, in chunks (for an export of any size)."""
    last_seq: int | None = None
    while True:
        query = _query(wanted).limit(chunk)
        if last_seq is not None:
            query = query.where(AuditEvent.seq < last_seq)
        rows = list(db.session.scalars(query))
        if not rows:
            return
        yield rows
        last_seq = rows[-1].seq


def entity_types() -> list[str]:
    """Return the kinds of object the trail has events about."""
    return list(db.session.scalars(select(AuditEvent.entity_type).distinct()
                                   .order_by(AuditEvent.entity_type)))

"""Search the lists people work from: applications and certificates, a page at a time.

`q` is one box for what people have at hand: an application or certificate number, a brand,
a model, a manufacturer, a TAC or an IMEI (digits match from the start). Applications keep
what they are found by in one trigram-indexed column (`search_text`); certificates match
through indexed subqueries of ids. Pages are ordered by id, so they are stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, select, union
from sqlalchemy.orm import InstrumentedAttribute

from labcert.lifecycles import application as application_lifecycle
from labcert.lifecycles import certificate as certificate_lifecycle
from labcert.models import Application, Certificate, Sample, User
from labcert.services.lists import visible_to
from labcert.services.paging import Page, paginate

MAX_QUERY = 100


@dataclass(frozen=True)
class ApplicationSearch:
    """What to look for among applications; empty fields match everything."""

    q: str = ""
    state: str = ""
    market: str = ""


@dataclass(frozen=True)
class CertificateSearch:
    """What to look for among certificates; dates are whole UTC days, both included."""

    q: str = ""
    status: str = ""
    market: str = ""
    issued_from: date | None = None
    issued_to: date | None = None


def _contains(column: InstrumentedAttribute[Any], text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match (ILIKE on PostgreSQL, served by trigram indexes)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _starts(column: InstrumentedAttribute[Any], digits: str) -> ColumnElement[bool]:
    """Prefix match for digits (IMEI, TAC): equality when the value is complete."""
    return column.like(f"{digits}%")


def _clean(q: str) -> str:
    text = " ".join(q.split())[:MAX_QUERY]
    # An IMEI or TAC is often pasted with spaces or dashes between the digit groups.
    compact = text.replace(" ", "").replace("-", "")
    return compact if compact.isdigit() else text


def _application_condition(text: str) -> ColumnElement[bool]:
    """Match the number, product, manufacturer or TACs (one trigram-indexed column), or for
    digits also an IMEI by its first digits. A digit search unites two small id sets, kept
    apart (MATERIALIZED) so the planner does not walk the whole table in id order."""
    by_text = _contains(Application.search_text, text)
    if not text.isdigit():
        return by_text
    imei = Sample.imei == text if len(text) >= 15 else _starts(Sample.imei, text)
    matched = union(select(Application.id).where(by_text),
                    select(Sample.application_id).where(imei)
                    ).cte("matched").prefix_with("MATERIALIZED")
    return Application.id.in_(select(matched.c.id))


def market_condition(column: Any, market: str) -> ColumnElement[bool]:
    """Match a JSON list of market ids that contains `market` (works on SQLite and PostgreSQL)."""
    escaped = market.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return cast(column, String).like(f'%"{escaped}"%', escape="\\")


def application_query(user: User, wanted: ApplicationSearch) -> Select[Any]:
    """Return the ordered query of the applications the user may see that match."""
    query = visible_to(user, select(Application), Application.manufacturer_id)
    if wanted.state in application_lifecycle.STATES:
        query = query.where(Application.state == wanted.state)
    if wanted.market:
        query = query.where(market_condition(Application.markets, wanted.market))
    text = _clean(wanted.q)
    if text:
        query = query.where(_application_condition(text))
    return query.order_by(Application.id.desc())


def search_applications(user: User, wanted: ApplicationSearch, page: int = 1,
                        per_page: int = 25) -> Page[Application]:
    """Return one page of the matching applications, newest first, with the exact total."""
    return paginate(application_query(user, wanted), page, per_page)


def _status_condition(status: str, today: date) -> ColumnElement[bool] | None:
    """The stored rows whose status people see as `status` today (expired is derived)."""
    expiring = certificate_lifecycle.EXPIRING
    if status == "expired":
        return and_(Certificate.status.in_(expiring), Certificate.valid_until < today)
    if status in expiring:
        return and_(Certificate.status == status, Certificate.valid_until >= today)
    if status in certificate_lifecycle.STORED:
        return Certificate.status == status
    return None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _certificate_condition(text: str) -> ColumnElement[bool]:
    """Match the certificate number, or its application's number, product, holder or TACs
    (the application's search text: the holder is the manufacturer that applied)."""
    matched = union(select(Certificate.id).where(_contains(Certificate.number, text)),
                    select(Certificate.id).where(Certificate.application_id.in_(
                        select(Application.id).where(_contains(Application.search_text, text))))
                    ).cte("matched_certificates").prefix_with("MATERIALIZED")
    return Certificate.id.in_(select(matched.c.id))


def certificate_query(user: User, wanted: CertificateSearch, today: date) -> Select[Any]:
    """Return the ordered query of the certificates the user may see that match."""
    query = visible_to(user, select(Certificate), Certificate.holder_id)
    condition = _status_condition(wanted.status, today) if wanted.status else None
    if condition is not None:
        query = query.where(condition)
    if wanted.market:
        query = query.where(Certificate.market == wanted.market)
    if wanted.issued_from:
        query = query.where(Certificate.issued_at >= _midnight(wanted.issued_from))
    if wanted.issued_to:
        query = query.where(Certificate.issued_at < _midnight(wanted.issued_to + timedelta(days=1)))
    text = _clean(wanted.q)
    if text:
        query = query.where(_certificate_condition(text))
    return query.order_by(Certificate.id.desc())


def search_certificates(user: User, wanted: CertificateSearch, today: date, page: int = 1,
                        per_page: int = 25) -> Page[Certificate]:
    """Return one page of the matching certificates, newest first, with the exact total."""
    return paginate(certificate_query(user, wanted, today), page, per_page)


def review_queue(user: User, q: str = "", market: str = "", page: int = 1,
                 per_page: int = 25) -> Page[Application]:
    """Return one page of the submitted applications that match, oldest submission first."""
    query = application_query(user, ApplicationSearch(q=q, state="submitted", market=market))
    query = query.order_by(None).order_by(Application.submitted_at, Application.id)
    return paginate(query, page, per_page)

"""Watch lists: certificates a user relies on and wants to hear about when they change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from labcert.errors import NotFound, ValidationFailed
from labcert.extensions import db
from labcert.languages import N_
from labcert.models import Certificate, User, Watch
from labcert.services.audit import record
from labcert.services.certificates import find_certificate
from labcert.services.unit_of_work import transactional

MAX_AT_ONCE = 1000  # a shipment check names at most this many certificates


@dataclass(frozen=True)
class Watched:
    """A watched certificate with its status today."""

    number: str
    status: str
    market: str
    holder: str
    product: str
    valid_until: date
    superseded_by: str | None
    watched_at: datetime


def _certificate(number: object) -> Certificate:
    text = number.strip() if isinstance(number, str) else ""
    if not text:
        raise ValidationFailed.of([("number", N_("Give the certificate number to watch, as "
                                                 "printed on the certificate."))])
    certificate = find_certificate(text)
    if certificate is None:
        raise NotFound(f"No certificate numbered {text!r} is registered by this lab; check the "
                       "number printed at the top of the certificate.")
    return certificate


def _add(user: User, certificate: Certificate) -> bool:
    exists = db.session.scalar(select(Watch.id).where(Watch.user_id == user.id,
                                                      Watch.certificate_id == certificate.id))
    if exists is not None:
        return False
    db.session.add(Watch(user_id=user.id, certificate_id=certificate.id))
    return True


@transactional
def watch(user: User, number: object) -> tuple[Certificate, bool]:
    """Watch a certificate by number; return it and whether the watch is new."""
    certificate = _certificate(number)
    added = _add(user, certificate)
    if added:
        record(user, "watch.add", "certificate", certificate.number)
    return certificate, added


@transactional
def watch_many(user: User, numbers: Iterable[str]) -> list[str]:
    """Watch every named certificate (a shipment check's); return the newly watched numbers."""
    wanted = sorted({n.strip() for n in numbers if n and n.strip()})
    if not wanted:
        raise ValidationFailed.of([("numbers", N_("No certificate covers this shipment; there "
                                                  "is nothing to watch."))])
    if len(wanted) > MAX_AT_ONCE:
        raise ValidationFailed.of([("numbers", f"Watch at most {MAX_AT_ONCE} certificates "
                                               "at once.")])
    added = [c.number for c in (_certificate(n) for n in wanted) if _add(user, c)]
    if added:
        record(user, "watch.add", "certificate", ",".join(added)[:60], {"numbers": added})
    return added


@transactional
def unwatch(user: User, number: str) -> bool:
    """Stop watching a certificate; return whether it was watched (unwatching twice is fine)."""
    certificate = _certificate(number)
    row = db.session.scalar(select(Watch).where(Watch.user_id == user.id,
                                                Watch.certificate_id == certificate.id))
    if row is None:
        return False
    db.session.delete(row)
    record(user, "watch.remove", "certificate", certificate.number)
    return True


def is_watching(user: User, number: str) -> bool:
    """Tell whether the user watches the certificate with this number."""
    return db.session.scalar(select(Watch.id).join(Certificate).where(
        Watch.user_id == user.id, Certificate.number == number.strip())) is not None


def watch_list(user: User, today: date) -> list[Watched]:
    """Return the user's watched certificates with their statuses today, newest watch first."""
    rows = db.session.execute(select(Watch, Certificate).join(Certificate).where(
        Watch.user_id == user.id).order_by(Watch.id.desc())).all()
    items = []
    for row, certificate in rows:
        facts = certificate.facts
        successor = certificate.successor
        items.append(Watched(
            number=certificate.number, status=certificate.effective_status(today),
            market=certificate.market, holder=facts.holder.name,
            product=f"{facts.product.brand} {facts.product.model}",
            valid_until=certificate.valid_until,
            superseded_by=successor.number if successor else None, watched_at=row.created_at))
    return items

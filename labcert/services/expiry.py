"""Record that a certificate's validity ended: an event, never a stored status.

`expired` is derived from `valid_until` wherever a status is shown; the daily job only writes
down that the day came (a certificate event, the audit trail, and the outbox event that tells
the holder and the watchers), once per certificate.
"""

from __future__ import annotations

from sqlalchemy import select

from labcert.extensions import db
from labcert.lifecycles import certificate as lifecycle
from labcert.models import Certificate, CertificateEvent
from labcert.services import events
from labcert.services.audit import record
from labcert.services.settings import ServiceSettings
from labcert.services.unit_of_work import transactional

EXPIRE_ACTION = "expire"


def due(settings: ServiceSettings) -> list[int]:
    """Return the ids of certificates past valid_until whose expiry is not recorded yet."""
    recorded = select(CertificateEvent.certificate_id).where(
        CertificateEvent.action == EXPIRE_ACTION)
    return list(db.session.scalars(select(Certificate.id).where(
        Certificate.status.in_(lifecycle.EXPIRING),
        Certificate.valid_until < settings.today(),
        Certificate.id.not_in(recorded)).order_by(Certificate.id)))


@transactional
def record_expiry(certificate_id: int, settings: ServiceSettings) -> str | None:
    """Record one certificate's expiry (nothing if it is recorded already); return its number."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.effective_status(settings.today()) != "expired":
        return None
    already = db.session.scalar(select(CertificateEvent.id).where(
        CertificateEvent.certificate_id == certificate.id,
        CertificateEvent.action == EXPIRE_ACTION))
    if already is not None:
        return None
    reason = f"valid until {certificate.valid_until.isoformat()}"
    db.session.add(CertificateEvent(certificate_id=certificate.id, action=EXPIRE_ACTION,
                                    from_status=certificate.status, to_status="expired",
                                    reason=reason, actor_id=None))
    record(None, "certificate.expire", "certificate", certificate.number,
           {"status": certificate.status, "valid_until": certificate.valid_until})
    events.happened("certificate.expired", "certificate", certificate.number,
                    {"holder_id": certificate.holder_id, "from": certificate.status,
                     "to": "expired", "reason": reason})
    return certificate.number

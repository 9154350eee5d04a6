"""Give certificates issued before credentials existed their credential and status place.

Their PDFs are issued and never change, so no credential is attached to them; the registered
credential links each stored PDF by its SHA-256 like any other. Their bits follow their status.
"""

from __future__ import annotations

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Certificate, User
from labcert.services import status_lists
from labcert.services.audit import record
from labcert.services.credential_signing import sign_credential
from labcert.services.settings import ServiceSettings
from labcert.services.unit_of_work import transactional


@transactional
def backfill_credentials(actor: User | None, settings: ServiceSettings) -> list[str]:
    """Sign and store a credential for every certificate that has none; return their numbers."""
    signer = settings.signer()
    missing = db.session.scalars(
        select(Certificate).where(Certificate.status_list.is_(None)).order_by(Certificate.id)
    ).all()
    touched: set[int] = set()
    for certificate in missing:
        place = status_lists.allocate_index(settings, signer)
        certificate.status_list, certificate.status_index = place
        certificate.credential = sign_credential(certificate.facts, settings, signer, place,
                                                 pdf=certificate.pdf)
        touched.add(place[0])
        record(actor, "certificate.credential", "certificate", certificate.number,
               {"status_list": place[0], "status_index": place[1]})
    for number in sorted(touched):  # withdrawn, suspended, superseded ones set their bits
        status_lists.publish(status_lists.lock(number), settings, signer)
    return [c.number for c in missing]

"""Issue signed certificates inside the approval's transaction: all of them, or none."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from flask import current_app

from labcert.extensions import db
from labcert.models import Application, Certificate, CertificateEvent, User, utcnow
from labcert.pdf import build_context, canonical_json, data_sha256, qr_facts, render_certificate_pdf
from labcert.pki import LabSigner, make_qr_token
from labcert.services.audit import record
from labcert.services.evaluations import MarketEvaluation
from labcert.services.numbering import allocate_number, display_number
from labcert.services.snapshot import build_snapshot, lab_logo_uri
from labcert.signing import current_signer

TEMPLATE = "certificate/certificate.html"


def verification_url(number: str) -> str:
    """Return the public status page of a certificate."""
    return f"{current_app.config['PUBLIC_URL']}/verify/{number}"


def render_and_sign(signer: LabSigner, snapshot: dict[str, Any]) -> tuple[bytes, str]:
    """Render the snapshot to PDF/A-3b, sign it, and return the bytes and the QR token."""
    number = snapshot["certificate"]["display_number"]
    token = make_qr_token(signer, qr_facts(snapshot))
    context = build_context(snapshot, verification_url=verification_url(number), qr_token=token,
                            lab_logo=lab_logo_uri(snapshot["lab"]))
    pdf = render_certificate_pdf(context, canonical_json(snapshot))
    return signer.sign_pdf(pdf), token


def store_certificate(*, actor: User, application: Application, market: str,
                      criteria_set: str, snapshot: dict[str, Any], pdf: bytes, token: str,
                      signer: LabSigner,
                      base_number: str, year: int, sequence: int, revision: int,
                      supersedes_id: int | None = None) -> Certificate:
    """Add the certificate, its first event and the audit event to the session."""
    facts = snapshot["certificate"]
    certificate = Certificate(
        number=facts["display_number"], base_number=base_number, revision=revision, year=year,
        sequence=sequence, market=market, criteria_set=criteria_set,
        engine_version=snapshot["engine_version"], template=TEMPLATE,
        application_id=application.id, holder_id=application.manufacturer_id,
        product_id=application.product_id, status="valid",
        issued_at=datetime.fromisoformat(facts["issued_at"]),
        valid_until=date.fromisoformat(facts["valid_until"]), signatory_id=actor.id,
        signer_subject=signer.info()["subject"], snapshot=snapshot,
        data_sha256=data_sha256(snapshot), pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        qr_token=token, supersedes_id=supersedes_id)
    db.session.add(certificate)
    db.session.flush()
    db.session.add(CertificateEvent(certificate_id=certificate.id, action="issue",
                                    from_status=None, to_status="valid",
                                    reason=facts.get("amendment_reason") or "approval",
                                    actor_id=actor.id))
    record(actor, "certificate.issue", "certificate", certificate.number,
           {"application": application.number, "market": market,
            "criteria_set": certificate.criteria_set, "pdf_sha256": certificate.pdf_sha256,
            "data_sha256": certificate.data_sha256})
    return certificate


def issue_certificates(actor: User, application: Application,
                       passing: list[MarketEvaluation]) -> list[Certificate]:
    """Issue one certificate per passing market; any failure rolls the whole approval back."""
    if not passing:
        return []
    signer = current_signer()  # an unreadable key fails here, before any number is taken
    issued = []
    for item in passing:
        issued_at = utcnow().replace(microsecond=0)
        base, sequence = allocate_number(issued_at.year)
        snapshot = build_snapshot(application, item, number=display_number(base, 0), revision=0,
                                  issued_at=issued_at, signatory=actor)
        pdf, token = render_and_sign(signer, snapshot)
        issued.append(store_certificate(actor=actor, application=application,
                                        market=item.market, criteria_set=item.criteria_set.ref,
                                        snapshot=snapshot, pdf=pdf, token=token, signer=signer,
                                        base_number=base, year=issued_at.year,
                                        sequence=sequence, revision=0))
    return issued

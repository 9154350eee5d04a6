"""Issue signed certificates inside the approval's transaction: all of them, or none."""

from __future__ import annotations

import dataclasses
import hashlib

from labcert.certificate_facts import CertificateFacts
from labcert.extensions import db
from labcert.models import Application, Certificate, CertificateEvent, User
from labcert.pdf import build_context, render_certificate_pdf
from labcert.pki import ArchiveError, LabSigner, latest_timestamp, make_qr_token
from labcert.pki.archive import StampInfo
from labcert.services import events
from labcert.services.audit import record
from labcert.services.credential_signing import sign_credential
from labcert.services.evaluations import MarketEvaluation
from labcert.services.numbering import allocate_number, display_number
from labcert.services.settings import ServiceSettings
from labcert.services.signing_keys import record_use
from labcert.services.snapshot import build_facts, lab_facts, lab_logo_uri
from labcert.services.status_lists import allocate_index

TEMPLATE = "certificate/certificate.html"


def render_and_sign(signer: LabSigner, facts: CertificateFacts, settings: ServiceSettings,
                    credential: str | None = None) -> tuple[bytes, str]:
    """Render the facts to PDF/A-3b (credential attached), sign it; return bytes and QR token."""
    token = make_qr_token(signer, facts.qr_facts())
    context = build_context(facts, verification_url=settings.verification_url(facts.number),
                            qr_token=token, lab_logo=lab_logo_uri(facts.lab, settings.lab_name))
    pdf = render_certificate_pdf(context, facts.canonical_json(), credential)
    return signer.sign_pdf(pdf), token


def sign_documents(signer: LabSigner, facts: CertificateFacts,
                   settings: ServiceSettings) -> tuple[bytes, str, str, tuple[int, int]]:
    """Sign the PDF, its QR seal and the credential; return them with the status place.

    The credential attached to the PDF states the facts; the registered one, signed once the
    PDF exists, also links the PDF by its SHA-256 (see services.credential_signing).
    """
    place = allocate_index(settings, signer)
    embedded = sign_credential(facts, settings, signer, place)
    pdf, token = render_and_sign(signer, facts, settings, embedded)
    return pdf, token, sign_credential(facts, settings, signer, place, pdf=pdf), place


def _latest_stamp(pdf: bytes) -> StampInfo | None:
    """Return the signed PDF's latest time-stamp (its TSA's expiry is the archive date)."""
    try:
        return latest_timestamp(pdf)
    except ArchiveError:  # a PDF that cannot be read back has nothing a renewal could extend
        return None


def store_certificate(*, actor: User, application: Application, facts: CertificateFacts,
                      pdf: bytes, token: str, signer: LabSigner, base_number: str, year: int,
                      sequence: int, supersedes_id: int | None = None,
                      credential: str | None = None,
                      place: tuple[int, int] | None = None) -> Certificate:
    """Add the certificate, its first event, the audit event and the outbox event."""
    identity = facts.certificate
    stamp = _latest_stamp(pdf)
    certificate = Certificate(
        number=identity.display_number, base_number=base_number, revision=identity.revision,
        year=year, sequence=sequence, market=facts.market.id,
        criteria_set=facts.market.criteria_set, engine_version=facts.engine_version,
        template=TEMPLATE, application_id=application.id,
        holder_id=application.manufacturer_id, product_id=application.product_id,
        status="valid", issued_at=identity.issued_at, valid_until=identity.valid_until,
        signatory_id=actor.id, signer_subject=signer.info()["subject"],
        signer_fingerprint=signer.fingerprint, signature_level=signer.pades_level,
        archive_until=stamp.tsa_expires if stamp else None,
        snapshot=facts.to_json(), data_sha256=facts.sha256(), pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(), qr_token=token,
        supersedes_id=supersedes_id, credential=credential,
        status_list=place[0] if place else None, status_index=place[1] if place else None)
    db.session.add(certificate)
    db.session.flush()
    record_use(signer, identity.issued_at)  # the key history: first and last use
    db.session.add(CertificateEvent(certificate_id=certificate.id, action="issue",
                                    from_status=None, to_status="valid",
                                    reason=identity.amendment_reason or "approval",
                                    actor_id=actor.id))
    record(actor, "certificate.issue", "certificate", certificate.number,
           {"application": application.number, "market": certificate.market,
            "criteria_set": certificate.criteria_set, "pdf_sha256": certificate.pdf_sha256,
            "data_sha256": certificate.data_sha256, "signer": certificate.signer_fingerprint,
            "signature_level": certificate.signature_level})
    events.happened("certificate.issued", "certificate", certificate.number,
                    {"holder_id": certificate.holder_id, "application_id": application.id,
                     "market": certificate.market, "revision": certificate.revision,
                     "supersedes": identity.supersedes}, actor=actor)
    return certificate


def _as_revision(facts: CertificateFacts, old: Certificate, reason: str) -> CertificateFacts:
    """Return the facts numbered as the next revision of `old`, which they supersede."""
    revision = old.revision + 1
    number = display_number(old.base_number, revision)
    identity = dataclasses.replace(facts.certificate, number=number, display_number=number,
                                   revision=revision, supersedes=old.number,
                                   amendment_reason=reason)
    return dataclasses.replace(facts, certificate=identity)


def issue_certificates(actor: User, application: Application, passing: list[MarketEvaluation],
                       settings: ServiceSettings,
                       revises: Certificate | None = None) -> list[Certificate]:
    """Issue one certificate per passing market; any failure rolls the whole approval back.

    A follow-up application's certificate for the market of `revises` is that certificate's
    next revision (same base number, `-R<n>`); the caller marks the old one superseded.
    """
    if not passing:
        return []
    signer = settings.signer()  # an unreadable key fails here, before any number is taken
    lab = lab_facts(settings.lab_name)
    issued = []
    for item in passing:
        issued_at = settings.now().replace(microsecond=0)
        old = revises if revises is not None and revises.market == item.market.split("@")[0] \
            else None
        if old is None:
            base, sequence = allocate_number(issued_at.year)
            year = issued_at.year
        else:
            base, sequence, year = old.base_number, old.sequence, old.year
        facts = build_facts(application, item, number=display_number(base, 0),
                            issued_at=issued_at, signatory=actor, lab=lab)
        if old is not None:
            facts = _as_revision(facts, old, f"re-tested for {item.criteria_set.ref} "
                                             f"(application {application.number})")
        pdf, token, credential, place = sign_documents(signer, facts, settings)
        issued.append(store_certificate(actor=actor, application=application, facts=facts,
                                        pdf=pdf, token=token, signer=signer, base_number=base,
                                        year=year, sequence=sequence,
                                        supersedes_id=old.id if old is not None else None,
                                        credential=credential, place=place))
    return issued

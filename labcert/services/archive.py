"""Archival renewal of stored certificate PDFs, before their time-stamping authority expires.

`refresh_archive` is the use case behind `labcert pki refresh-archive` and, once background jobs
exist, a scheduled job: every certificate whose latest time-stamp's TSA certificate expires
within N days gets a new document time-stamp and fresh revocation data. Each certificate is one
transaction (a crash keeps the renewals done so far); the registry follows the new hash and keeps
the old one, so a copy downloaded before still verifies; the QR seal and the attached data do not
change. Running it twice renews nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from sqlalchemy import func, or_, select

from labcert.extensions import db
from labcert.models import Certificate, PdfRenewal, User
from labcert.pki import (
    ArchiveError,
    add_archival_timestamp,
    archival_context,
    archive_due,
    latest_timestamp,
    load_signer,
    make_timestamper,
    probe_tsa,
    signature_level_of,
)
from labcert.services import events
from labcert.services.audit import record
from labcert.services.signing_keys import RegisteredSigners, verification_keys
from labcert.services.unit_of_work import transactional

DEFAULT_WITHIN_DAYS = 365


@dataclass(frozen=True)
class ArchiveStamping:
    """The TSA that renews, and the roots that its and the lab's certificates chain to."""

    tsa_url: str | None
    anchors: list[x509.Certificate]
    tsa_anchors: list[x509.Certificate] = field(default_factory=list)


@dataclass
class RenewalReport:
    """What a run did: certificates examined, renewed, left alone and why, and failures."""

    examined: int = 0
    renewed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _due(now: datetime, within_days: int) -> object:
    """Select certificates to look at: due by their recorded date, or never inspected."""
    return or_(Certificate.archive_until <= now + timedelta(days=within_days),
               Certificate.signature_level.is_(None))


def renewal_due_count(now: datetime, within_days: int = DEFAULT_WITHIN_DAYS) -> int:
    """Count the certificates whose latest time-stamp's TSA expires within the days given."""
    return db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.archive_until <= now + timedelta(days=within_days))) or 0


def refresh_archive(stamping: ArchiveStamping, *, now: datetime,
                    within_days: int = DEFAULT_WITHIN_DAYS, actor: User | None = None,
                    progress: Callable[[int, int], None] | None = None) -> RenewalReport:
    """Renew every stored certificate whose time-stamps' authority expires within the days."""
    if not stamping.tsa_url:
        raise ArchiveError("no time-stamping authority: set LABCERT_TSA_URL to renew archives")
    ids = list(db.session.scalars(select(Certificate.id).where(_due(now, within_days))
                                  .order_by(Certificate.id)))
    report = RenewalReport()
    if not ids:
        return report  # nothing due: the TSA is not even asked
    probe = probe_tsa(stamping.tsa_url)
    if not probe.ok:
        raise ArchiveError(probe.message)
    timestamper = make_timestamper(stamping.tsa_url)
    for done, certificate_id in enumerate(ids, start=1):
        report.examined += 1
        try:
            outcome = _renew(certificate_id, stamping, timestamper, probe.not_after,
                             now, within_days, actor)
        except Exception as error:  # one bad file must not stop the others; it is reported
            db.session.rollback()
            number = db.session.get(Certificate, certificate_id).number
            report.failed.append((number, str(error).splitlines()[0][:200] if str(error)
                                  else type(error).__name__))
        else:
            number, renewed, reason = outcome
            if renewed:
                report.renewed.append(number)
            else:
                report.skipped.append((number, reason))
        if progress:
            progress(done, len(ids))
    return report


@transactional
def _renew(certificate_id: int, stamping: ArchiveStamping, timestamper: Any,
           tsa_until: datetime | None, now: datetime, within_days: int,
           actor: User | None) -> tuple[str, bool, str]:
    """Renew one certificate if it is due; return (number, renewed, why not)."""
    certificate = db.session.get(Certificate, certificate_id)
    pdf = certificate.pdf
    stamp = latest_timestamp(pdf)
    if certificate.signature_level is None:  # issued before levels were recorded
        certificate.signature_level = signature_level_of(pdf)
        certificate.archive_until = stamp.tsa_expires if stamp else None
    if stamp is None:
        return certificate.number, False, "PAdES B-B: no time-stamp to renew"
    if not archive_due(pdf, timedelta(days=within_days), now):
        return certificate.number, False, "not due"
    if tsa_until is not None and stamp.tsa_expires and tsa_until <= stamp.tsa_expires:
        return certificate.number, False, (
            f"the TSA's certificate expires {tsa_until:%Y-%m-%d}, no later than the current"
            " time-stamp's: renewing with it would not extend the proof")
    renewed = add_archival_timestamp(
        pdf, timestamper, archival_context(stamping.anchors, stamping.tsa_anchors))
    new_stamp = latest_timestamp(renewed)
    previous = certificate.pdf_sha256
    certificate.pdf, certificate.pdf_sha256 = renewed, hashlib.sha256(renewed).hexdigest()
    certificate.archive_until = new_stamp.tsa_expires if new_stamp else None
    certificate.signature_level = "B-LTA"
    db.session.add(PdfRenewal(certificate_id=certificate.id, previous_sha256=previous,
                              renewed_at=now, archive_until=certificate.archive_until))
    data = {"previous_sha256": previous, "pdf_sha256": certificate.pdf_sha256,
            "archive_until": certificate.archive_until}
    record(actor, "certificate.archive_renew", "certificate", certificate.number, data)
    events.happened("certificate.archive_renewed", "certificate", certificate.number, data,
                    actor=actor)
    return certificate.number, True, ""


def stamping_for(signers: RegisteredSigners) -> ArchiveStamping:
    """Return the configured TSA with the roots of every key the lab has used."""
    keys = verification_keys(signers, lambda: load_signer(signers.configured))
    return ArchiveStamping(signers.configured.tsa_url, keys.anchors, keys.timestamp_anchors)

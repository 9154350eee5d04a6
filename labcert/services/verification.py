"""Public verification: by number, QR token, PDF upload; each check logged, no personal data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from labcert.errors import NotFound
from labcert.extensions import db
from labcert.lifecycles.certificate import WORDS
from labcert.models import Certificate, PdfRenewal
from labcert.pki import InvalidQrToken, PdfCheck, read_qr_token, verify_pdf
from labcert.rules.names import market_name
from labcert.services import answer_cache, impact_notices
from labcert.services.certificates import find_certificate
from labcert.services.settings import ServiceSettings
from labcert.services.signing_keys import VerificationKeys, verification_keys
from labcert.services.verification_log import log_check


def public_status(certificate: Certificate, today: date) -> dict[str, Any]:
    """Return the public facts of a certificate: status, holder, product, dates, hash."""
    status = certificate.effective_status(today)
    facts = certificate.facts
    reason = certificate.status_reason if status != "expired" else \
        f"valid until {certificate.valid_until.isoformat()}"
    successor = certificate.successor
    return {
        "number": certificate.number, "revision": certificate.revision, "status": status,
        "status_message": WORDS[status].sentence, "status_reason": reason,
        "status_changed_at": certificate.status_changed_at,
        "superseded_by": successor.number if successor else None, "market": certificate.market,
        "market_name": market_name(certificate.criteria_set),
        "criteria_set": certificate.criteria_set, "holder": facts.holder.name,
        "product": {"brand": facts.product.brand, "model": facts.product.model,
                    "marketing_name": facts.product.marketing_name,
                    "hardware_version": facts.product.hardware_version,
                    "software_version": facts.product.software_version},
        "issued_at": certificate.issued_at, "valid_until": certificate.valid_until,
        "pdf_sha256": certificate.pdf_sha256,
        "has_credential": certificate.status_list is not None,
        "notices": impact_notices.notices_of(certificate),
    }


def status_by_number(number: str, today: date, channel: str = "number",
                     log: bool = True) -> dict[str, Any]:
    """Answer 'is this certificate registered and in force?' for a number.

    With log=False a found certificate's lookup is not logged: the caller logs the whole check
    (a QR code: `log_qr_check`, once its seal is checked too).
    """
    cache = answer_cache.current()
    hit = cache.get(number.strip(), today) if cache is not None else None
    if hit is not None:
        if log:
            log_check(hit[0]["number"], channel, hit[0]["status"])
        return hit[0]
    certificate = find_certificate(number)
    if certificate is None:
        log_check(None, channel, "unknown_number")
        raise NotFound(f"No certificate numbered {number.strip()!r} is registered by this lab. "
                       "Check the number printed at the top of the certificate; a certificate "
                       "that is not in this register was not issued by this lab.")
    answer = public_status(certificate, today)
    if log:
        log_check(certificate.number, channel, answer["status"])
    if cache is not None:
        cache.put(certificate.number, today, answer)
    return answer


@dataclass
class QrCheck:
    """Whether a QR token is the lab's seal over this certificate's facts."""

    ok: bool
    message: str
    facts: dict[str, Any] = field(default_factory=dict)


def check_qr_token(certificate: Certificate, token: str, settings: ServiceSettings) -> QrCheck:
    """Check a QR token offline-style (any of the lab's keys) and against the registry's record."""
    keys = verification_keys(settings.signers, settings.signer)
    try:
        facts = read_qr_token(token, [*(r.certificate for r in keys.records), *keys.anchors],
                              expected_number=certificate.number)
    except InvalidQrToken as error:
        return QrCheck(False, f"The QR code does not carry the lab's seal: "
                              f"{str(error).rstrip('.')}. "
                              "The printed QR code may be forged or altered.")
    if facts.get("data_sha256") != certificate.data_sha256:
        return QrCheck(False, "The QR code is sealed by the lab but its facts differ from the "
                              "registered certificate.", facts)
    return QrCheck(True, "The QR code carries the lab's seal over this certificate's facts.",
                   facts)


def log_qr_check(answer: dict[str, Any], qr: QrCheck) -> None:
    """Log a QR code check once: the status, or that the code was not the lab's seal."""
    outcome = answer["status"] if qr.ok else f"qr_not_genuine:{answer['status']}"
    log_check(answer["number"], "qr", outcome)


def _registered(checked: PdfCheck, data: bytes, keys: VerificationKeys,
                ) -> tuple[Certificate | None, PdfCheck, str | None]:
    """Find the registered certificate of a file: the current PDF, or a copy before a renewal.

    A copy downloaded before an archival renewal is a prefix of the renewed file, which carries
    the newer time-stamps: when the copy alone no longer proves its signing time, the renewed
    file answers for it.
    """
    current = db.session.scalar(select(Certificate).where(Certificate.pdf_sha256 == checked.sha256))
    if current is not None:
        return current, checked, None
    renewal = db.session.scalar(select(PdfRenewal).where(
        PdfRenewal.previous_sha256 == checked.sha256).order_by(PdfRenewal.id).limit(1))
    certificate = db.session.get(Certificate, renewal.certificate_id) if renewal else None
    if certificate is None or not certificate.pdf.startswith(data):
        return None, checked, None
    note = (f"This file is the copy of certificate {certificate.number} issued before its"
            f" archival renewal of {renewal.renewed_at:%Y-%m-%d}.")
    if checked.authentic:
        return certificate, checked, note
    renewed = verify_pdf(certificate.pdf, keys.anchors, keys.records,
                         tsa_roots=keys.timestamp_anchors)
    return certificate, renewed, note + (" It was checked through the lab's renewed copy, which"
                                         " extends it with newer time-stamps.")


def verify_upload(data: bytes, today: date, settings: ServiceSettings,
                  channel: str = "pdf") -> dict[str, Any]:
    """Check an uploaded PDF: signature, signer, integrity, registration and status."""
    keys = verification_keys(settings.signers, settings.signer)
    checked = verify_pdf(data, keys.anchors, keys.records, tsa_roots=keys.timestamp_anchors)
    registered, checked, earlier = _registered(checked, data, keys)
    checks = [{"name": c.name, "ok": c.ok, "message": c.message} for c in checked.checks]
    number, status = (registered.number, registered.effective_status(today)) if registered \
        else (checked.number, None)
    if registered is not None:
        checks.append({"name": "registered", "ok": True,
                       "message": earlier or f"This exact file is registered as certificate "
                                             f"{registered.number}."})
        checks.append({"name": "status", "ok": status == "valid",
                       "message": WORDS[status].sentence + (f" Reason: {registered.status_reason}"
                                                          if registered.status_reason
                                                          and status != "valid" else "")})
    else:
        known = find_certificate(checked.number) if checked.number else None
        message = (f"Certificate {known.number} is registered, but this file is not the one "
                   "the lab issued (its fingerprint differs)." if known else
                   "No certificate in the register matches this file.")
        checks.append({"name": "registered", "ok": False, "message": message})
        checks.append({"name": "status", "ok": False,
                       "message": "No status: the file is not a registered certificate."})
    authentic = checked.is_pdf and checked.authentic and registered is not None
    outcome = "authentic" if authentic else "not_authentic"
    log_check(number, channel, f"{outcome}:{status or 'unregistered'}")
    return {"verdict": outcome, "number": number, "status": status, "checks": checks,
            "sha256": checked.sha256 if not earlier else hashlib.sha256(data).hexdigest(),
            "is_pdf": checked.is_pdf, "signature_level": checked.pades_level,
            "validated_at": checked.validated_at, "validated_by": checked.validated_by,
            "signer_fingerprint": checked.signer_fingerprint}

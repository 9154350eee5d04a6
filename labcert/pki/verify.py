"""Check a certificate PDF offline: its signature, its signer, and that nothing changed since.

Three questions, each answered with its own message (verifiers were confused where these were
merged): ``signature`` (is the PAdES signature cryptographically sound, and at which time was it
validated?), ``signer`` (was it made with one of the lab's keys, under the lab's trust anchor, and
not after that key was reported compromised?) and ``integrity`` (is the file the document as
signed?). Only a signature that covers the entire file counts, or one followed by harmless
long-term-validation updates (revocation data and document time-stamps): poppler's pdfsig still
says "Signature is Valid" after an incremental update overlays text or swaps the attached JSON,
so the verifier relies on pyHanko's modification analysis and reads the attached data from the
signed revision only. The time of validation is the one the time-stamps prove (``proven``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader

from labcert.pki.attachment import read_attachment
from labcert.pki.keys import KeyRecord, fingerprint
from labcert.pki.messages import (
    INTEGRITY,
    SIGNATURE,
    SIGNER,
    Check,
    integrity_check,
    signature_check,
    signer_check,
)
from labcert.pki.proven import ProvenValidation, validate_signature

logger = logging.getLogger(__name__)

# The PDF header may be preceded by up to 1 KiB of junk (ISO 32000-1, annex H.3).
_HEADER_WINDOW = 1024
LabKeys = x509.Certificate | Sequence[x509.Certificate | KeyRecord] | None


@dataclass(frozen=True)
class PdfCheck:
    """The result of checking one PDF; authentic only when signature, signer and integrity pass."""

    is_pdf: bool
    checks: list[Check]
    sha256: str
    attached_json: dict[str, Any] | None = None
    number: str | None = None
    revision: int | None = None
    signer_subject: str | None = None
    signed_at: dt.datetime | None = None
    pades_level: str | None = None
    signer_fingerprint: str | None = None
    validated_at: dt.datetime | None = None
    validated_by: str | None = None  # which time-stamp proved the time; None: today's validity
    latest_timestamp_expires: dt.datetime | None = None

    @property
    def authentic(self) -> bool:
        """Tell whether the file is the lab's document exactly as signed."""
        by_name = {check.name: check.ok for check in self.checks}
        return all(by_name.get(name, False) for name in (SIGNATURE, SIGNER, INTEGRITY))


def verify_pdf(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    lab_keys: LabKeys = None,
    *,
    tsa_roots: Sequence[x509.Certificate] = (),
    fetch: bool = True,
) -> PdfCheck:
    """Check that pdf carries the lab's signature over the whole file; never raise for bad input.

    lab_keys are the lab's signing keys (a certificate, or key records with their compromise
    dates); None accepts any certificate under the trust roots. fetch allows fresh revocation
    data for the present-time checks (see ``labcert.pki.proven``).
    """
    digest = hashlib.sha256(pdf).hexdigest()
    if not _has_pdf_header(pdf):
        return _failed(digest, False, "The file is not a PDF document.")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # uploaded bytes: any parser failure means "damaged", never a 500
        logger.debug("unreadable PDF %s", digest, exc_info=True)
        return _failed(digest, True, f"The PDF is damaged and cannot be read ({_short(exc)}).")
    if not signatures:
        return _failed(
            digest,
            True,
            "The PDF carries no digital signature: it is not a certificate as issued by the lab.",
        )

    embedded = signatures[0]  # the lab signs once; any later signature is a modification
    attached = read_attachment(reader, embedded.signed_revision)
    certificate = (attached or {}).get("certificate") or {}
    number = _text(certificate.get("display_number") or certificate.get("number"))
    revision = _int(certificate.get("revision"))
    try:
        proven = validate_signature(
            reader, embedded, list(trust_roots), list(tsa_roots), fetch=fetch
        )
    except Exception as exc:  # a malformed CMS blob or broken xref must be an answer, not a 500
        logger.debug("unverifiable signature in PDF %s", digest, exc_info=True)
        return _broken(digest, attached, number, revision, exc)

    status = proven.status
    subject = _common_name(status.signing_cert.subject)
    signer_cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    return PdfCheck(
        is_pdf=True,
        checks=[
            signature_check(proven),
            signer_check(proven, subject, _records(lab_keys), signer_cert),
            integrity_check(status),
        ],
        sha256=digest,
        attached_json=attached,
        number=number,
        revision=revision,
        signer_subject=subject,
        signed_at=_signing_time(proven),
        pades_level=proven.level,
        signer_fingerprint=fingerprint(signer_cert),
        validated_at=proven.validated_at,
        validated_by=_proof_text(proven),
        latest_timestamp_expires=proven.latest_stamp.tsa_expires if proven.latest_stamp else None,
    )


def _records(lab_keys: LabKeys) -> list[KeyRecord] | None:
    if lab_keys is None:
        return None
    items = [lab_keys] if isinstance(lab_keys, x509.Certificate) else list(lab_keys)
    return [k if isinstance(k, KeyRecord) else KeyRecord(k) for k in items]


def _proof_text(proven: ProvenValidation) -> str | None:
    stamp = proven.proof
    if stamp is None:
        return None
    return f"{stamp.kind} time-stamp of {stamp.at:%Y-%m-%d %H:%M:%S} UTC by {stamp.tsa_subject}"


def _signing_time(proven: ProvenValidation) -> dt.datetime | None:
    if proven.proof is not None:
        return proven.validated_at
    status = proven.status
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid:
        return stamp.timestamp
    return status.signer_reported_dt


def _broken(digest: str, attached: dict[str, Any] | None, number: str | None,
            revision: int | None, exc: Exception) -> PdfCheck:
    broken = f"The signature is damaged and cannot be checked ({_short(exc)})."
    return PdfCheck(
        is_pdf=True,
        checks=[
            Check(SIGNATURE, False, broken),
            Check(
                SIGNER, False, "The signer cannot be identified because the signature is damaged."
            ),
            Check(
                INTEGRITY, False, "The file was altered after signing: its signature is damaged."
            ),
        ],
        sha256=digest,
        attached_json=attached,
        number=number,
        revision=revision,
    )


def _has_pdf_header(data: bytes) -> bool:
    return b"%PDF-" in data[:_HEADER_WINDOW]


def _failed(digest: str, is_pdf: bool, message: str) -> PdfCheck:
    unknown = "Cannot be checked: " + message[0].lower() + message[1:]
    return PdfCheck(
        is_pdf=is_pdf,
        checks=[
            Check(SIGNATURE, False, message),
            Check(SIGNER, False, unknown),
            Check(INTEGRITY, False, unknown),
        ],
        sha256=digest,
    )


def _common_name(name: Any) -> str:
    common = name.native.get("common_name") if isinstance(name.native, dict) else None
    return str(common) if common else name.human_friendly


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

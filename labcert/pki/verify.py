"""Check a certificate PDF offline: its signature, its signer, and that nothing changed since.

Three questions, each answered with its own message (verifiers were confused where these were
merged): ``signature`` (is the PAdES signature cryptographically sound?), ``signer`` (was it made
with the lab's key, under the lab's trust anchor?) and ``integrity`` (is the file exactly the
document as signed?). Only a signature that covers the entire file counts: poppler's pdfsig
still says "Signature is Valid" after an incremental update overlays text or swaps the attached
JSON, so the verifier relies on pyHanko's coverage analysis and reads the attached data from the
signed revision only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from cryptography import x509
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from labcert.pki.attachment import read_attachment

logger = logging.getLogger(__name__)

SIGNATURE, SIGNER, INTEGRITY = "signature", "signer", "integrity"
# The PDF header may be preceded by up to 1 KiB of junk (ISO 32000-1, annex H.3).
_HEADER_WINDOW = 1024
_EXPIRED = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.NOT_YET_VALID,
}



@dataclass(frozen=True)
class Check:
    """One answered question about a PDF: its name, whether it passed and a plain-words message."""

    name: str
    ok: bool
    message: str


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

    @property
    def authentic(self) -> bool:
        """Tell whether the file is the lab's document exactly as signed."""
        by_name = {check.name: check.ok for check in self.checks}
        return all(by_name.get(name, False) for name in (SIGNATURE, SIGNER, INTEGRITY))


def verify_pdf(
    pdf: bytes,
    trust_roots: list[x509.Certificate],
    lab_signer_cert: x509.Certificate | None = None,
) -> PdfCheck:
    """Check that pdf carries the lab's signature over the whole file; never raise for bad input."""
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

    embedded = signatures[0]  # the lab signs once; any later signature breaks whole-file coverage
    attached = read_attachment(reader, embedded.signed_revision)
    certificate = (attached or {}).get("certificate") or {}
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(c) for c in trust_roots],
        allow_fetching=False,
    )
    try:
        status = validate_pdf_signature(embedded, context, skip_diff=True)
    except Exception as exc:  # a malformed CMS blob or broken xref must be an answer, not a 500
        logger.debug("unverifiable signature in PDF %s", digest, exc_info=True)
        broken = f"The signature is damaged and cannot be checked ({_short(exc)})."
        return PdfCheck(
            is_pdf=True,
            checks=[
                Check(SIGNATURE, False, broken),
                Check(
                    SIGNER,
                    False,
                    "The signer cannot be identified because the signature is damaged.",
                ),
                Check(
                    INTEGRITY,
                    False,
                    "The file was altered after signing: its signature is damaged.",
                ),
            ],
            sha256=digest,
            attached_json=attached,
            number=_text(certificate.get("display_number") or certificate.get("number")),
            revision=_int(certificate.get("revision")),
        )

    subject = _common_name(status.signing_cert.subject)
    return PdfCheck(
        is_pdf=True,
        checks=[
            _signature_check(status),
            _signer_check(status, subject, lab_signer_cert),
            _integrity_check(status),
        ],
        sha256=digest,
        attached_json=attached,
        number=_text(certificate.get("display_number") or certificate.get("number")),
        revision=_int(certificate.get("revision")),
        signer_subject=subject,
        signed_at=_signing_time(status),
        pades_level="B-T" if status.timestamp_validity is not None else "B-B",
    )


def _signature_check(status: PdfSignatureStatus) -> Check:
    if not status.intact:
        return Check(
            SIGNATURE,
            False,
            "The signature does not match the document: bytes it covers were changed.",
        )
    if not status.valid:
        return Check(
            SIGNATURE, False, "The signature value is invalid: it was forged or corrupted."
        )
    stamp = status.timestamp_validity
    if stamp is not None and not (stamp.intact and stamp.valid):
        return Check(
            SIGNATURE, False, "The signature's time-stamp is broken: it was altered or forged."
        )
    when = _signing_time(status)
    at = f" at {when:%Y-%m-%d %H:%M} UTC" if when else ""
    level = "PAdES B-T, time-stamped" if stamp is not None else "PAdES B-B"
    return Check(SIGNATURE, True, f"The digital signature is valid ({level}{at}).")


def _signer_check(
    status: PdfSignatureStatus, subject: str, lab_signer_cert: x509.Certificate | None
) -> Check:
    if not (status.intact and status.valid):
        return Check(
            SIGNER,
            False,
            f"The signer cannot be confirmed: the signature is broken (it names “{subject}”).",
        )
    if status.revoked:
        return Check(SIGNER, False, f"Signed with a revoked certificate (“{subject}”).")
    if status.trust_problem_indic in _EXPIRED:
        return Check(
            SIGNER,
            False,
            f"Signed by “{subject}”, whose certificate is outside its validity period.",
        )
    if not status.trusted:
        return Check(
            SIGNER,
            False,
            f"Not signed by the lab: the signing certificate “{subject}” was not issued under"
            " the lab's trust anchor.",
        )
    if lab_signer_cert is not None:
        expected = translate_pyca_cryptography_cert_to_asn1(lab_signer_cert)
        if status.signing_cert.dump() != expected.dump():
            return Check(
                SIGNER,
                False,
                f"Not signed by the lab's signing key: “{subject}” is a different certificate.",
            )
    return Check(SIGNER, True, f"Signed by the lab (“{subject}”), trusted through the lab's root.")


def _integrity_check(status: PdfSignatureStatus) -> Check:
    if not status.intact:
        return Check(
            INTEGRITY, False, "The file was altered after signing: its signed content changed."
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Check(
            INTEGRITY,
            False,
            "Content was added to the file after it was signed (an appended update the signature"
            " does not cover): what you see may differ from what the lab issued.",
        )
    return Check(INTEGRITY, True, "The file is exactly as signed: the signature covers every byte.")


def _signing_time(status: PdfSignatureStatus) -> dt.datetime | None:
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid:
        return stamp.timestamp
    return status.signer_reported_dt


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

"""Archival renewal: keep a B-LTA signature provable after its time-stamping authority expires.

A time-stamp proves the document existed at its time only as long as the TSA's certificate can
still be checked. Before it expires, a new document time-stamp (from a TSA whose certificate
lives longer) is added over the document together with fresh revocation data for the previous
one, as an incremental update: bytes in, bytes out. The signed content never changes, so the
attached JSON and the QR seal stay valid, and a copy downloaded before the renewal is a prefix
of the renewed file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import cms
from cryptography import x509
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import timestamps
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.validation import generic_cms
from pyhanko_certvalidator import ValidationContext

from labcert.pki.http import share_tls_context
from labcert.pki.tsa import signer_certificate

SIGNATURE_STAMP, DOCUMENT_STAMP = "signature", "document"


class ArchiveError(ValueError):
    """The document cannot be renewed: it carries no time-stamp, or is not a signed PDF."""


@dataclass(frozen=True)
class StampInfo:
    """One time-stamp in a document: its kind, its time and the TSA certificate behind it."""

    kind: str
    at: dt.datetime
    tsa_subject: str | None
    tsa_expires: dt.datetime | None
    revision: int


def _stamp(kind: str, signed_data: cms.SignedData, revision: int) -> StampInfo:
    info = signed_data["encap_content_info"]["content"].parsed
    certificate = signer_certificate(signed_data)
    return StampInfo(
        kind,
        info["gen_time"].native,
        certificate.subject.rfc4514_string() if certificate else None,
        certificate.not_valid_after_utc if certificate else None,
        revision,
    )


def timestamps_in(reader: PdfFileReader) -> list[StampInfo]:
    """List the signature time-stamp of the lab's signature, then the document time-stamps."""
    stamps: list[StampInfo] = []
    for embedded in reader.embedded_signatures:
        if embedded.sig_object_type == "/DocTimeStamp":
            stamps.append(_stamp(DOCUMENT_STAMP, embedded.signed_data, embedded.signed_revision))
        elif not stamps:
            stamps.extend(
                _stamp(SIGNATURE_STAMP, token, embedded.signed_revision)
                for token in _signature_stamps(embedded.signer_info)
            )
    return stamps


def _signature_stamps(signer_info: cms.SignerInfo) -> Iterator[cms.SignedData]:
    yield from generic_cms.extract_tst_data_iter(signer_info, signed=False)


def latest_timestamp(pdf: bytes) -> StampInfo | None:
    """Return the document's latest time-stamp, or None for a B-B signature."""
    try:
        stamps = timestamps_in(PdfFileReader(BytesIO(pdf), strict=False))
    except Exception as exc:  # stored bytes that do not parse are reported, not hidden
        raise ArchiveError(f"not a readable signed PDF ({exc})") from exc
    return max(stamps, key=lambda s: (s.revision, s.kind == DOCUMENT_STAMP), default=None)


def archive_due(pdf: bytes, within: dt.timedelta, now: dt.datetime) -> bool:
    """Tell whether the latest time-stamp's TSA certificate expires before now + within."""
    stamp = latest_timestamp(pdf)
    if stamp is None or stamp.tsa_expires is None:
        return False  # B-B: nothing to renew (a time-stamp cannot be added after the fact)
    return stamp.tsa_expires <= now + within


def archival_context(
    trust_roots: list[x509.Certificate], tsa_roots: list[x509.Certificate]
) -> ValidationContext:
    """Return a context that trusts the lab's and the TSAs' roots and fetches revocation data."""
    share_tls_context()
    return ValidationContext(
        trust_roots=[
            translate_pyca_cryptography_cert_to_asn1(c) for c in [*trust_roots, *tsa_roots]
        ],
        allow_fetching=True,
    )


def add_archival_timestamp(
    pdf: bytes, timestamper: timestamps.TimeStamper, validation_context: ValidationContext
) -> bytes:
    """Append fresh revocation data and a new document time-stamp to a time-stamped PDF."""
    if latest_timestamp(pdf) is None:
        raise ArchiveError(
            "the signature carries no time-stamp (PAdES B-B): there is nothing to renew"
        )
    reader = PdfFileReader(BytesIO(pdf))
    output = PdfTimeStamper(timestamper).update_archival_timestamp_chain(
        reader, validation_context, in_place=False
    )
    return output.getvalue()

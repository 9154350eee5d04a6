"""Validate the lab's signature at the time its time-stamps prove (ETSI EN 319 102-1).

With document time-stamps (B-LTA), pyHanko's ``ades_lta_validation`` checks the signer's chain
at the *proven* signing time, using the revocation data in the document (DSS) and the chain of
document time-stamps as proof of existence: the signature stays valid after the signing
certificate expires or the key is rotated, and after each time-stamping authority expires as
long as an archival time-stamp renewed the chain before. With only a signature time-stamp (B-T,
B-LT) ``ades_with_time_validation`` takes the time-stamp as the best signature time; it needs
current revocation data for the chain. Without any time-stamp (B-B) the only possible check is
against the certificate's validity today.

Revocation data is fetched only for the present-time check of the latest time-stamp and of the
signer (``NO_HISTORICAL_FETCH``), only from the OCSP/CRL addresses in certificates that chain
to a trusted root; certificates themselves are never fetched (``NEVER_FETCH``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, fields
from io import BytesIO

from cryptography import x509
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation import ades, validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from labcert.pki.archive import DOCUMENT_STAMP, SIGNATURE_STAMP, StampInfo, timestamps_in
from labcert.pki.http import share_tls_context

# Revocation is checked wherever a certificate names an OCSP responder or CRL; the development
# PKI names none. Soft: missing data is tolerated (B-B offline), a "revoked" answer never is.
_HARD = RevocationCheckingPolicy(
    RevocationCheckingRule.CHECK_IF_DECLARED, RevocationCheckingRule.CHECK_IF_DECLARED
)
_SOFT = RevocationCheckingPolicy(
    RevocationCheckingRule.CHECK_IF_DECLARED_SOFT, RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
)


@dataclass(frozen=True)
class ProvenValidation:
    """What pyHanko concluded, at which time, and which time-stamp proved that time."""

    status: PdfSignatureStatus
    passed: bool
    level: str
    validated_at: dt.datetime
    proof: StampInfo | None  # None: checked against today's validity
    latest_stamp: StampInfo | None
    indication: str | None = None  # the AdES sub-indication when not passed
    detail: str | None = None


def document_level(reader: PdfFileReader, embedded: EmbeddedPdfSignature) -> str:
    """Name the PAdES level a signed document has reached (B-B, B-T, B-LT or B-LTA)."""
    later = [s for s in reader.embedded_timestamp_signatures
             if s.signed_revision > embedded.signed_revision]
    if later:
        return "B-LTA"
    stamps = timestamps_in(reader)
    if any(s.kind == SIGNATURE_STAMP for s in stamps):
        return "B-LT" if "/DSS" in reader.root else "B-T"
    return "B-B"


def signature_level_of(pdf: bytes) -> str | None:
    """Name the PAdES level of a signed PDF's first signature, or None when it has none."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    signatures = reader.embedded_regular_signatures
    return document_level(reader, signatures[0]) if signatures else None


def _policy(roots: list[x509.Certificate], revocation: RevocationCheckingPolicy,
            ) -> CertValidationPolicySpec:
    return CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(
            [translate_pyca_cryptography_cert_to_asn1(c) for c in roots]
        ),
        revinfo_policy=CertRevTrustPolicy(revocation_checking_policy=revocation),
    )


def _gathering(fetch: bool) -> RevocationInfoGatheringSpec:
    rule = (RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH if fetch
            else RevinfoOnlineFetchingRule.LOCAL_ONLY)
    return RevocationInfoGatheringSpec(
        online_fetching_rule=rule, certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH
    )


def validate_signature(
    reader: PdfFileReader,
    embedded: EmbeddedPdfSignature,
    trust_roots: list[x509.Certificate],
    tsa_roots: list[x509.Certificate],
    *,
    fetch: bool = True,
) -> ProvenValidation:
    """Validate the signature at its proven time, or against today's validity without one."""
    share_tls_context()
    level = document_level(reader, embedded)
    stamps = timestamps_in(reader)
    latest = max(stamps, key=lambda s: (s.revision, s.kind == DOCUMENT_STAMP), default=None)
    if level == "B-B":
        return _today(embedded, trust_roots, fetch)
    spec = SignatureValidationSpec(
        cert_validation_policy=_policy(trust_roots, _HARD),
        ts_cert_validation_policy=_policy([*trust_roots, *tsa_roots], _HARD),
        revinfo_gathering_policy=_gathering(fetch),
    )
    result: ades.AdESWithTimeValidationResult
    if level == "B-LTA":  # the document time-stamps prove existence of everything before them
        result = asyncio.run(ades.ades_lta_validation(embedded, PdfSignatureValidationSpec(spec)))
    else:  # B-T, B-LT: the signature time-stamp is the best signature time (EN 319 102-1 5.5)
        embedded.compute_integrity_info(DEFAULT_DIFF_POLICY)
        result = asyncio.run(ades.ades_with_time_validation(
            embedded.signed_data, spec, raw_digest=embedded.compute_digest(),
            extra_status_kwargs=embedded.summarise_integrity_info(),
            status_cls=PdfSignatureStatus,
        ))
    passed = result.ades_subindic == AdESPassed.OK and result.api_status is not None
    status = result.api_status
    if status is None:  # pyHanko stopped before judging the signer: judge what it can
        status = validate_pdf_signature(embedded, skip_diff=True)
    when = result.best_signature_time
    proof = _proof(stamps, when) if passed else None
    return ProvenValidation(
        status=status,
        passed=passed,
        level=level,
        validated_at=when if proof else dt.datetime.now(dt.UTC),
        proof=proof,
        latest_stamp=latest,
        indication=None if passed else getattr(result.ades_subindic, "name", None),
        detail=result.failure_msg,
    )


def _proof(stamps: list[StampInfo], when: dt.datetime) -> StampInfo | None:
    """Return the time-stamp whose time is the proven signing time, if one is."""
    for stamp in stamps:
        if abs((stamp.at - when).total_seconds()) < 1:
            return stamp
    return None


def _today(embedded: EmbeddedPdfSignature, trust_roots: list[x509.Certificate],
           fetch: bool) -> ProvenValidation:
    """Validate a B-B signature the only way possible: at the present time."""
    embedded.compute_integrity_info(DEFAULT_DIFF_POLICY)  # the modification analysis
    spec = SignatureValidationSpec(
        cert_validation_policy=_policy(trust_roots, _SOFT),
        revinfo_gathering_policy=_gathering(fetch),
    )
    result = asyncio.run(ades.ades_basic_validation(
        embedded.signed_data, spec, raw_digest=embedded.compute_digest()
    ))
    passed = result.ades_subindic == AdESPassed.OK and result.api_status is not None
    if result.api_status is None:  # pyHanko stopped before judging the signer
        status = validate_pdf_signature(embedded, skip_diff=True)
    else:  # pyHanko answers a CMS status; add what it knows about the PDF around it
        found = {f.name: getattr(result.api_status, f.name) for f in fields(result.api_status)}
        found["signer_reported_dt"] = embedded.self_reported_timestamp  # the /M entry
        status = PdfSignatureStatus(**found, **embedded.summarise_integrity_info())
    return ProvenValidation(
        status=status,
        passed=passed,
        level="B-B",
        validated_at=dt.datetime.now(dt.UTC),
        proof=None,
        latest_stamp=None,
        indication=None if passed else getattr(result.ades_subindic, "name", None),
        detail=result.failure_msg,
    )

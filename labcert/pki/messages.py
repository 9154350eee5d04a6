"""The three answers about a signed PDF, each in plain words: signature, signer, integrity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel

from labcert.pki.keys import KeyRecord, fingerprint
from labcert.pki.proven import ProvenValidation

SIGNATURE, SIGNER, INTEGRITY = "signature", "signer", "integrity"
_OUT_OF_VALIDITY = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.NOT_YET_VALID,
}
_UNTRUSTED = {AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND}


@dataclass(frozen=True)
class Check:
    """One answered question about a PDF: its name, whether it passed and a plain-words message."""

    name: str
    ok: bool
    message: str


def _day(value: dt.datetime) -> str:
    return f"{value.astimezone(dt.UTC):%Y-%m-%d}"


def _minute(value: dt.datetime) -> str:
    return f"{value.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


def signature_check(proven: ProvenValidation) -> Check:
    """Say whether the signature is sound, and at which time (proven by which time-stamp)."""
    status = proven.status
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
    today = _day(proven.validated_at)
    if proven.proof is not None:
        return Check(
            SIGNATURE,
            True,
            f"The digital signature is valid (PAdES {proven.level}, time-stamped): validated at"
            f" {_minute(proven.validated_at)}, the signing time proven by the"
            f" {proven.proof.kind} time-stamp of “{proven.proof.tsa_subject}”.",
        )
    if proven.level == "B-B":
        return Check(
            SIGNATURE,
            True,
            "The digital signature is valid (PAdES B-B, not time-stamped): checked against the"
            f" signing certificate's validity today ({today}); it stops verifying when that"
            " certificate expires.",
        )
    return Check(
        SIGNATURE,
        True,
        f"The digital signature is valid (PAdES {proven.level}, time-stamped), but its signing"
        f" time cannot be proven any more: checked against today's validity ({today}).",
    )


def signer_check(
    proven: ProvenValidation,
    subject: str,
    lab_keys: list[KeyRecord] | None,
    signer_cert: x509.Certificate,
) -> Check:
    """Say whether one of the lab's keys made the signature, valid and uncompromised then."""
    status = proven.status
    if not (status.intact and status.valid):
        return Check(
            SIGNER,
            False,
            f"The signer cannot be confirmed: the signature is broken (it names “{subject}”).",
        )
    if status.revoked:
        return Check(SIGNER, False, f"Signed with a revoked certificate (“{subject}”).")
    if status.trust_problem_indic in _UNTRUSTED:
        return Check(
            SIGNER,
            False,
            f"Not signed by the lab: the signing certificate “{subject}” was not issued under"
            " the lab's trust anchor.",
        )
    record = _find(lab_keys, signer_cert)
    if lab_keys is not None and record is None:
        return Check(
            SIGNER,
            False,
            f"Not signed by the lab's signing key: “{subject}” is a different certificate.",
        )
    proven_time = proven.validated_at if proven.proof is not None else None
    if record is not None and record.compromised_at(proven_time):
        assert record.compromised_since is not None
        when = (f"its time-stamp proves it was made on {_day(proven_time)}, after that"
                if proven_time else "no time-stamp proves it was made before that")
        return Check(
            SIGNER,
            False,
            f"Not authentic: signed with a key reported compromised (“{subject}”, compromised"
            f" since {_day(record.compromised_since)}); {when}.",
        )
    if not proven.passed:
        return Check(SIGNER, False, _not_validated(proven, subject, signer_cert))
    if proven.proof is None:
        return Check(
            SIGNER, True, f"Signed by the lab (“{subject}”), trusted through the lab's root."
        )
    later = " The key has since been retired." if record and record.retired_at else ""
    if signer_cert.not_valid_after_utc < dt.datetime.now(dt.UTC):
        later += f" Its certificate has since expired ({_day(signer_cert.not_valid_after_utc)})."
    return Check(
        SIGNER,
        True,
        f"Signed by the lab (“{subject}”), trusted through the lab's root at the proven signing"
        f" time.{later}",
    )


def _find(lab_keys: list[KeyRecord] | None, cert: x509.Certificate) -> KeyRecord | None:
    wanted = fingerprint(cert)
    return next((k for k in lab_keys or () if k.fingerprint == wanted), None)


def _not_validated(proven: ProvenValidation, subject: str, cert: x509.Certificate) -> str:
    """Explain why the signer could not be validated, in terms a verifier can act on."""
    validity = f"valid {_day(cert.not_valid_before_utc)} to {_day(cert.not_valid_after_utc)}"
    if proven.level == "B-B":
        if proven.status.trust_problem_indic in _OUT_OF_VALIDITY:
            return (
                f"Signed by “{subject}”, whose certificate is outside its validity period today"
                f" ({validity}): a PAdES B-B signature has no time-stamp, so it can only be checked"
                " against today's validity."
            )
        return f"The signer “{subject}” cannot be validated ({proven.indication or 'unknown'})."
    latest = proven.latest_stamp
    if latest and latest.tsa_expires and latest.tsa_expires < dt.datetime.now(dt.UTC):
        reason = (
            f"the certificate of the time-stamping authority behind its latest time-stamp expired"
            f" on {_day(latest.tsa_expires)} and the document was not renewed with an archival"
            " time-stamp before that"
        )
    elif proven.indication == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND.name:
        reason = (
            f"its time-stamps come from an authority this check does not trust"
            f" (“{latest.tsa_subject if latest else 'unknown'}”); add the TSA's root, published"
            " with the lab's keys as a time-stamp anchor"
        )
    else:
        reason = (
            "the revocation data needed to check the time-stamps could not be obtained; try"
            " again later"
        )
    return (
        f"Signed by “{subject}” ({validity}), but the signing time can no longer be proven"
        f" ({proven.indication or 'indeterminate'}): {reason}."
    )


def integrity_check(status: PdfSignatureStatus) -> Check:
    """Say whether the file is the document as signed, allowing only long-term validation data."""
    if not status.intact:
        return Check(
            INTEGRITY, False, "The file was altered after signing: its signed content changed."
        )
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Check(
            INTEGRITY, True, "The file is exactly as signed: the signature covers every byte."
        )
    if (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.LTA_UPDATES
        and status.docmdp_ok
    ):
        return Check(
            INTEGRITY,
            True,
            "The signed document is unchanged: only long-term validation data (revocation data"
            " and document time-stamps) was added after signing.",
        )
    return Check(
        INTEGRITY,
        False,
        "Content was added to the file after it was signed (an appended update the signature"
        " does not cover): what you see may differ from what the lab issued.",
    )

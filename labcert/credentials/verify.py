"""Check a credential offline against the lab's DID document and status lists.

Four questions, each answered apart in plain words, like the PDF checks: ``signature`` (is the
JWS intact under the key it names?), ``issuer`` (is that key one the lab's DID document lists,
and does the credential name the lab?), ``status`` (are its suspension and revocation bits
clear in the lab's signed status lists?) and ``validity`` (is today within its validity period?).
Nothing here fetches anything: callers hand in the DID document and the status lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labcert.credentials.envelope import MalformedCredential
from labcert.credentials.signed import (
    ISSUER,
    SIGNATURE,
    STATUS,
    VALIDITY,
    Check,
    check_signed,
)
from labcert.credentials.status_check import status_check
from labcert.credentials.times import parse_timestamp


@dataclass(frozen=True)
class CredentialCheck:
    """The result of checking one credential; ``valid`` only when every check passed."""

    checks: list[Check]
    credential: dict[str, Any] = field(default_factory=dict)
    header: dict[str, Any] = field(default_factory=dict)

    @property
    def authentic(self) -> bool:
        """Tell whether the credential is intact and issued with the lab's key."""
        by_name = {c.name: c.ok for c in self.checks}
        return by_name.get(SIGNATURE, False) and by_name.get(ISSUER, False)

    @property
    def valid(self) -> bool:
        """Tell whether every check passed: authentic, in force, within its validity period."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def number(self) -> str | None:
        """Return the certificate number the credential states, if any."""
        subject = self.credential.get("credentialSubject")
        value = subject.get("certificateNumber") if isinstance(subject, dict) else None
        return value if isinstance(value, str) else None


def verify_credential(
    token: str,
    did_document: dict[str, Any],
    status_lists: Mapping[str, str] | None = None,
    *,
    now: dt.datetime | None = None,
) -> CredentialCheck:
    """Check a credential against the lab's DID document and status lists; never raise for input."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        signed = check_signed(token, did_document)
    except MalformedCredential as exc:
        return _unreadable(str(exc))
    credential = signed.payload
    return CredentialCheck(
        checks=[
            signed.signature,
            signed.issuer,
            status_check(credential, signed.trusted, did_document, status_lists or {}, now),
            validity_check(credential, now),
        ],
        credential=credential,
        header=signed.header,
    )


def validity_check(credential: dict[str, Any], now: dt.datetime) -> Check:
    """Answer whether now lies within the credential's validFrom and validUntil."""
    start, end = (
        parse_timestamp(credential.get("validFrom")),
        parse_timestamp(credential.get("validUntil")),
    )
    if start is None:
        return Check(VALIDITY, False, "The credential states no readable validFrom date.")
    if now < start:
        return Check(
            VALIDITY, False, f"Not yet valid: it is valid from {start:%Y-%m-%d %H:%M} UTC."
        )
    if end is not None and now > end:
        return Check(
            VALIDITY, False, f"Expired: the certificate's validity period ended on {end:%Y-%m-%d}."
        )
    until = f" until {end:%Y-%m-%d}" if end is not None else ", without an end date"
    return Check(VALIDITY, True, f"Within its validity period: from {start:%Y-%m-%d}{until}.")


def _unreadable(message: str) -> CredentialCheck:
    cannot = "Cannot be checked: " + message[0].lower() + message[1:]
    return CredentialCheck(
        checks=[
            Check(SIGNATURE, False, message),
            Check(ISSUER, False, cannot),
            Check(STATUS, False, cannot),
            Check(VALIDITY, False, cannot),
        ]
    )

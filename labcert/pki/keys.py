"""The lab's signing keys over time: fingerprints, key records and the public keys.json document.

A key is named by the SHA-256 fingerprint of its certificate (64 lower-case hex digits). Every
key the lab has used stays in the history with its dates, so that a verifier can tell which key
signed a certificate, whether it was retired since (still authentic) or reported compromised
(authentic only when a time-stamp proves the signature predates the compromise).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

KEYS_FORMAT = "labcert-keys/1"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def fingerprint(certificate: x509.Certificate) -> str:
    """Return the SHA-256 fingerprint of a certificate as 64 lower-case hex digits."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def normalise_fingerprint(text: str) -> str:
    """Return a fingerprint as typed by a person (colons, upper case, sha256:) in canonical form."""
    value = re.sub(r"[\s:]", "", str(text)).lower().removeprefix("sha256")
    if not _HEX64.fullmatch(value):
        raise ValueError(
            f"{text!r} is not a SHA-256 fingerprint: give the 64 hex digits shown by"
            " `labcert pki status` (colons are allowed)"
        )
    return value


@dataclass(frozen=True)
class KeyRecord:
    """One signing key the lab has used: its certificate and the dates of its life."""

    certificate: x509.Certificate
    first_used_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    retired_at: dt.datetime | None = None
    compromised_since: dt.datetime | None = None

    @property
    def fingerprint(self) -> str:
        """Return the SHA-256 fingerprint of the key's certificate."""
        return fingerprint(self.certificate)

    @property
    def subject(self) -> str:
        """Return the certificate's subject as an RFC 4514 string."""
        return self.certificate.subject.rfc4514_string()

    def status(self, now: dt.datetime) -> str:
        """Say what the key is now: compromised, retired, expired or current."""
        if self.compromised_since is not None:
            return "compromised"
        if self.retired_at is not None:
            return "retired"
        if now > self.certificate.not_valid_after_utc:
            return "expired"
        return "current"

    def compromised_at(self, signed_at: dt.datetime | None) -> bool:
        """Tell whether a signature made at signed_at (None: unproven) falls after a compromise."""
        if self.compromised_since is None:
            return False
        return signed_at is None or signed_at >= self.compromised_since


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def keys_document(
    records: Iterable[KeyRecord],
    trust_anchors: Iterable[x509.Certificate],
    now: dt.datetime,
    timestamp_anchors: Iterable[x509.Certificate] = (),
) -> dict[str, Any]:
    """Build the public keys.json: every key with status and validity, and the trust anchors."""
    keys = [
        {
            "fingerprint": record.fingerprint,
            "subject": record.subject,
            "issuer": record.certificate.issuer.rfc4514_string(),
            "status": record.status(now),
            "not_before": _iso(record.certificate.not_valid_before_utc),
            "not_after": _iso(record.certificate.not_valid_after_utc),
            "first_used_at": _iso(record.first_used_at),
            "last_used_at": _iso(record.last_used_at),
            "retired_at": _iso(record.retired_at),
            "compromised_since": _iso(record.compromised_since),
            "certificate": _pem(record.certificate),
        }
        for record in records
    ]
    return {
        "format": KEYS_FORMAT,
        "generated_at": _iso(now),
        "keys": keys,
        "trust_anchors": [_pem(c) for c in trust_anchors],
        "timestamp_anchors": [_pem(c) for c in timestamp_anchors],
    }


@dataclass(frozen=True)
class KeysDocument:
    """A keys.json read back: the key history and the anchors to trust."""

    keys: tuple[KeyRecord, ...]
    trust_anchors: tuple[x509.Certificate, ...]
    timestamp_anchors: tuple[x509.Certificate, ...]


def read_keys_document(document: Any) -> KeysDocument:
    """Read a keys.json document (parsed JSON); raise ValueError naming what is wrong."""
    if not isinstance(document, dict) or document.get("format") != KEYS_FORMAT:
        raise ValueError(f"not a LabCert keys document (expected \"format\": \"{KEYS_FORMAT}\")")
    records = []
    for index, entry in enumerate(document.get("keys") or []):
        try:
            certificate = x509.load_pem_x509_certificate(entry["certificate"].encode("ascii"))
            record = KeyRecord(
                certificate,
                **{name: _date(entry.get(name)) for name in (
                    "first_used_at", "last_used_at", "retired_at", "compromised_since")},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"keys[{index}]: unreadable key entry ({exc})") from exc
        if entry.get("fingerprint") not in (None, record.fingerprint):
            raise ValueError(f"keys[{index}]: the fingerprint does not match the certificate")
        records.append(record)
    return KeysDocument(
        tuple(records),
        _certificates(document.get("trust_anchors"), "trust_anchors"),
        _certificates(document.get("timestamp_anchors"), "timestamp_anchors"),
    )


def _date(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _certificates(values: Any, field: str) -> tuple[x509.Certificate, ...]:
    try:
        return tuple(x509.load_pem_x509_certificate(v.encode("ascii")) for v in values or [])
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{field}: unreadable certificate ({exc})") from exc

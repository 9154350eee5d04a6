"""Which key signs now, and every key the lab has signed with: the history verifiers trust.

The configuration (LABCERT_SIGNING_*) names the key a fresh installation starts with. Each key
that signs is recorded in ``signing_key`` the first time it is used; `labcert pki rotate` records
a new key with the paths or token labels to open it (never its password or PIN) and retires the
old one. Every process reads the current key from the table before each signature (one indexed
query), so a running web server or worker switches keys without a restart, and refuses to sign
with a key that expired or was reported compromised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import SigningKey, utcnow
from labcert.pki import (
    KeyRecord,
    LabSigner,
    SigningKeyError,
    SigningSettings,
    keys_document,
    load_signer,
)
from labcert.pki.material import read_chain, trust_anchors
from labcert.services.audit import record

_PKCS11 = "LABCERT_SIGNING_PKCS11"


def apply_source(configured: SigningSettings, source: dict[str, Any] | None) -> SigningSettings:
    """Return the signing settings for a recorded key source (None: the configured key)."""
    if not source:
        return configured
    files = dataclasses.replace(configured, p12_path=None, key_path=None, cert_path=None,
                                chain_paths=tuple(Path(p) for p in source.get("chain", ())),
                                pkcs11=None)
    kind = source.get("kind")
    if kind == "p12":
        password = configured.p12_password
        if source.get("password_file"):
            password = Path(source["password_file"]).read_text(encoding="utf-8").strip()
        return dataclasses.replace(files, p12_path=Path(source["path"]), p12_password=password)
    if kind == "pem":
        return dataclasses.replace(files, key_path=Path(source["key"]),
                                   cert_path=Path(source["cert"]))
    if kind == "pkcs11":
        if configured.pkcs11 is None:
            raise SigningKeyError(f"a PKCS#11 key needs {_PKCS11}_MODULE, _TOKEN_LABEL and a PIN"
                                  " in the configuration")
        token = dataclasses.replace(configured.pkcs11, key_label=source["key_label"],
                                    cert_label=source.get("cert_label"))
        return dataclasses.replace(files, pkcs11=token)
    raise SigningKeyError(f"unknown signing key source {kind!r} in the key history")


def current_key() -> SigningKey | None:
    """Return the recorded key that signs now: the newest one not retired."""
    return db.session.scalar(select(SigningKey).where(SigningKey.retired_at.is_(None))
                             .order_by(SigningKey.id.desc()).limit(1))


def find_key(fingerprint: str) -> SigningKey | None:
    """Return the recorded key with this fingerprint, if any."""
    return db.session.scalar(select(SigningKey).where(SigningKey.fingerprint == fingerprint))


def all_keys() -> list[SigningKey]:
    """Return every recorded key, oldest first."""
    return list(db.session.scalars(select(SigningKey).order_by(SigningKey.id)))


def _day(value: datetime) -> str:
    return f"{value:%Y-%m-%d}"


def refuse_unusable(signer: LabSigner, now: datetime) -> None:
    """Refuse a key that expired, was retired by a rotation, or was reported compromised."""
    signer.check(now)
    row = find_key(signer.fingerprint)
    if row is not None and row.compromised_since is not None:
        raise SigningKeyError(
            f"the signing key {signer.fingerprint[:16]}… was reported compromised (since"
            f" {_day(row.compromised_since)}): rotate to a new key with `labcert pki rotate`")
    if row is not None and row.retired_at is not None:
        raise SigningKeyError(
            f"the configured signing key {signer.fingerprint[:16]}… was retired on"
            f" {_day(row.retired_at)}: configure the current key, or rotate with"
            " `labcert pki rotate`")


@dataclass(frozen=True)
class RegisteredSigners:
    """The signer source of an installation: the recorded current key, else the configured one."""

    configured: SigningSettings
    clock: Callable[[], datetime] = utcnow

    def current(self) -> LabSigner:
        """Return the key to sign with now, checked (cheaply) before every signature."""
        row = current_key()
        signer = load_signer(apply_source(self.configured, row.source if row else None))
        if row is not None and row.source and row.fingerprint != signer.fingerprint:
            raise SigningKeyError(
                f"{signer.key.location} holds another key than the one recorded by the rotation"
                f" ({row.fingerprint[:16]}…): put the rotated key back or rotate again")
        refuse_unusable(signer, self.clock())
        return signer

    def timestamp_anchors(self) -> list[x509.Certificate]:
        """Return the extra trust anchors of the TSA (LABCERT_TSA_ROOTS)."""
        return read_chain(self.configured.tsa_roots)


def _pem(certs: list[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


def register(signer: LabSigner, source: dict[str, Any] | None) -> SigningKey:
    """Return the key's record, adding it to the session if it is new."""
    row = find_key(signer.fingerprint)
    if row is None:
        cert = signer.certificate
        row = SigningKey(fingerprint=signer.fingerprint, subject=cert.subject.rfc4514_string(),
                         issuer=cert.issuer.rfc4514_string(), not_before=cert.not_valid_before_utc,
                         not_after=cert.not_valid_after_utc, certificate_pem=signer.public_pem(),
                         chain_pem=_pem(signer.chain), location=signer.key.location[:300],
                         source=source)
        db.session.add(row)
        db.session.flush()
        record(None, "signing_key.register", "signing_key", row.fingerprint,
               {"subject": row.subject, "location": row.location,
                "not_after": row.not_after.isoformat(), "source": source})
    return row


def record_use(signer: LabSigner, now: datetime) -> SigningKey:
    """Record that signer signed now (in the issuing transaction, after the number is taken).

    A configured key seen for the first time while another configured key is current means the
    configuration changed: the old one is retired, as a rotation would.
    """
    row = register(signer, None)
    for other in db.session.scalars(select(SigningKey).where(
            SigningKey.retired_at.is_(None), SigningKey.id != row.id)):
        other.retired_at = now
        record(None, "signing_key.retire", "signing_key", other.fingerprint,
               {"reason": "the configuration names another key", "successor": row.fingerprint})
    row.first_used_at = row.first_used_at or now
    row.last_used_at = now
    return row


@dataclass(frozen=True)
class VerificationKeys:
    """What a verifier trusts: the lab's keys with their history, and the trust anchors."""

    records: list[KeyRecord]
    anchors: list[x509.Certificate]
    timestamp_anchors: list[x509.Certificate]


def as_record(row: SigningKey) -> KeyRecord:
    """Return a recorded key as the PKI library's key record."""
    return KeyRecord(x509.load_pem_x509_certificate(row.certificate_pem.encode("ascii")),
                     first_used_at=row.first_used_at, last_used_at=row.last_used_at,
                     retired_at=row.retired_at, compromised_since=row.compromised_since)


def verification_keys(signers: object, fallback: Callable[[], LabSigner]) -> VerificationKeys:
    """Return the key history and anchors (the configured signer's when nothing is recorded)."""
    stamps = signers.timestamp_anchors() if isinstance(signers, RegisteredSigners) else []
    rows = all_keys()
    if not rows:
        signer = fallback()
        return VerificationKeys([KeyRecord(signer.certificate)], list(signer.trust_roots),
                                stamps or list(signer.tsa_roots))
    records, anchors = [], []
    for row in rows:
        record = as_record(row)
        chain = tuple(x509.load_pem_x509_certificates(row.chain_pem.encode("ascii"))
                      ) if row.chain_pem else ()
        records.append(record)
        anchors += [a for a in trust_anchors(record.certificate, chain) if a not in anchors]
    return VerificationKeys(records, anchors, stamps)


def _configured(signers: RegisteredSigners) -> Callable[[], LabSigner]:
    return lambda: load_signer(signers.configured)


def keys_json(signers: RegisteredSigners, now: datetime) -> dict[str, Any]:
    """Build the public keys.json: every key with its status and validity, and the anchors."""
    keys = verification_keys(signers, _configured(signers))
    return keys_document(keys.records, keys.anchors, now, keys.timestamp_anchors)


def published_pems(signers: RegisteredSigners) -> tuple[str, str]:
    """Return the PEMs of the current signing certificate and of the trust anchors."""
    keys = verification_keys(signers, _configured(signers))
    row = current_key()
    signer = row.certificate_pem if row else _pem([keys.records[-1].certificate])
    return signer, _pem(keys.anchors)

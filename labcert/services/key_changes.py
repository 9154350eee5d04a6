"""Change the key that signs: rotate to a new one, or report a key compromised since a date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Certificate, SigningKey, User
from labcert.pki import SigningKeyError, load_signer, normalise_fingerprint
from labcert.services import events
from labcert.services.audit import record
from labcert.services.signing_keys import (
    RegisteredSigners,
    apply_source,
    current_key,
    find_key,
    register,
)
from labcert.services.unit_of_work import transactional


def _short(fingerprint: str) -> str:
    return fingerprint[:16] + "…"


@transactional
def rotate(signers: RegisteredSigners, source: dict[str, Any], actor: User | None,
           now: datetime) -> SigningKey:
    """Make the key that source names the one that signs, and retire the one before it.

    The new key is opened and checked first (a wrong path, PIN or label changes nothing); every
    process picks it up before its next signature.
    """
    signer = load_signer(apply_source(signers.configured, source))
    signer.check(now)
    existing = find_key(signer.fingerprint)
    if existing is not None and existing.compromised_since is not None:
        raise Conflict(f"The key {_short(signer.fingerprint)} was reported compromised: it "
                       "cannot sign again. Rotate to a new key.")
    previous = current_key()
    if previous is None:  # the configured key may have signed before anything was recorded
        try:
            previous = register(load_signer(signers.configured), None)
        except SigningKeyError:
            previous = None
    if previous is not None and previous.fingerprint == signer.fingerprint:
        raise Conflict(f"The key {_short(signer.fingerprint)} already signs; nothing changed.")
    if previous is not None:
        previous.retired_at = now
    row = register(signer, source)
    row.source, row.retired_at, row.location = source, None, signer.key.location[:300]
    data = {"from": previous.fingerprint if previous else None, "to": row.fingerprint,
            "location": row.location, "level": signer.pades_level}
    record(actor, "signing_key.rotate", "signing_key", row.fingerprint, data)
    events.happened("signing_key.rotated", "signing_key", row.fingerprint, data, actor=actor)
    return row


@transactional
def report_compromised(fingerprint: str, since: datetime, reason: str, actor: User | None,
                       now: datetime) -> dict[str, Any]:
    """Mark a key compromised since a date: what it signed after then is no longer authentic."""
    try:
        wanted = normalise_fingerprint(fingerprint)
    except ValueError as error:
        raise ValidationFailed.of([("fingerprint", str(error))]) from None
    if since > now:
        raise ValidationFailed.of([("since", "The compromise date is in the future; give the "
                                             "date from which the key may have been misused.")])
    row = find_key(wanted)
    if row is None:
        raise NotFound(f"No signing key with fingerprint {_short(wanted)} is recorded; "
                       "`labcert pki status` lists the lab's keys.")
    if row.compromised_since is not None and row.compromised_since <= since:
        raise Conflict(f"The key {_short(wanted)} is already reported compromised since "
                       f"{row.compromised_since:%Y-%m-%d}.")
    row.compromised_since, row.compromise_reason = since, (reason or "")[:500] or None
    if row.retired_at is None:
        row.retired_at = now  # issuance stops until another key is rotated in
    affected = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.signer_fingerprint == wanted, Certificate.issued_at >= since)) or 0
    data = {"since": since.isoformat(), "reason": reason, "certificates_issued_since": affected}
    record(actor, "signing_key.compromised", "signing_key", wanted, data)
    events.happened("signing_key.compromised", "signing_key", wanted, data, actor=actor)
    return {"fingerprint": wanted, "subject": row.subject, **data}

"""Certificate lifecycle: find, suspend, reinstate, withdraw, amend (a new signed revision)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from sqlalchemy import select

from labcert.access import check_owner
from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Application, Certificate, CertificateEvent, User, utcnow
from labcert.services.audit import record
from labcert.services.issuance import render_and_sign, store_certificate
from labcert.services.snapshot import lab_facts
from labcert.services.unit_of_work import transactional
from labcert.signing import current_signer

# action → (states it may start from, state it leads to)
TRANSITIONS = {
    "suspend": (frozenset({"valid"}), "suspended"),
    "reinstate": (frozenset({"suspended"}), "valid"),
    "withdraw": (frozenset({"valid", "suspended"}), "withdrawn"),
}
AMENDABLE = {"marketing_name": "product", "software_version": "product",
             "hardware_version": "product", "address": "holder", "factory_sites": "holder"}


def find_certificate(number: str) -> Certificate | None:
    """Return the certificate with this number (revision suffix included), if any."""
    return db.session.scalar(select(Certificate).where(Certificate.number == number.strip()))


def get_certificate(user: User, number: str) -> Certificate:
    """Return the certificate if this user may see it; 404 otherwise (also for others' ones)."""
    certificate = find_certificate(number)
    if certificate is None:
        raise NotFound(f"No certificate numbered {number}.")
    check_owner(user, certificate.holder_id, "certificate")
    return certificate


def visible_certificates(user: User, market: str | None = None) -> list[Certificate]:
    """List the certificates this user may see, newest first."""
    stmt = select(Certificate).order_by(Certificate.id.desc())
    if not user.is_staff:
        stmt = stmt.where(Certificate.holder_id == user.organization_id)
    if market:
        stmt = stmt.where(Certificate.market == market)
    return list(db.session.scalars(stmt))


def _reason(reason: str | None, limit: int = 500) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed.of([("reason", "Give the reason; it is shown to verifiers.")])
    if len(text) > limit:
        raise ValidationFailed.of([("reason", f"Keep the reason under {limit} characters.")])
    return text


def _set_status(actor: User, certificate: Certificate, action: str, to: str, reason: str) -> None:
    before = certificate.status
    certificate.status, certificate.status_reason = to, reason
    certificate.status_changed_at = utcnow()
    db.session.add(CertificateEvent(certificate_id=certificate.id, action=action,
                                    from_status=before, to_status=to, reason=reason,
                                    actor_id=actor.id))
    record(actor, f"certificate.{action}", "certificate", certificate.number,
           {"from": before, "to": to, "reason": reason})


@transactional
def change_status(actor: User, number: str, action: str, reason: str | None) -> Certificate:
    """Suspend, reinstate or withdraw a certificate, with a reason."""
    certificate = get_certificate(actor, number)
    allowed, to = TRANSITIONS[action]
    text = _reason(reason)
    if certificate.status not in allowed:
        raise Conflict(f"Cannot {action} certificate {certificate.number}: it is "
                       f"{certificate.status}.", {"status": [certificate.status]})
    _set_status(actor, certificate, action, to, text)
    return certificate


def _apply_changes(snapshot: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    problems = [(f"changes.{k}", f"Cannot amend {k!r}; amendable: {', '.join(AMENDABLE)}.")
                for k in changes if k not in AMENDABLE]
    if not changes:
        problems.append(("changes", "Say what changes in this revision."))
    if problems:
        raise ValidationFailed.of(problems)
    updated = copy.deepcopy(snapshot)
    for key, value in changes.items():
        if key == "factory_sites" and not (isinstance(value, list)
                                           and all(isinstance(v, str) for v in value)):
            raise ValidationFailed.of([("changes.factory_sites", "Give a list of sites.")])
        if key != "factory_sites" and (not isinstance(value, str) or len(value) > 200):
            raise ValidationFailed.of([(f"changes.{key}", "Give text up to 200 characters.")])
        updated[AMENDABLE[key]][key] = value
    return updated


@transactional
def amend(actor: User, number: str, reason: str | None, changes: dict[str, Any]) -> Certificate:
    """Issue a new signed revision with the changes; the old one becomes superseded."""
    old = get_certificate(actor, number)
    text = _reason(reason, limit=450)  # it is also stored as "superseded by <number>: <reason>"
    if old.status != "valid" or old.effective_status(date.today()) == "expired":
        raise Conflict(f"Cannot amend certificate {old.number}: it is "
                       f"{old.effective_status(date.today())}; only a valid one can be amended.",
                       {"status": [old.status]})
    signer = current_signer()
    revision = old.revision + 1
    snapshot = _apply_changes(old.snapshot, changes)
    new_number = f"{old.base_number}-R{revision}"
    snapshot["certificate"].update({
        "number": new_number, "display_number": new_number, "revision": revision,
        "issued_at": utcnow().replace(microsecond=0).isoformat(), "supersedes": old.number,
        "amendment_reason": text})
    snapshot["signatory"] = {"name": actor.name, "role": "Authorized signatory (reviewer)"}
    snapshot["lab"] = lab_facts()  # the revision is issued now, under the lab's current identity
    pdf, token = render_and_sign(signer, snapshot)
    application = db.session.get(Application, old.application_id)
    new = store_certificate(actor=actor, application=application, market=old.market,
                            criteria_set=old.criteria_set, snapshot=snapshot, pdf=pdf,
                            token=token, signer=signer,
                            base_number=old.base_number, year=old.year, sequence=old.sequence,
                            revision=revision, supersedes_id=old.id)
    old.superseded_by_id = new.id
    _set_status(actor, old, "amend", "superseded", f"superseded by {new.number}: {text}")
    return new


"""Certificate lifecycle: find, suspend, reinstate, withdraw, amend (a new signed revision)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from labcert.access import check_owner
from labcert.certificate_facts import AMENDABLE, Signatory
from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.lifecycles import certificate as lifecycle
from labcert.models import Application, Certificate, CertificateEvent, User, utcnow
from labcert.services import events, status_lists
from labcert.services.audit import record
from labcert.services.issuance import sign_documents, store_certificate
from labcert.services.settings import ServiceSettings
from labcert.services.snapshot import lab_facts
from labcert.services.unit_of_work import transactional


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


def _reason(reason: str | None, limit: int = 500) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed.of([("reason", "Give the reason; it is shown to verifiers.")])
    if len(text) > limit:
        raise ValidationFailed.of([("reason", f"Keep the reason under {limit} characters.")])
    return text


def _require(action: str, certificate: Certificate, today: Any) -> None:
    refusal = lifecycle.action_refusal(action, certificate.status, certificate.valid_until, today)
    if refusal is not None:
        hint = "; only a valid one can be amended" if action == "amend" else ""
        raise Conflict(f"Cannot {action} certificate {certificate.number}: {refusal}{hint}.",
                       {"status": [certificate.status]})


def _set_status(actor: User, certificate: Certificate, action: str, reason: str) -> None:
    rule = lifecycle.ACTIONS[action]
    before, to = certificate.status, rule.to
    certificate.status, certificate.status_reason = to, reason
    certificate.status_changed_at = utcnow()
    db.session.add(CertificateEvent(certificate_id=certificate.id, action=action,
                                    from_status=before, to_status=to, reason=reason,
                                    actor_id=actor.id))
    record(actor, f"certificate.{action}", "certificate", certificate.number,
           {"from": before, "to": to, "reason": reason})
    events.happened(rule.event, "certificate", certificate.number,
                    {"holder_id": certificate.holder_id, "from": before, "to": to,
                     "reason": reason, "superseded_by": _number(certificate.superseded_by_id)},
                    actor=actor)


def _number(certificate_id: int | None) -> str | None:
    other = db.session.get(Certificate, certificate_id) if certificate_id else None
    return other.number if other else None


@transactional
def change_status(actor: User, number: str, action: str, reason: str | None, *,
                  settings: ServiceSettings) -> Certificate:
    """Suspend, reinstate or withdraw a certificate, with a reason; re-sign its status list."""
    if action not in lifecycle.STATUS_ACTIONS:
        raise ValidationFailed.of([("action", "Choose suspend, reinstate or withdraw.")])
    certificate = get_certificate(actor, number)
    text = _reason(reason)
    _require(action, certificate, utcnow().date())
    held = status_lists.hold(certificate.status_list)  # the list row before the certificate row
    _set_status(actor, certificate, action, text)
    status_lists.publish_held(held, settings)
    return certificate


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Return the amendment's changes cleaned, or refuse naming each field that cannot change."""
    problems = [(f"changes.{k}", f"Cannot amend {k!r}; amendable: {', '.join(AMENDABLE)}.")
                for k in changes if k not in AMENDABLE]
    if not changes:
        problems.append(("changes", "Say what changes in this revision."))
    for key, value in changes.items():
        if key == "factory_sites" and not (isinstance(value, list)
                                           and all(isinstance(v, str) for v in value)):
            problems.append(("changes.factory_sites", "Give a list of sites."))
        elif key in AMENDABLE and key != "factory_sites" and (
                not isinstance(value, str) or len(value) > 200):
            problems.append((f"changes.{key}", "Give text up to 200 characters."))
    if problems:
        raise ValidationFailed.of(problems)
    return {k: [s.strip() for s in v if s.strip()] if k == "factory_sites" else v.strip()
            for k, v in changes.items()}


@transactional
def amend(actor: User, number: str, reason: str | None, changes: dict[str, Any], *,
          settings: ServiceSettings) -> Certificate:
    """Issue a new signed revision with the changes; the old one becomes superseded."""
    old = get_certificate(actor, number)
    text = _reason(reason, limit=450)  # it is also stored as "superseded by <number>: <reason>"
    _require("amend", old, settings.today())
    cleaned = check_changes(changes)
    signer = settings.signer()
    held = status_lists.hold(old.status_list)  # the list row before the certificate row
    revision = old.revision + 1
    new_number = f"{old.base_number}-R{revision}"
    facts = old.facts.amended(number=new_number, revision=revision,
                              issued_at=settings.now().replace(microsecond=0),
                              supersedes=old.number, reason=text, changes=cleaned,
                              signatory=Signatory(name=actor.name),
                              lab=lab_facts(settings.lab_name))  # the lab's identity now
    pdf, token, credential, place = sign_documents(signer, facts, settings)
    application = db.session.get(Application, old.application_id)
    new = store_certificate(actor=actor, application=application, facts=facts, pdf=pdf,
                            token=token, signer=signer, base_number=old.base_number,
                            year=old.year, sequence=old.sequence, supersedes_id=old.id,
                            credential=credential, place=place)
    old.superseded_by_id = new.id
    _set_status(actor, old, "amend", f"superseded by {new.number}: {text}")
    status_lists.publish_held(held, settings, signer)  # a superseded credential is revoked
    return new


def supersede_by_revision(actor: User, old: Certificate, new: Certificate,
                          held: Any, settings: ServiceSettings) -> None:
    """Mark `old` superseded by its re-tested revision `new`, as an amendment does."""
    _require("amend", old, settings.today())
    old.superseded_by_id = new.id
    reason = new.facts.certificate.amendment_reason or "re-tested"
    _set_status(actor, old, "amend", f"superseded by {new.number}: {reason}"[:500])
    status_lists.publish_held(held, settings)  # a superseded credential is revoked

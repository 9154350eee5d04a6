"""What to tell whom: drafts of notification mail, keyed so each is composed once.

A draft names the template and the plain facts; the caller (a job) renders it and hands the
rendered messages back to `save`. Drafts whose key already exists are left out, so running an
event's job or a daily reminder twice composes nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, Certificate, Instrument, MailMessage, OutboxEvent, User
from labcert.services import audiences, impact_notices, notifications
from labcert.services.mail_context import (
    calibration_context,
    certificate_context,
    rejection_context,
)
from labcert.services.notifications import KINDS, Recipient
from labcert.services.settings import ServiceSettings

REMINDER_DAYS = (60, 30, 7)  # reminders before a certificate expires, each sent once
CALIBRATION_DAYS = 30


@dataclass(frozen=True)
class Draft:
    """A message to compose: its key, kind, recipient, template and facts."""

    key: str
    kind: str
    user: User
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """A composed message, ready to store."""

    draft: Draft
    subject: str
    text: str
    html: str


def _drafts(recipients: list[Recipient], key: str, template: str,
            context: dict[str, Any], watchers: frozenset[int] = frozenset()) -> list[Draft]:
    drafts = []
    for item in notifications.wanted(recipients):
        full_key = f"{key}:user:{item.user.id}"
        if notifications.mail_exists(full_key):
            continue
        drafts.append(Draft(full_key, item.kind, item.user, template, {
            **context, "user_name": item.user.name, "mandatory": KINDS[item.kind].mandatory,
            "watching": item.user.id in watchers}))
    return drafts


def for_event(event_id: int, settings: ServiceSettings) -> list[Draft]:
    """Return the drafts an outbox event calls for (empty for an unknown event)."""
    event = db.session.get(OutboxEvent, event_id)
    if event is None:
        return []
    people = audiences.audience(event)
    key = f"event:{event.id}"
    if event.entity_type == "certificate":
        certificate = db.session.scalar(select(Certificate).where(
            Certificate.number == event.entity_id))
        if certificate is None:
            return []
        template = "certificate_issued" if event.kind == "certificate.issued" \
            else "certificate_status"
        watching = frozenset(u.id for u in audiences.watchers(certificate.id))
        return _drafts(people, key, template, certificate_context(certificate, settings),
                       watching)
    if event.kind == impact_notices.EVENT:
        return _drafts(people, key, "impact_notice",
                       impact_notices.mail_context(event.data, int(event.entity_id), settings))
    if event.kind == "application.rejected":
        application = db.session.get(Application, int(event.entity_id))
        reasons = list(event.data.get("reasons", []))
        return _drafts(people, key, "application_rejected",
                       rejection_context(application, reasons, settings))
    return []


def reminder_stage(days_left: int) -> int | None:
    """Return the reminder due with this many days left (60, 30 or 7), or None."""
    due = [d for d in REMINDER_DAYS if 0 <= days_left <= d]
    return min(due) if due else None


def for_expiring(settings: ServiceSettings) -> list[Draft]:
    """Return the 60/30/7-day reminders due today for certificates in force."""
    today = settings.today()
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.status == "valid", Certificate.valid_until >= today,
        Certificate.valid_until <= today + timedelta(days=max(REMINDER_DAYS)))
        .order_by(Certificate.id))
    drafts = []
    for certificate in certificates:
        days_left = (certificate.valid_until - today).days
        stage = reminder_stage(days_left)
        people = [Recipient(u, "certificate.expiring")
                  for u in audiences.holder_users(certificate.holder_id)]
        context = {**certificate_context(certificate, settings), "days_left": days_left}
        drafts += _drafts(people, f"expiring:{stage}:{certificate.number}",
                          "certificate_expiring", context)
    return drafts


def for_calibration(settings: ServiceSettings) -> list[Draft]:
    """Return reminders for instruments falling due for calibration within 30 days."""
    today = settings.today()
    instruments = db.session.scalars(select(Instrument).where(
        Instrument.is_retired.is_(False), Instrument.calibration_due >= today,
        Instrument.calibration_due <= today + timedelta(days=CALIBRATION_DAYS))
        .order_by(Instrument.id))
    technicians = audiences.lab_technicians()
    drafts = []
    for instrument in instruments:
        people = [Recipient(u, "instrument.calibration_due") for u in technicians]
        drafts += _drafts(people, f"calibration:{instrument.id}:{instrument.calibration_due}",
                          "calibration_due", calibration_context(instrument, today, settings))
    return drafts


def save(messages: list[Rendered]) -> list[int]:
    """Store the composed messages (a key composed meanwhile is skipped); return their ids."""
    ids = []
    for item in messages:
        draft = item.draft
        stored = notifications.add_mail(draft.key, draft.kind, draft.user, draft.user.email,
                                        item.subject, item.text, item.html)
        if stored is not None:
            db.session.flush()
            ids.append(stored.id)
    db.session.commit()
    return ids


def pending_for(prefix: str) -> list[int]:
    """Return the unsent messages whose key starts with `prefix` (composed, never handed out)."""
    return list(db.session.scalars(select(MailMessage.id).where(
        MailMessage.key.startswith(prefix + ":"), MailMessage.status == "pending")
        .order_by(MailMessage.id)))


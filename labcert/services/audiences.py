"""Who hears of what happened: the holder's people, the watchers, the lab's technicians."""

from __future__ import annotations

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, Certificate, OutboxEvent, TestResult, User, Watch
from labcert.services.notifications import Recipient

# The outbox event kind -> the notification kind it is for the certificate holder's people.
HOLDER_KINDS = {
    "certificate.issued": "certificate.issued",
    "certificate.superseded": "certificate.amended",
    "certificate.suspended": "certificate.suspended",
    "certificate.reinstated": "certificate.reinstated",
    "certificate.withdrawn": "certificate.withdrawn",
    "certificate.expired": "certificate.expired",
}
# What a watcher is told: a watched certificate changed status or was superseded.
WATCHER_KINDS = {
    "certificate.superseded": "certificate.amended",
    "certificate.suspended": "certificate.suspended",
    "certificate.reinstated": "certificate.reinstated",
    "certificate.withdrawn": "certificate.withdrawn",
    "certificate.expired": "certificate.expired",
}


def holder_users(organization_id: int) -> list[User]:
    """Return the manufacturer's users (the people of the organisation a certificate names)."""
    return list(db.session.scalars(select(User).where(
        User.organization_id == organization_id, User.role == "manufacturer")
        .order_by(User.id)))


def watchers(certificate_id: int) -> list[User]:
    """Return the users watching a certificate."""
    return list(db.session.scalars(select(User).join(Watch, Watch.user_id == User.id).where(
        Watch.certificate_id == certificate_id).order_by(User.id)))


def lab_technicians() -> list[User]:
    """Return the lab's technicians."""
    return list(db.session.scalars(select(User).where(User.role == "technician")
                                   .order_by(User.id)))


def application_technicians(application: Application) -> list[User]:
    """Return the technicians who registered the application or entered its results."""
    entered = select(TestResult.entered_by_id).where(
        TestResult.application_id == application.id)
    return list(db.session.scalars(select(User).where(
        User.role == "technician",
        (User.id == application.created_by_id) | User.id.in_(entered)).order_by(User.id)))


def certificate_audience(certificate: Certificate, event_kind: str) -> list[Recipient]:
    """Return the holder's people, then the watchers, for a certificate event."""
    people = [Recipient(u, HOLDER_KINDS[event_kind])
              for u in holder_users(certificate.holder_id)] if event_kind in HOLDER_KINDS else []
    if event_kind in WATCHER_KINDS:
        people += [Recipient(u, WATCHER_KINDS[event_kind]) for u in watchers(certificate.id)]
    return people


def audience(event: OutboxEvent) -> list[Recipient]:
    """Return everyone an outbox event concerns, before their preferences are applied."""
    if event.entity_type == "certificate":
        certificate = db.session.scalar(select(Certificate).where(
            Certificate.number == event.entity_id))
        return certificate_audience(certificate, event.kind) if certificate else []
    if event.kind == "criteria.impact_published":
        return [Recipient(u, "certificate.retest_required")
                for u in holder_users(int(event.entity_id))]
    if event.kind == "application.rejected":
        application = db.session.get(Application, int(event.entity_id))
        if application is None:
            return []
        people = application_technicians(application) + holder_users(application.manufacturer_id)
        return [Recipient(u, "application.rejected") for u in people]
    return []

"""Who is told about what: notification kinds, each user's choices, and the mail to compose.

A message is keyed by what it announces and to whom (`event:<id>:user:<id>`,
`expiring:60:<number>:user:<id>` ...): composing it twice finds the key and adds nothing, so a
job that runs again — after a crash, a retry or a second cron — never mails twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.models import MailMessage, NotificationPreference, User
from labcert.services.audit import record
from labcert.services.unit_of_work import transactional


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its label on the account page and whether it can be turned off."""

    name: str
    label: str
    mandatory: bool = False


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("certificate.issued", "A certificate is issued to my organisation"),
    Kind("certificate.amended", "A certificate is amended (a new revision replaces it)"),
    Kind("certificate.suspended", "A certificate is suspended", mandatory=True),
    Kind("certificate.reinstated", "A suspended certificate is reinstated"),
    Kind("certificate.withdrawn", "A certificate is withdrawn", mandatory=True),
    Kind("certificate.expiring", "A certificate expires in 60, 30 or 7 days"),
    Kind("certificate.expired", "A certificate has expired"),
    Kind("application.rejected", "An application is sent back with reasons"),
    Kind("certificate.retest_required", "A new criteria version affects my certificates "
         "(re-test required)", mandatory=True),
    Kind("instrument.calibration_due", "An instrument falls due for calibration"),
)}


@dataclass(frozen=True)
class Recipient:
    """A user to tell, and the kind of notification it is for them."""

    user: User
    kind: str


def is_wanted(user: User, kind: str) -> bool:
    """Tell whether the user wants this kind of notification (mandatory kinds always)."""
    if KINDS[kind].mandatory:
        return True
    choice = db.session.scalar(select(NotificationPreference.is_enabled).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    return choice is not False


def preferences(user: User) -> dict[str, bool]:
    """Return the user's choice for every kind (mandatory ones are always on)."""
    stored = dict(db.session.execute(select(NotificationPreference.kind,
                                            NotificationPreference.is_enabled)
                                     .where(NotificationPreference.user_id == user.id)).all())
    return {name: kind.mandatory or stored.get(name, True) for name, kind in KINDS.items()}


@transactional
def set_preferences(user: User, enabled: Iterable[str]) -> dict[str, bool]:
    """Turn on the named kinds and off the others; mandatory kinds cannot be turned off."""
    wanted = set(enabled)
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise ValidationFailed.of([("kinds", f"Unknown notification kind: {', '.join(unknown)}; "
                                             f"choose from {', '.join(KINDS)}.")])
    rows = {p.kind: p for p in db.session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id))}
    for name, kind in KINDS.items():
        value = kind.mandatory or name in wanted
        row = rows.get(name) or NotificationPreference(user_id=user.id, kind=name)
        row.is_enabled = value
        db.session.add(row)
    record(user, "notifications.preferences", "user", user.id,
           {"off": sorted(n for n in KINDS if n not in wanted and not KINDS[n].mandatory)})
    return preferences(user)


def wanted(recipients: Iterable[Recipient]) -> list[Recipient]:
    """Keep one recipient per active user with an address, and only those who want it."""
    seen: set[int] = set()
    kept = []
    for item in recipients:
        user = item.user
        if user.id in seen or not user.is_active_account or not user.email:
            continue
        seen.add(user.id)
        if is_wanted(user, item.kind):
            kept.append(item)
    return kept


def mail_exists(key: str) -> bool:
    """Tell whether a message with this key was already composed."""
    return db.session.scalar(select(MailMessage.id).where(MailMessage.key == key)) is not None


def add_mail(key: str, kind: str, user: User | None, to_address: str, subject: str,
             body_text: str, body_html: str) -> MailMessage | None:
    """Add a message unless its key exists; return it, or None if it was composed before."""
    if mail_exists(key):
        return None
    message = MailMessage(key=key, kind=kind, user_id=user.id if user else None,
                          to_address=to_address, subject=subject[:300], body_text=body_text,
                          body_html=body_html, status="pending")
    try:
        with db.session.begin_nested():  # another worker may add the same key right now
            db.session.add(message)
    except IntegrityError:
        return None
    return message

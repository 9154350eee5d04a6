"""The state of each notification mail: claim it before sending, mark it after.

A worker claims a message for a lease before it talks to the mail server. If the worker dies
mid-job the claim runs out and the next attempt sends it; while the lease runs, a second copy
of the job backs off instead of sending the message again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from labcert.extensions import db
from labcert.models import MailMessage


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a message: `send` it, it is `done`, or `busy` for `wait` s."""

    state: str
    message: MailMessage | None = None
    wait: float = 0.0


def claim(mail_id: int, now: datetime, lease_seconds: float) -> Claim:
    """Take the message for this worker for `lease_seconds`, and commit that claim."""
    stale = now - timedelta(seconds=lease_seconds)
    taken = db.session.execute(
        update(MailMessage).where(MailMessage.id == mail_id, or_(
            MailMessage.status == "pending",
            and_(MailMessage.status == "sending", MailMessage.claimed_at < stale)))
        .values(status="sending", claimed_at=now, attempts=MailMessage.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    message = db.session.get(MailMessage, mail_id)
    if message is None or message.status in ("sent", "failed"):
        return Claim("done", message)
    if not taken:
        left = (message.claimed_at + timedelta(seconds=lease_seconds) - now).total_seconds() \
            if message.claimed_at else lease_seconds
        return Claim("busy", message, max(1.0, left))
    return Claim("send", message)


def mark_sent(message: MailMessage, now: datetime) -> None:
    """Record that the mail server accepted the message."""
    message.status, message.sent_at, message.last_error = "sent", now, None
    db.session.commit()


def mark_failed(message: MailMessage, error: str, *, final: bool) -> None:
    """Record a failed attempt: back to pending for a retry, or failed for good."""
    message.status = "failed" if final else "pending"
    message.claimed_at, message.last_error = None, error[:500]
    db.session.commit()


def stragglers(now: datetime, lease_seconds: float, limit: int = 500) -> list[int]:
    """Return the messages a sweeper should hand out again: pending, or claimed and abandoned."""
    stale = now - timedelta(seconds=lease_seconds)
    older = now - timedelta(seconds=30)  # leave the ones a relay is handing out right now
    return list(db.session.scalars(select(MailMessage.id).where(or_(
        and_(MailMessage.status == "pending", MailMessage.created_at < older),
        and_(MailMessage.status == "sending", MailMessage.claimed_at < stale)))
        .order_by(MailMessage.id).limit(limit)))


def counts() -> dict[str, int]:
    """Return how many messages are in each state."""
    return dict(db.session.execute(select(MailMessage.status, func.count())
                                   .group_by(MailMessage.status)).all())


def recent(limit: int = 50) -> list[MailMessage]:
    """Return the newest messages first (the development outbox page)."""
    return list(db.session.scalars(select(MailMessage).order_by(MailMessage.id.desc())
                                   .limit(limit)))

"""Who wants to hear about what: watched certificates and per-kind notification choices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labcert.extensions import db
from labcert.models.certificate import Certificate
from labcert.models.types import UTCDateTime, utcnow


class Watch(db.Model):
    """A user watching a certificate they rely on (an exporter's goods, a buyer's stock)."""

    __tablename__ = "watch"
    __table_args__ = (UniqueConstraint("user_id", "certificate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certificate: Mapped[Certificate] = relationship()

    def __repr__(self) -> str:
        return f"<Watch user {self.user_id} certificate {self.certificate_id}>"


class NotificationPreference(db.Model):
    """A user's choice for one kind of notification (no row: the kind's default, on)."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    is_enabled: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.user_id} {self.kind} {self.is_enabled}>"

"""People who sign in, with one role each."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labcert.extensions import db
from labcert.models.organization import Organization
from labcert.models.types import UTCDateTime, utcnow

ROLES = ("admin", "technician", "reviewer", "manufacturer", "exporter")
STAFF_ROLES = frozenset({"admin", "technician", "reviewer"})
ORGANIZATION_ROLES = frozenset({"manufacturer", "exporter"})


class User(UserMixin, db.Model):
    """An account; manufacturer and exporter users belong to an organization."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'technician', 'reviewer', 'manufacturer', 'exporter')",
            name="role",
        ),
        CheckConstraint("language IS NULL OR language IN ('en', 'ur', 'ar', 'ru')",
                        name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the user chose for the pages (labcert.languages); None: the browser's.
    language: Mapped[str | None] = mapped_column(String(5))

    organization: Mapped[Organization | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    @property
    def is_staff(self) -> bool:
        """Tell whether the user works for the lab."""
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role} {self.email}>"

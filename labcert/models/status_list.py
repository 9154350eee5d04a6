"""The lab's Bitstring Status Lists: one row per list, both purposes, signed on every change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.types import UTCDateTime, utcnow


class StatusList(db.Model):
    """A block of status indexes; its row is locked while an index is taken or a list re-signed.

    Each certificate holds one index in one list; the list publishes that index's bit twice,
    as a suspension list and as a revocation list, each a signed credential kept ready to serve.
    """

    __tablename__ = "status_list"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    allocated: Mapped[int] = mapped_column(default=0)  # indexes handed out so far
    suspension_credential: Mapped[str | None] = mapped_column(Text)
    revocation_credential: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def credential(self, purpose: str) -> str | None:
        """Return the signed list credential for a purpose ("suspension" or "revocation")."""
        return self.suspension_credential if purpose == "suspension" else self.revocation_credential

    def __repr__(self) -> str:
        return f"<StatusList {self.number}: {self.allocated} taken>"

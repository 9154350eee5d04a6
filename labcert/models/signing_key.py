"""The lab's signing keys over time, and the archival renewals of certificate PDFs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.types import UTCDateTime, utcnow


class SigningKey(db.Model):
    """A key the lab has signed with: its certificate, its life, and where to load it from.

    ``source`` says how to open the key when it is not the one the configuration names (a
    rotation): file paths or token labels, never a password or PIN, which stay in the
    configuration. None means "the configured key".
    """

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(300))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    certificate_pem: Mapped[str] = mapped_column(Text)
    chain_pem: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300))
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    compromised_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    compromise_reason: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<SigningKey {self.fingerprint[:16]} {self.subject}>"


class PdfRenewal(db.Model):
    """An archival time-stamp added to a certificate's PDF: the hash the file had before."""

    __tablename__ = "pdf_renewal"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    previous_sha256: Mapped[str] = mapped_column(String(64), index=True)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archive_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<PdfRenewal {self.certificate_id} {self.previous_sha256[:12]}>"

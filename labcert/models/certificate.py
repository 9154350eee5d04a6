"""Issued certificates, their status history and the per-year number counter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labcert.certificate_facts import CertificateFacts, cached_facts
from labcert.extensions import db
from labcert.lifecycles import certificate as lifecycle
from labcert.models.search_index import text_search_index
from labcert.models.types import UTCDateTime, utcnow
from labcert.models.user import User

CERTIFICATE_STATUSES = lifecycle.STORED


class Certificate(db.Model):
    """A signed certificate for one market: what was issued is stored, never recomputed."""

    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("base_number", "revision"),
        UniqueConstraint("status_list", "status_index"),
        CheckConstraint(lifecycle.check_constraint("status"), name="status"),
        text_search_index("certificate", "number"),
        Index("ix_certificate_market_status", "market", "status"),
        Index("ix_certificate_issued_at", "issued_at"),
        Index("ix_certificate_status_valid_until", "status", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # with revision suffix
    base_number: Mapped[str] = mapped_column(String(30), index=True)
    revision: Mapped[int] = mapped_column(default=0)
    year: Mapped[int]
    sequence: Mapped[int]
    market: Mapped[str] = mapped_column(String(50))
    criteria_set: Mapped[str] = mapped_column(String(80))
    engine_version: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(100))
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="valid")
    status_reason: Mapped[str | None] = mapped_column(String(500))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[date]
    signatory_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signer_subject: Mapped[str] = mapped_column(String(300))
    # The key that signed (SHA-256 of its certificate), the PAdES level reached, and when the
    # latest time-stamp's authority expires (None for B-B: nothing to renew).
    signer_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    signature_level: Mapped[str | None] = mapped_column(String(8))
    archive_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    data_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    qr_token: Mapped[str] = mapped_column(String(400))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    # The UNTP credential (vc+jwt) and the certificate's place in the status lists; empty for
    # certificates issued before LabCert issued credentials.
    credential: Mapped[str | None] = mapped_column(Text, deferred=True)
    status_list: Mapped[int | None] = mapped_column(ForeignKey("status_list.number"))
    status_index: Mapped[int | None]

    signatory: Mapped[User] = relationship()
    predecessor: Mapped[Certificate | None] = relationship(
        foreign_keys=[supersedes_id], remote_side=[id], viewonly=True)
    successor: Mapped[Certificate | None] = relationship(
        foreign_keys=[superseded_by_id], remote_side=[id], viewonly=True)
    events: Mapped[list[CertificateEvent]] = relationship(
        back_populates="certificate", order_by="CertificateEvent.id"
    )

    @property
    def facts(self) -> CertificateFacts:
        """Return the stored snapshot as typed certificate facts (parsed once per process)."""
        return cached_facts(self.data_sha256, lambda: self.snapshot)

    def effective_status(self, today: date) -> str:
        """Return the status shown to people: `expired` is derived from `valid_until`."""
        return lifecycle.effective_status(self.status, self.valid_until, today)

    def allowed_actions(self, today: date) -> list[str]:
        """List the lifecycle actions possible now (suspend, reinstate, withdraw, amend)."""
        return lifecycle.allowed_actions(self.status, self.valid_until, today)

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.market} {self.status}>"


class CertificateEvent(db.Model):
    """A change of a certificate's status, with actor, time and reason."""

    __tablename__ = "certificate_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CertificateEvent {self.action} {self.from_status}->{self.to_status}>"


class CertificateCounter(db.Model):
    """The last certificate sequence used in a year; locked while a number is allocated."""

    __tablename__ = "certificate_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<CertificateCounter {self.year}: {self.last_value}>"


class VerificationLog(db.Model):
    """One verification: when, which certificate, through which channel, with what outcome.

    A check run by a signed-in exporter names them (their history of checks); a public check
    names nobody. A shipment check names its market.
    """

    __tablename__ = "verification_log"
    __table_args__ = (Index("ix_verification_log_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    certificate_number: Mapped[str | None] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(40))
    # The Redis stream entry it was flushed from: a flush repeated after a crash adds nothing.
    source_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                           ondelete="SET NULL"))
    market: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<VerificationLog {self.channel} {self.certificate_number} {self.outcome}>"

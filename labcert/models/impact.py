"""Criteria revision impact: stored analyses and the notices holders and verifiers see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.types import UTCDateTime, utcnow

RUN_STATES = ("queued", "running", "done", "failed")


class ImpactRun(db.Model):
    """One impact analysis of a criteria set version: its progress, then its stored result."""

    __tablename__ = "impact_run"
    __table_args__ = (
        CheckConstraint(f"state IN ({', '.join(repr(s) for s in RUN_STATES)})", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set: Mapped[str] = mapped_column(String(80), index=True)  # id@version
    state: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<ImpactRun {self.id} {self.criteria_set} {self.state} {self.done}/{self.total}>"


class ImpactNotice(db.Model):
    """A published notice: this certificate is affected by a criteria set version from a date.

    The certificate's status does not change; the public status shows the notice until the lab
    acts (a re-test issues a new revision, which carries no notice).
    """

    __tablename__ = "impact_notice"
    __table_args__ = (UniqueConstraint("certificate_id", "criteria_set"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("impact_run.id"))
    criteria_set: Mapped[str] = mapped_column(String(80))
    effective_from: Mapped[date]
    impact: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ImpactNotice certificate={self.certificate_id} {self.criteria_set}>"

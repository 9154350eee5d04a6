"""Scheduled jobs that ran: one row per job and day, so a daily job runs once a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.types import UTCDateTime, utcnow


class JobRun(db.Model):
    """A daily job's run on one day: claimed when it starts, finished with its summary."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("name", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    day: Mapped[date]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<JobRun {self.name} {self.day} {self.outcome}>"

"""Stored evaluations: what the rule engine said, with the inputs it saw."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.types import UTCDateTime, utcnow


class Evaluation(db.Model):
    """A rule-engine verdict for one application and market, kept as evidence of a decision."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    market: Mapped[str] = mapped_column(String(50))
    criteria_set: Mapped[str] = mapped_column(String(80))
    verdict: Mapped[str] = mapped_column(String(20))
    outcomes: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(20))
    evaluated_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Evaluation {self.criteria_set} {self.verdict} application={self.application_id}>"

"""Test results: never edited; a correction is a new row that supersedes the old."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labcert.extensions import db
from labcert.models.instrument import Instrument
from labcert.models.sample import Sample
from labcert.models.types import ExactDecimal, UTCDateTime, utcnow
from labcert.models.user import User


class TestResult(db.Model):
    """One measured value or observation for one test code, with its uncertainty."""

    __tablename__ = "test_result"
    __test__ = False  # not a pytest test class
    __table_args__ = (
        CheckConstraint(
            "(value IS NOT NULL) OR (observation IS NOT NULL)", name="value_or_observation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"))
    test_code: Mapped[str] = mapped_column(String(50))
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    observation: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(30))
    uncertainty: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    uncertainty_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    k: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal(2))
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    instrument_id: Mapped[int | None] = mapped_column(ForeignKey("instrument.id"))
    tested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(10), default="form")
    is_external: Mapped[bool] = mapped_column(default=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("test_result.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("test_result.id"))
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    # Set when U was not entered but taken from an instrument's budget: the asset tag.
    uncertainty_from: Mapped[str | None] = mapped_column(String(50))

    sample: Mapped[Sample | None] = relationship()
    instrument: Mapped[Instrument | None] = relationship()
    entered_by: Mapped[User] = relationship()

    @property
    def is_superseded(self) -> bool:
        """Tell whether a later result replaced this one."""
        return self.superseded_by_id is not None

    def __repr__(self) -> str:
        return f"<TestResult {self.id} {self.test_code}={self.value or self.observation}>"

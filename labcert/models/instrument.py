"""Measuring instruments and their calibration dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.types import UTCDateTime, utcnow


class Instrument(db.Model):
    """A measuring instrument; measurements after its calibration is due are refused."""

    __tablename__ = "instrument"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_tag: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    calibrated_at: Mapped[date]
    calibration_due: Mapped[date]
    is_retired: Mapped[bool] = mapped_column(default=False)
    # The catalogue test codes the instrument is declared suitable for.
    tests: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Uncertainty budgets by test code at k = 2: {"value": "0.4", "unit": "W/kg"} (absolute)
    # or {"percent": "12"} (of the measured value).
    budgets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Instrument {self.asset_tag} due {self.calibration_due}>"

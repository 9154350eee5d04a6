"""Samples: the physical devices received for testing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.search_index import prefix_search_index
from labcert.models.types import UTCDateTime, utcnow


class Sample(db.Model):
    """A device under test, identified by its IMEI (unique in the lab)."""

    __tablename__ = "sample"
    __table_args__ = (prefix_search_index("sample", "imei"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    imei: Mapped[str] = mapped_column(String(15), unique=True)
    serial: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[date]
    condition: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # `sample.application` is the backref declared on Application.samples (the application
    # module imports this one, never the reverse).

    def __repr__(self) -> str:
        return f"<Sample {self.imei}>"

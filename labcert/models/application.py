"""Applications for certification and the reviews they receive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labcert.extensions import db
from labcert.lifecycles import application as lifecycle
from labcert.models.organization import Organization
from labcert.models.product import Product
from labcert.models.sample import Sample
from labcert.models.search_index import text_search_index
from labcert.models.types import UTCDateTime, utcnow
from labcert.models.user import User

APPLICATION_STATES = lifecycle.STATES


class Application(db.Model):
    """A request to certify one product for one or more export markets."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(lifecycle.check_constraint("state"), name="state"),
        text_search_index("application", "search_text"),
        Index("ix_application_submitted_at", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    manufacturer_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    markets: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A re-test after a criteria revision: the certificate it revises, the version that asked
    # for it, the plan rows to test and the earlier results it carries over (issue 18).
    follow_up: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the search box matches, in one indexed column: number, brand, model, marketing
    # name, manufacturer and TACs (kept by services.search_text; IMEIs are searched in sample).
    search_text: Mapped[str] = mapped_column(Text, default="")

    product: Mapped[Product] = relationship()
    manufacturer: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()
    samples: Mapped[list[Sample]] = relationship(backref="application", order_by="Sample.id")

    # Optimistic locking: every UPDATE checks the version it read.
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Application {self.number} {self.state} v{self.version}>"


class Review(db.Model):
    """A reviewer's decision on a submitted application, with reasons for a rejection."""

    __tablename__ = "review"
    __table_args__ = (CheckConstraint("decision IN ('approved', 'rejected')", name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decision: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Review {self.decision} application={self.application_id}>"

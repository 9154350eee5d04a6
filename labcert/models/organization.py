"""Organizations: the lab itself, manufacturers and exporters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from labcert.extensions import db
from labcert.models.search_index import text_search_index
from labcert.models.types import UTCDateTime, utcnow

ORGANIZATION_KINDS = ("lab", "manufacturer", "exporter")


class Organization(db.Model):
    """A party LabCert knows: the lab, a manufacturer (certificate holder) or an exporter."""

    __tablename__ = "organization"
    __table_args__ = (
        CheckConstraint("kind IN ('lab', 'manufacturer', 'exporter')", name="kind"),
        text_search_index("organization", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(500), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    factory_sites: Mapped[list[Any]] = mapped_column(JSON, default=list)
    accreditation_number: Mapped[str] = mapped_column(String(100), default="")
    # The lab's logo lives in the database so that every host prints the same one.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_mimetype: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.kind} {self.name!r}>"

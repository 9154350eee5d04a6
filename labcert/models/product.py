"""Products: the phone model under test, with the TACs its IMEIs carry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from labcert.extensions import db
from labcert.models.organization import Organization
from labcert.models.search_index import prefix_search_index, text_search_index
from labcert.models.types import UTCDateTime, utcnow


class Product(db.Model):
    """A model of a manufacturer's device: one brand, one hardware/software configuration."""

    __tablename__ = "product"
    __table_args__ = (
        text_search_index("product", "brand"),
        text_search_index("product", "model"),
        text_search_index("product", "marketing_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manufacturer_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    brand: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(100))
    marketing_name: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(50), default="smartphone")
    hardware_version: Mapped[str] = mapped_column(String(100), default="")
    software_version: Mapped[str] = mapped_column(String(100), default="")
    technologies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    bands: Mapped[list[Any]] = mapped_column(JSON, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    manufacturer: Mapped[Organization] = relationship()
    tac_rows: Mapped[list[ProductTac]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductTac.tac"
    )

    @property
    def tacs(self) -> list[str]:
        """Return the declared TACs."""
        return [row.tac for row in self.tac_rows]

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.brand} {self.model}>"


class ProductTac(db.Model):
    """A Type Allocation Code (first 8 IMEI digits) declared for a product."""

    __tablename__ = "product_tac"
    __table_args__ = (prefix_search_index("product_tac", "tac"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    tac: Mapped[str] = mapped_column(String(8), index=True)

    product: Mapped[Product] = relationship(back_populates="tac_rows")

    def __repr__(self) -> str:
        return f"<ProductTac {self.tac} product={self.product_id}>"

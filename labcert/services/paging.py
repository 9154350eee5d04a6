"""Pages of a query's rows: the items of one page, the exact total, stable order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from labcert.extensions import db

T = TypeVar("T")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results: the items, the total across all pages, and where this page is."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return how many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Tell whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Tell whether there is a page after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        """Return the number of the page before."""
        return max(1, self.page - 1)

    @property
    def next_num(self) -> int:
        """Return the number of the page after."""
        return self.page + 1


def paginate(query: Select[Any], page: int = 1, per_page: int = 50) -> Page[Any]:
    """Run `query` (already ordered, with a unique last key) for one page and count the total."""
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page)

"""Certificate numbers: LC-{year}-{6 digits}, gap-free per year, safe under concurrency."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from labcert.extensions import db
from labcert.models import CertificateCounter


def _ensure_counter(year: int) -> None:
    """Create the year's counter row if missing, without racing another transaction."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(CertificateCounter)
                       .values(year=year, last_value=0).on_conflict_do_nothing())


def allocate_number(year: int) -> tuple[str, int]:
    """Take the next number of `year` inside the caller's transaction (row lock until commit).

    A rollback gives the number back, so numbers have no gaps.
    """
    _ensure_counter(year)
    counter = db.session.execute(
        select(CertificateCounter).where(CertificateCounter.year == year)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    counter.last_value += 1
    db.session.flush()
    return f"LC-{year}-{counter.last_value:06d}", counter.last_value


def display_number(base: str, revision: int) -> str:
    """Return the number shown on a revision: LC-2026-000123, LC-2026-000123-R1, ..."""
    return base if revision == 0 else f"{base}-R{revision}"

"""The verification log: one row per public check (time, certificate, channel, outcome).

Every channel (number, QR, PDF upload, shipment, API) logs through `log_check`, and nothing
personal is stored: no address, no IMEI, no file. The one exception is chosen by the person:
a check run by a signed-in exporter names them (`checked_by`), so they can see their own
history of checks (services/check_history.py). Where Redis is configured the checks go to
a `Sink` (services/verification_stream.py: a counter per day and a capped stream, flushed into
the table in batches by a job), so a lookup writes nothing to the database. Without Redis the
row is inserted without waiting for the commit to reach the disk.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Protocol

from sqlalchemy import text

from labcert.extensions import db
from labcert.models import VerificationLog, utcnow

# (at, certificate number, channel, outcome, user id, market): one check on its way to the table.
Row = tuple[datetime, str | None, str, str, int | None, str | None]


class Sink(Protocol):
    """Where checks go instead of the database (Redis)."""

    def add(self, number: str | None, channel: str, outcome: str, at: datetime,
            user_id: int | None = None, market: str | None = None) -> None:
        """Count and record one check (raise if it cannot)."""

    def take_returned(self) -> list[Row]:
        """Hand back checks it took but could not keep, for the database."""


_sink: ContextVar[Sink | None] = ContextVar("verification_sink", default=None)
_checker: ContextVar[int | None] = ContextVar("verification_checker", default=None)


def use_sink(sink: Sink | None) -> None:
    """Send this context's checks to `sink` (None: straight to the database)."""
    _sink.set(sink)


def checked_by(user_id: int | None) -> None:
    """Name the user whose checks this context runs (None: an anonymous, public check)."""
    _checker.set(user_id)


def log_check(number: str | None, channel: str, outcome: str, market: str | None = None) -> None:
    """Record one verification: to the sink if one is in use, else to the table."""
    at = utcnow()
    sink, user_id = _sink.get(), _checker.get()
    rows: list[Row] = [(at, number, channel, outcome, user_id, market)]
    if sink is not None:
        try:
            sink.add(number, channel, outcome, at, user_id, market)
            return
        except Exception:  # Redis away: this lookup and those handed back, the slow way
            rows += sink.take_returned()
    db.session.add_all([VerificationLog(at=when, certificate_number=which, channel=how,
                                        outcome=what, user_id=who, market=where)
                        for when, which, how, what, who, where in rows])
    if db.session.get_bind().dialect.name == "postgresql":
        # A lost log row on a crash is acceptable; making every lookup wait for a disk flush
        # is not. The row still commits in order with everything else.
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    db.session.commit()

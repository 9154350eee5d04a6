"""The verification log: one row per public check (time, certificate, channel, outcome).

Every channel (number, QR, PDF upload, shipment, API) logs through `log_check`, and nothing
personal is stored: no address, no IMEI, no file. Where Redis is configured the checks go to
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


class Sink(Protocol):
    """Where checks go instead of the database (Redis)."""

    def add(self, number: str | None, channel: str, outcome: str, at: datetime) -> None:
        """Count and record one check (raise if it cannot)."""

    def take_returned(self) -> list[tuple[datetime, str | None, str, str]]:
        """Hand back checks it took but could not keep, for the database."""


_sink: ContextVar[Sink | None] = ContextVar("verification_sink", default=None)


def use_sink(sink: Sink | None) -> None:
    """Send this context's checks to `sink` (None: straight to the database)."""
    _sink.set(sink)


def log_check(number: str | None, channel: str, outcome: str) -> None:
    """Record one verification: to the sink if one is in use, else to the table."""
    at = utcnow()
    sink = _sink.get()
    rows = [(at, number, channel, outcome)]
    if sink is not None:
        try:
            sink.add(number, channel, outcome, at)
            return
        except Exception:  # Redis away: this lookup and those handed back, the slow way
            rows += sink.take_returned()
    db.session.add_all([VerificationLog(at=when, certificate_number=which, channel=how,
                                        outcome=what) for when, which, how, what in rows])
    if db.session.get_bind().dialect.name == "postgresql":
        # A lost log row on a crash is acceptable; making every lookup wait for a disk flush
        # is not. The row still commits in order with everything else.
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    db.session.commit()

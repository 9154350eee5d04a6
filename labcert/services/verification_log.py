"""The verification log: one row per public check (time, certificate, channel, outcome).

Every channel (number, QR, PDF upload, shipment, API) logs through `log_check`, and nothing
personal is stored: no address, no IMEI, no file. Where Redis is configured the check is
counted (a counter per day) and appended to a capped stream in one round trip, and a job
flushes the stream into the table in batches, so a lookup writes nothing to the database.
Without Redis the row is inserted without waiting for the commit to reach the disk.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert, select, text

from labcert.extensions import db
from labcert.models import VerificationLog, utcnow

log = logging.getLogger("labcert.verification")
COUNTER_DAYS = 90  # the per-day counters live this long in Redis


class Sink(Protocol):
    """Where checks go instead of the database (Redis)."""

    def add(self, number: str | None, channel: str, outcome: str, at: datetime) -> None:
        """Count and record one check."""


_sink: ContextVar[Sink | None] = ContextVar("verification_sink", default=None)


def use_sink(sink: Sink | None) -> None:
    """Send this context's checks to `sink` (None: straight to the database)."""
    _sink.set(sink)


def log_check(number: str | None, channel: str, outcome: str) -> None:
    """Record one verification: to the sink if one is in use, else to the table."""
    at = utcnow()
    sink = _sink.get()
    if sink is not None:
        try:
            sink.add(number, channel, outcome, at)
            return
        except Exception:  # Redis away: the check is still logged, the slow way
            log.warning("verification sink failed; logging to the database", exc_info=True)
    db.session.add(VerificationLog(at=at, certificate_number=number, channel=channel,
                                   outcome=outcome))
    if db.session.get_bind().dialect.name == "postgresql":
        # A lost log row on a crash is acceptable; making every lookup wait for a disk flush
        # is not. The row still commits in order with everything else.
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    db.session.commit()


class RedisSink:
    """Counts checks per day and appends them to a capped stream in one round trip."""

    def __init__(self, client: Any, prefix: str, maxlen: int) -> None:
        self.client, self.maxlen = client, maxlen
        self.stream = f"{prefix}verify:log"
        self.counter = f"{prefix}verify:count:"

    def add(self, number: str | None, channel: str, outcome: str, at: datetime) -> None:
        """Count and append one check."""
        day = self.counter + at.date().isoformat()
        pipe = self.client.pipeline(transaction=False)
        pipe.incr(day)
        pipe.xadd(self.stream, {"at": at.isoformat(), "number": number or "",
                                "channel": channel, "outcome": outcome},
                  maxlen=self.maxlen, approximate=True)
        if pipe.execute()[0] == 1:  # the day's first check: the counter expires in time
            self.client.expire(day, COUNTER_DAYS * 86400)

    def count(self, day: str) -> int:
        """Return the number of checks counted on a day (YYYY-MM-DD)."""
        return int(self.client.get(self.counter + day) or 0)

    def backlog(self) -> int:
        """Return how many checks wait in the stream."""
        return int(self.client.xlen(self.stream))

    def flush(self, batch: int = 1000, max_batches: int = 100) -> int:
        """Move waiting checks into the table; a repeated flush adds nothing twice."""
        moved = 0
        for _ in range(max_batches):
            entries = self.client.xrange(self.stream, "-", "+", count=batch)
            if not entries:
                break
            ids = [entry_id for entry_id, _ in entries]
            known = set(db.session.scalars(select(VerificationLog.source_id).where(
                VerificationLog.source_id.in_(ids))))
            rows = [{"at": datetime.fromisoformat(f["at"]),
                     "certificate_number": f["number"] or None, "channel": f["channel"],
                     "outcome": f["outcome"], "source_id": entry_id}
                    for entry_id, f in entries if entry_id not in known]
            if rows:
                db.session.execute(insert(VerificationLog), rows)
            db.session.commit()
            self.client.xdel(self.stream, *ids)
            moved += len(rows)
        return moved

"""Public lookups counted and logged in Redis, and moved into the verification log in batches.

A process gathers its lookups for up to a second (or `batch` of them) and sends them in one
round trip: the day's counter goes up and each lookup joins a capped stream. A job moves the
stream into the `verification_log` table; each row keeps the id of the stream entry it came
from, so a flush cut short and repeated adds nothing twice. A process that dies loses at most
the lookups of its last second, as the database path does without a synchronous commit.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
import weakref
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from labcert.extensions import db
from labcert.models import VerificationLog
from labcert.services.verification_log import Row

log = logging.getLogger("labcert.verification")
COUNTER_DAYS = 90  # the per-day counters live this long in Redis
MAX_HELD = 100_000  # lookups handed back while Redis is away; older ones are dropped
DOWN_SECONDS = 5.0  # after a failed push, lookups go straight to the database this long


class SinkDown(Exception):
    """Redis did not answer lately: log this lookup the slow way."""


class RedisSink:
    """Counts lookups per day and appends them to a capped stream, a batch at a time."""

    def __init__(self, client: Any, prefix: str, maxlen: int, batch: int = 20,
                 seconds: float = 1.0) -> None:
        self.client, self.maxlen, self.batch, self.seconds = client, maxlen, batch, seconds
        self.stream = f"{prefix}verify:log"
        self.counter = f"{prefix}verify:count:"
        self._held: list[Row] = []
        self._returned: list[Row] = []
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._pusher_pid: int | None = None

    def add(self, number: str | None, channel: str, outcome: str, at: datetime,
            user_id: int | None = None, market: str | None = None) -> None:
        """Count and record one lookup (sent with the next batch); SinkDown if Redis is away."""
        if time.monotonic() < self._down_until:
            raise SinkDown("Redis did not answer a moment ago")
        with self._lock:
            self._held.append((at, number, channel, outcome, user_id, market))
            full = len(self._held) >= self.batch
        if full:
            try:
                self.push()
            except Exception:  # handed back: the next lookup writes them to the database
                return
        elif self._pusher_pid != os.getpid():  # after a fork the timer thread is gone
            self._start_pusher()

    def push(self) -> int:
        """Send the held lookups to Redis in one round trip; return how many."""
        with self._lock:
            held, self._held = self._held, []
        if not held:
            return 0
        try:
            pipe = self.client.pipeline(transaction=False)
            days: dict[str, int] = {}
            for at, number, channel, outcome, user_id, market in held:
                day = self.counter + at.date().isoformat()
                days[day] = days.get(day, 0) + 1
                pipe.xadd(self.stream, {"at": at.isoformat(), "number": number or "",
                                        "channel": channel, "outcome": outcome,
                                        "user": "" if user_id is None else str(user_id),
                                        "market": market or ""},
                          maxlen=self.maxlen, approximate=True)
            for day, count in days.items():
                pipe.incrby(day, count)
                pipe.expire(day, COUNTER_DAYS * 86400)
            pipe.execute()
        except Exception:
            with self._lock:  # the next lookup's request writes them to the database
                first = self._down_until == 0.0 or time.monotonic() >= self._down_until
                self._returned = (self._returned + held)[-MAX_HELD:]
                self._down_until = time.monotonic() + DOWN_SECONDS
            if first:
                log.warning("Redis did not take %d verification lookups; they go to the "
                            "database", len(held), exc_info=True)
            raise
        return len(held)

    def take_returned(self) -> list[Row]:
        """Hand back the lookups a failed push could not send (for the database)."""
        with self._lock:
            returned, self._returned = self._returned, []
        return returned

    def _start_pusher(self) -> None:
        self._pusher_pid = os.getpid()
        me = weakref.ref(self)  # the thread ends once the sink (its app) is gone
        threading.Thread(target=_push_every, args=(me, self.seconds), daemon=True,
                         name="verification-push").start()
        atexit.register(_push_quietly, me)

    def count(self, day: str) -> int:
        """Return the number of lookups counted on a day (YYYY-MM-DD)."""
        return int(self.client.get(self.counter + day) or 0)

    def backlog(self) -> int:
        """Return how many lookups wait in the stream."""
        return int(self.client.xlen(self.stream))

    def flush(self, batch: int = 1000, max_batches: int = 100) -> int:
        """Move waiting lookups into the table; a repeated flush adds nothing twice."""
        self.push()  # this process's own held lookups first
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
                     "outcome": f["outcome"], "source_id": entry_id,
                     # entries written before checks named their exporter have neither field
                     "user_id": int(f["user"]) if f.get("user") else None,
                     "market": f.get("market") or None}
                    for entry_id, f in entries if entry_id not in known]
            if rows:
                db.session.execute(insert(VerificationLog), rows)
            db.session.commit()
            self.client.xdel(self.stream, *ids)
            moved += len(rows)
        return moved


def _push_quietly(ref: weakref.ref[RedisSink]) -> bool:
    sink = ref()
    if sink is None:
        return False
    # A failure is logged by push, and its lookups handed back for the database.
    with contextlib.suppress(Exception):
        sink.push()
    return True


def _push_every(ref: weakref.ref[RedisSink], seconds: float) -> None:
    while True:
        time.sleep(seconds)
        if not _push_quietly(ref):
            return

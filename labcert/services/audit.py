"""The audit trail: append an event to the hash chain, and verify the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import AuditEvent, AuditHead, User, utcnow

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    """Serialise the fields the hash covers, in a fixed order."""
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    """Return the SHA-256 that chains `event` to its predecessor."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(actor: User | None, action: str, entity_type: str, entity_id: object,
           data: dict[str, Any] | None = None) -> AuditEvent:
    """Append an audit event in the current transaction (the caller's service commits)."""
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_seq=0, last_hash=GENESIS)
        db.session.add(head)
    event = AuditEvent(
        seq=head.last_seq + 1,
        at=utcnow(),
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else "system",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    head.last_seq, head.last_hash = event.seq, event.hash
    db.session.add(event)
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of recomputing the chain: how many events, and the first broken link."""

    events: int
    broken_at: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        """Tell whether the whole chain verified."""
        return self.broken_at is None


def _events() -> Iterator[AuditEvent]:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000)


def verify_chain() -> ChainReport:
    """Recompute every hash and link; name the first event that does not fit."""
    expected_prev, expected_seq, count = GENESIS, 1, 0
    for event in _events():
        if event.seq != expected_seq:
            return ChainReport(count, expected_seq, f"event {expected_seq} is missing "
                               f"(next stored event is {event.seq})")
        if event.prev_hash != expected_prev:
            return ChainReport(count, event.seq, f"event {event.seq} does not point to "
                               f"the hash of event {event.seq - 1}")
        if event_hash(event) != event.hash:
            return ChainReport(count, event.seq, f"event {event.seq} was altered: "
                               "its content no longer matches its hash")
        expected_prev, expected_seq, count = event.hash, expected_seq + 1, count + 1
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.last_seq != count or head.last_hash != expected_prev):
        return ChainReport(count, count + 1,
                           f"event {count + 1} is missing: the chain head records "
                           f"{head.last_seq} events but {count} are stored")
    return ChainReport(count, None, None)

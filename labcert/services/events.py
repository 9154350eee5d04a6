"""Record that something happened, in the outbox, inside the caller's transaction.

Beside `audit.record` (the trail of who did what), a service calls `happened` for the events
that background work reacts to: certificates issued or changing status, applications rejected.
The row commits or rolls back with the change itself, so no event is ever announced for a change
that did not happen, and none is lost when a process dies after the commit.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from labcert.extensions import db
from labcert.lifecycles import certificate as certificate_lifecycle
from labcert.models import OutboxEvent, User
from labcert.services import answer_cache

KINDS = frozenset({
    "application.rejected",
    "certificate.issued",
    "certificate.expired",  # recorded by the daily expiry job; `expired` itself is derived
    "certificate.archive_renewed",
    "signing_key.rotated",
    "signing_key.compromised",
    "criteria.impact_published",  # one per holder organisation (services.impact_notices)
    *(action.event for action in certificate_lifecycle.ACTIONS.values()),
})


def happened(kind: str, entity_type: str, entity_id: object, data: dict[str, Any] | None = None,
             actor: User | None = None) -> OutboxEvent:
    """Add an outbox event to the current transaction (the calling service commits)."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox event kind {kind!r}; add it to KINDS first")
    event = OutboxEvent(kind=kind, entity_type=entity_type, entity_id=str(entity_id),
                        data=json.loads(json.dumps(data or {}, default=str)),
                        actor_id=actor.id if actor else None)
    db.session.add(event)
    if entity_type == "certificate":
        answer_cache.forget(str(entity_id))  # its public answer changes with this event
    return event


def pending(limit: int = 100) -> list[OutboxEvent]:
    """Return the events not yet relayed, oldest first."""
    return list(db.session.scalars(select(OutboxEvent).where(OutboxEvent.relayed_at.is_(None))
                                   .order_by(OutboxEvent.id).limit(limit)))

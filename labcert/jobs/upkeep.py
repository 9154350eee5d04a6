"""Frequent upkeep: relay stragglers from the outbox, flush the verification log from Redis."""

from __future__ import annotations

from labcert.jobs import relay
from labcert.jobs.schedule import every
from labcert.jobs.verification_sink import flush
from labcert.services.settings import ServiceSettings


@every(60, "outbox.sweep")
def sweep_outbox(_settings: ServiceSettings) -> str:
    """Relay events and mail that a crash or a lost broker left behind."""
    return relay.sweep()


@every(10, "verification_log.flush")
def flush_verification_log(_settings: ServiceSettings) -> str:
    """Move the public lookups counted in Redis into the verification log."""
    return flush()

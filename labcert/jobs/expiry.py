"""Daily: record the expiry of certificates past valid_until (the outbox tells the people)."""

from __future__ import annotations

from labcert.jobs.schedule import daily
from labcert.services import expiry
from labcert.services.settings import ServiceSettings


@daily("certificates.expiry")
def record_expiries(settings: ServiceSettings) -> str:
    """Record each newly expired certificate once."""
    numbers = [n for n in (expiry.record_expiry(i, settings) for i in expiry.due(settings)) if n]
    return f"{len(numbers)} expiries recorded" + (f": {', '.join(numbers)}" if numbers else "")

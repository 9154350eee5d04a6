"""Credential timestamps: XML Schema dateTime in UTC, to the second, with a ``Z``."""

from __future__ import annotations

import datetime as dt
from typing import Any


def timestamp(moment: dt.datetime) -> str:
    """Return an aware datetime as an XML Schema dateTime in UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def end_of_day(day: dt.date) -> str:
    """Return the last second of day in UTC: a certificate is valid through its last day."""
    return f"{day.isoformat()}T23:59:59Z"


def parse_timestamp(value: Any) -> dt.datetime | None:
    """Return the aware datetime a credential's dateTime states, or None if it is unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

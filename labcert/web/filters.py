"""Template filters every page uses: timestamps, exact decimals and market names for people."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from labcert.i18n import local_market_name, moment
from labcert.rules.names import market_name
from labcert.rules.numbers import fmt


def when(value: datetime | date | None) -> str:
    """Format a timestamp (stored in UTC) or a date for people, in the page's language."""
    return moment(value)


def local_name(key: str | None) -> str:
    """Name a market for people, its country in the page's language."""
    return local_market_name(market_name(key))


def num(value: Decimal | None) -> str:
    """Format an exact decimal as written, never in exponent form."""
    return "" if value is None else fmt(value)


def without(values: dict[str, str], *keys: str) -> dict[str, str]:
    """Return a copy of a query's filters without `keys` (for links that set them anew)."""
    return {k: v for k, v in values.items() if k not in keys}


def init_app(app: Flask) -> None:
    """Register the filters with the app's templates."""
    app.jinja_env.filters.update(when=when, num=num, market_name=local_name,
                                 without=without)

"""The lab blueprint: application, sample, result, CSV and instrument pages share it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Blueprint, request
from flask_wtf import FlaskForm

from labcert.rules.numbers import fmt

bp = Blueprint("lab", __name__, url_prefix="/lab")


def form_status(form: FlaskForm) -> int:
    """Return 422 for a posted form that carries errors, 200 otherwise."""
    has_errors = bool(form.errors) or bool(getattr(form, "form_errors", None))
    return 422 if request.method == "POST" and has_errors else 200


@bp.app_template_filter("when")
def when(value: datetime | date | None) -> str:
    """Format a timestamp (stored in UTC) or a date for people."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


@bp.app_template_filter("num")
def num(value: Decimal | None) -> str:
    """Format an exact decimal as written, never in exponent form."""
    return "" if value is None else fmt(value)


# The page modules attach their routes to `bp`; import them after it exists.
from labcert.web import (  # noqa: E402
    lab_applications,  # noqa: F401
    lab_csv,  # noqa: F401
    lab_instruments,  # noqa: F401
    lab_results,  # noqa: F401
)

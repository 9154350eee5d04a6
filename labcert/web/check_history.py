"""An exporter's own history of checks: /verify/history."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user

from labcert.services.check_history import checks_by
from labcert.web.guard import page

bp = Blueprint("check_history", __name__)
PER_PAGE = 50


@bp.route("/verify/history")
@page("exporter")
def index() -> str:
    """List the exporter's checks, the answer each gave, and each certificate's status now."""
    number = request.args.get("page", "1")
    current = int(number) if number.isdigit() and 0 < len(number) < 7 else 1
    checks, total = checks_by(current_user.id, date.today(), current, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("verify/history.html", checks=checks, total=total, page=current,
                           pages=pages)

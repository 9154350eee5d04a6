"""The signing key's health: which key signs now, its certificate, and what needs attention."""

from __future__ import annotations

from flask import current_app, render_template

from labcert.services.signing_key import EXPIRY_WARNING_DAYS, key_health
from labcert.web.admin import bp
from labcert.web.guard import page


@bp.route("/signing-key")
@page("admin", "reviewer")
def signing_key() -> str:
    """Show the key that signs certificates now and how long it stays valid."""
    return render_template("admin/signing_key.html", health=key_health(current_app),
                           warning_days=EXPIRY_WARNING_DAYS)

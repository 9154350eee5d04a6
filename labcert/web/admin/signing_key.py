"""The signing key's health: which key signs now, its certificate, and what needs attention."""

from __future__ import annotations

from flask import current_app, render_template

from labcert.services.signing_key import EXPIRY_WARNING_DAYS, key_health
from labcert.signing import signing_settings
from labcert.web.admin.blueprint import bp
from labcert.web.guard import page


@bp.route("/signing-key")
@page("admin", "reviewer")
def signing_key() -> str:
    """Show the key that signs certificates now and how long it stays valid."""
    health = key_health(signing_settings(current_app))
    return render_template("admin/signing_key.html", health=health,
                           warning_days=EXPIRY_WARNING_DAYS)

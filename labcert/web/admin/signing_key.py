"""The signing key's health: which key signs now, the level, the TSA, the key history."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, render_template

from labcert.public_url import public_url_warnings
from labcert.services.signing_key import EXPIRY_WARNING_DAYS, key_health
from labcert.signing import signer_source
from labcert.web.admin.blueprint import bp
from labcert.web.guard import page


@bp.route("/signing-key")
@page("admin", "reviewer")
def signing_key() -> str:
    """Show the key that signs certificates now, how they are time-stamped, and past keys."""
    health = key_health(signer_source(current_app), datetime.now(UTC))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    health["warnings"] = [*public_url_warnings(app), *health["warnings"]]
    return render_template("admin/signing_key.html", health=health,
                           warning_days=EXPIRY_WARNING_DAYS)

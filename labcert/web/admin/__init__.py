"""Administration pages: accounts, organisations, API tokens, signing key, audit trail.

One blueprint, one module of views per subject; importing them registers their routes.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from labcert.web.admin import (  # noqa: E402  (the views need `bp`)
    audit,
    organizations,
    signing_key,
    tokens,
    users,
)

__all__ = ["audit", "bp", "organizations", "signing_key", "tokens", "users"]

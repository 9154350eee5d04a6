"""Administration pages: accounts, organisations, API tokens, signing key, audit trail.

One blueprint, one module of views per subject; importing them registers their routes.
"""

from __future__ import annotations

from labcert.web.admin import audit, organizations, signing_key, tokens, users
from labcert.web.admin.blueprint import bp

__all__ = ["audit", "bp", "organizations", "signing_key", "tokens", "users"]

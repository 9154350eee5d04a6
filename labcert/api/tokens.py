"""POST /api/v1/tokens: exchange e-mail and password for a bearer token."""

from __future__ import annotations

from typing import Any

from flask import current_app

from labcert.access import check_password_current, public
from labcert.api.blueprint import Blueprint
from labcert.api.schemas import TokenRequestSchema, TokenSchema
from labcert.errors import Unauthenticated
from labcert.extensions import limiter
from labcert.services import accounts, tokens

bp = Blueprint("api_tokens", __name__, url_prefix="/api/v1/tokens",
               description="API tokens")


def _limit() -> str:
    return current_app.config["TOKEN_RATE_LIMIT"]


@bp.route("", methods=["POST"])
@limiter.limit(_limit)
@bp.arguments(TokenRequestSchema)
@bp.response(201, TokenSchema)
@public
def create_token(body: dict[str, Any]) -> dict[str, Any]:
    """Create a token for the user with these credentials (rate limited)."""
    user = accounts.sign_in(body["email"], body["password"], "api")
    if user is None:
        raise Unauthenticated("E-mail or password is not right, or the account is inactive.")
    check_password_current(user)
    plain, token = tokens.issue_token(user, user, days=current_app.config["TOKEN_LIFETIME_DAYS"],
                                      name=body.get("name", ""))
    return {"token": plain, "expires_at": token.expires_at}

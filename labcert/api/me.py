"""GET /api/v1/me: who the token belongs to."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from labcert.access import ANY_USER
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint

bp = Blueprint("api_me", __name__, url_prefix="/api/v1/me", description="The token's user")


class MeSchema(Schema):
    """The authenticated user."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    organization = fields.String(allow_none=True)


@bp.route("", methods=["GET"])
@api_user(*ANY_USER)
@bp.response(200, MeSchema)
def me() -> dict[str, Any]:
    """Return the user the bearer token belongs to."""
    user = current_api_user()
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "organization": user.organization.name if user.organization else None}

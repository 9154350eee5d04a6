"""GET /api/v1/organizations: the parties the lab knows (staff only)."""

from __future__ import annotations

from typing import Any

from labcert.access import STAFF
from labcert.api.auth import api_user
from labcert.api.blueprint import Blueprint
from labcert.api.lab_schemas import OrganizationRefSchema
from labcert.services.organizations import organizations_of_kind

bp = Blueprint("api_organizations", __name__, url_prefix="/api/v1/organizations",
               description="Organizations")


@bp.route("", methods=["GET"])
@api_user(*STAFF)
@bp.response(200, OrganizationRefSchema(many=True))
def index() -> list[Any]:
    """List organizations by name."""
    return organizations_of_kind()

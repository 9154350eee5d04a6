"""The test plan of an application (JSON and CSV template) and the test catalogue."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import INCLUDE, Schema, fields

from labcert.access import public
from labcert.api.applications import VIEWERS
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.services import plans as service
from labcert.services.applications import get_application

bp = Blueprint("api_plans", __name__, url_prefix="/api/v1",
               description="Test plans and the test catalogue")


class PlanItemSchema(Schema):
    """One plan row: a test under conditions, the criteria it serves, and its status."""

    class Meta:
        unknown = INCLUDE

    test = fields.String()
    conditions = fields.Dict(keys=fields.String(), values=fields.String())
    criteria = fields.List(fields.String(), metadata={"example": ["eu-red:sar.head.10g"]})
    unit = fields.String(allow_none=True)
    uncertainty_required = fields.Boolean()
    max_uncertainty = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "missing | entered"})
    result_id = fields.Integer(allow_none=True)


class PlanSchema(Schema):
    """An application's plan."""

    items = fields.List(fields.Dict())
    complete = fields.Boolean()


class TestSchema(Schema):
    """A catalogue test code."""

    __test__ = False

    class Meta:
        unknown = INCLUDE

    code = fields.String()
    title = fields.String()
    kind = fields.String()
    unit = fields.String(allow_none=True)
    conditions = fields.List(fields.Dict())


@bp.route("/applications/<int:application_id>/plan", methods=["GET"])
@api_user(*VIEWERS)
@bp.response(200, PlanSchema)
def plan(application_id: int) -> dict[str, Any]:
    """Return the plan: every (test, conditions) row the markets need, merged across markets."""
    application = get_application(current_api_user(), application_id)
    return service.plan_of(application).to_dict()


@bp.route("/applications/<int:application_id>/plan.csv", methods=["GET"])
@api_user(*VIEWERS)
@bp.response(200, {"type": "string"}, content_type="text/csv")
def plan_csv(application_id: int) -> Response:
    """Return the plan as a CSV template: test and cond.* filled, value columns empty."""
    application = get_application(current_api_user(), application_id)
    body = service.plan_csv(service.plan_of(application))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{application.number}-plan.csv"'})


@bp.route("/tests", methods=["GET"])
@public
@bp.response(200, TestSchema(many=True))
def tests() -> list[dict[str, Any]]:
    """Return the test catalogue: code, title, kind, unit, conditions (type, allowed values)."""
    return service.catalogue()

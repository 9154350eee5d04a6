"""Evaluation and review: the verdicts, approve, reject."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, fields

from labcert.access import STAFF
from labcert.api import present
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.api.criteria import EvaluationSchema
from labcert.api.lab_schemas import DecisionSchema, RejectSchema
from labcert.runtime import service_settings
from labcert.services import review
from labcert.services.applications import get_application
from labcert.services.evaluations import shown_evaluations

bp = Blueprint("api_review", __name__, url_prefix="/api/v1/applications",
               description="Evaluation and review")


class MarketEvaluationSchema(EvaluationSchema):
    """One market's evaluation (the rule engine's output) with the market id."""

    market = fields.String()


class ApprovalSchema(Schema):
    """Certificates issued and markets not issued, with reasons."""

    application_id = fields.Integer()
    state = fields.String()
    certificates = fields.List(fields.Dict())
    not_issued = fields.List(fields.Dict())


class ApplicationStateSchema(Schema):
    """An application's state after a decision."""

    id = fields.Integer()
    number = fields.String()
    state = fields.String()
    version = fields.Integer()


@bp.route("/<int:application_id>/evaluation", methods=["GET"])
@api_user(*STAFF, "manufacturer")
@bp.response(200, MarketEvaluationSchema(many=True))
def evaluation(application_id: int) -> list[dict[str, Any]]:
    """Show each market's evaluation: as approved once approved, else evaluated now."""
    return shown_evaluations(get_application(current_api_user(), application_id))


@bp.route("/<int:application_id>/approve", methods=["POST"])
@api_user("reviewer")
@bp.arguments(DecisionSchema)
@bp.response(201, ApprovalSchema)
def approve(body: dict[str, Any], application_id: int) -> tuple[dict[str, Any], int]:
    """Approve and issue a certificate for every passing market (four-eyes applies)."""
    approval = review.approve(current_api_user(), application_id, settings=service_settings(),
                              expected_version=body.get("version"))
    return {"application_id": approval.application.id, "state": approval.application.state,
            "certificates": [present.certificate(c, date.today()) for c in approval.certificates],
            "not_issued": approval.not_issued}, 201


@bp.route("/<int:application_id>/reject", methods=["POST"])
@api_user("reviewer")
@bp.arguments(RejectSchema)
@bp.response(200, ApplicationStateSchema)
def reject(body: dict[str, Any], application_id: int) -> Any:
    """Send a submitted application back to testing with reasons."""
    return review.reject(current_api_user(), application_id, body["reasons"],
                         expected_version=body.get("version"))

"""Criteria sets (public) and the stateless evaluation (any signed-in user)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, fields

from labcert.access import ANY_USER, public
from labcert.api.auth import api_user
from labcert.api.blueprint import Blueprint
from labcert.services import criteria as service

bp = Blueprint("api_criteria", __name__, url_prefix="/api/v1",
               description="Criteria and evaluation")


class CriteriaSetSummarySchema(Schema):
    """A criteria set version in a list."""

    id = fields.String()
    version = fields.String()
    market = fields.String()
    title = fields.String()
    effective_from = fields.String()
    status = fields.String()
    supersedes = fields.String(allow_none=True)
    validity_months = fields.Integer()
    certificates = fields.Integer()
    unconfirmed = fields.Integer()


class EvaluateSchema(Schema):
    """A stateless evaluation request."""

    criteria_set = fields.String(required=True, metadata={"example": "eu-red"})
    product = fields.Dict(required=True)
    results = fields.List(fields.Dict(), required=True)


@bp.route("/criteria-sets", methods=["GET"])
@public
@bp.response(200, CriteriaSetSummarySchema(many=True))
def index() -> list[dict[str, Any]]:
    """List every criteria set version with its status today."""
    return service.catalogue_of_sets(date.today())


@bp.route("/criteria-sets/<ref>", methods=["GET"])
@public
@bp.response(200, fields.Dict())
def show(ref: str) -> dict[str, Any]:
    """Return one set ('eu-red' for the version in force, or 'eu-red@2025.08') with all criteria."""
    criteria_set = service.find_set(ref, date.today())
    return criteria_set.to_dict()


@bp.route("/evaluate", methods=["POST"])
@api_user(*ANY_USER)
@bp.arguments(EvaluateSchema)
@bp.response(200, fields.Dict())
def evaluate(body: dict[str, Any]) -> dict[str, Any]:
    """Evaluate product facts and results against a criteria set; nothing is stored."""
    return service.evaluate_request(body, date.today())

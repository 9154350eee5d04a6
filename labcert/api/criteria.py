"""Criteria sets (public) and the stateless evaluation (any signed-in user)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import INCLUDE, Schema, fields, validate

from labcert.access import ANY_USER, STAFF, public
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.errors import Conflict
from labcert.jobs import dispatch
from labcert.runtime import service_settings
from labcert.services import criteria as service
from labcert.services import impact, impact_notices, impact_runs

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


class CriterionSchema(Schema):
    """One criterion: what is measured, the limit, the rule, where the figure comes from."""

    class Meta:
        unknown = INCLUDE

    id = fields.String()
    title = fields.String()
    test = fields.String()
    limit = fields.Dict()
    limit_text = fields.String()
    unit = fields.String(allow_none=True)
    rule = fields.Raw()
    conditions = fields.Raw()
    applies_if = fields.Raw()
    required = fields.Boolean()
    standard = fields.String(allow_none=True)
    source = fields.Raw()
    confirmed = fields.Boolean()
    effective_from = fields.String(allow_none=True)
    kind = fields.String()
    note = fields.String(allow_none=True)
    reported_per = fields.String(allow_none=True)


class CriteriaSetSchema(Schema):
    """A criteria set version with all its criteria."""

    class Meta:
        unknown = INCLUDE

    id = fields.String()
    version = fields.String()
    ref = fields.String()
    market = fields.String()
    title = fields.String()
    effective_from = fields.String()
    supersedes = fields.String(allow_none=True)
    validity_months = fields.Integer()
    accept_conditional_pass = fields.Boolean()
    decision_rule_text = fields.String()
    decision_rule = fields.Raw()
    regime = fields.List(fields.String())
    status = fields.String()
    validity_note = fields.String(allow_none=True)
    criteria = fields.List(fields.Nested(CriterionSchema))


class GoverningSchema(Schema):
    """The result that decided an outcome."""

    class Meta:
        unknown = INCLUDE

    value = fields.Raw(allow_none=True)
    unit = fields.String(allow_none=True)
    uncertainty = fields.Raw(allow_none=True)
    observation = fields.String(allow_none=True)
    conditions = fields.Raw()
    k = fields.Raw(allow_none=True)
    sample_imei = fields.String(allow_none=True)
    ref = fields.String(allow_none=True)


class OutcomeSchema(Schema):
    """One criterion's verdict with its reason."""

    class Meta:
        unknown = INCLUDE

    criterion = fields.String()
    test = fields.String()
    verdict = fields.String()
    rule = fields.Raw()
    limit = fields.Dict()
    unit = fields.String(allow_none=True)
    governing = fields.Nested(GoverningSchema, allow_none=True)
    reason = fields.String()
    title = fields.String()
    limit_text = fields.String()
    standard = fields.String(allow_none=True)
    confirmed = fields.Boolean()
    required = fields.Boolean()
    results_judged = fields.Integer()
    reported_per = fields.String()
    results = fields.List(fields.Dict())  # one row per reported value (e.g. a peak list)


class EvaluationSchema(Schema):
    """An evaluation: the verdict per criterion and overall, what is missing."""

    class Meta:
        unknown = INCLUDE

    criteria_set = fields.String()
    verdict = fields.String()
    outcomes = fields.List(fields.Nested(OutcomeSchema))
    missing = fields.List(fields.String())
    not_applicable = fields.List(fields.String())
    engine_version = fields.String()
    evaluated_on = fields.String()
    verdict_reason = fields.String()
    missing_criteria = fields.List(fields.Raw())
    not_in_force = fields.List(fields.String())
    accept_conditional_pass = fields.Boolean()


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
@bp.response(200, CriteriaSetSchema)
def show(ref: str) -> dict[str, Any]:
    """Return one set ('eu-red' for the version in force, or 'eu-red@2025.08') with all criteria."""
    criteria_set = service.find_set(ref, date.today())
    return criteria_set.to_dict()


@bp.route("/evaluate", methods=["POST"])
@api_user(*ANY_USER)
@bp.arguments(EvaluateSchema)
@bp.response(200, EvaluationSchema)
def evaluate(body: dict[str, Any]) -> dict[str, Any]:
    """Evaluate product facts and results against a criteria set; nothing is stored."""
    return service.evaluate_request(body, date.today())


class ImpactRunSchema(Schema):
    """What an impact analysis is doing or did."""

    id = fields.Integer()
    criteria_set = fields.String()
    state = fields.String(metadata={"description": "queued, running, done or failed"})
    done = fields.Integer()
    total = fields.Integer()
    created_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    published_at = fields.String(allow_none=True)
    error = fields.String(allow_none=True)


class ImpactSchema(Schema):
    """Which in-force certificates a criteria set version touches, and why."""

    class Meta:
        unknown = INCLUDE

    run = fields.Nested(ImpactRunSchema)
    criteria_set = fields.String()
    market = fields.String()
    status = fields.String()
    effective_from = fields.String()
    evaluated_on = fields.String()
    as_of = fields.String()
    engine_version = fields.String()
    changes = fields.Dict()
    total = fields.Integer()
    counts = fields.Dict(metadata={"description": "unaffected, needs_tests, would_fail, "
                                                  "not_applicable_now"})
    certificates = fields.List(fields.Dict())


class ImpactQuerySchema(Schema):
    """Filter the certificates of an impact report by class."""

    impact = fields.String(load_default=None, validate=validate.OneOf(impact.CLASSES))


@bp.route("/criteria-sets/<ref>/impact", methods=["GET"])
@api_user(*STAFF)
@bp.arguments(ImpactQuerySchema, location="query")
@bp.response(200, ImpactSchema)
def impact_report(query: dict[str, Any], ref: str) -> dict[str, Any]:
    """Return the latest finished impact analysis of 'id@version' (analysed now if none ran)."""
    run = impact_runs.latest(ref, done=True)
    if run is None:
        pending = impact_runs.latest(ref)
        if impact_runs.is_active(pending):
            raise Conflict(f"The first analysis of {ref} is {pending.state} ({pending.done} of "
                           f"{pending.total} certificates); ask again shortly.",
                           {"state": [pending.state]})
        run = _analyse_now(ref)
    report = impact_runs.report_of(run)
    report["certificates"] = impact.filtered(report, query.get("impact"))
    return report


def _analyse_now(ref: str) -> Any:
    today = service_settings().today()
    run = impact_runs.request_run(current_api_user(), ref, today)
    return impact_runs.execute(run.id, today)


@bp.route("/criteria-sets/<ref>/impact", methods=["POST"])
@api_user(*STAFF)
@bp.response(202, ImpactRunSchema)
def impact_start(ref: str) -> dict[str, Any]:
    """Queue a new impact analysis of 'id@version' in the background; poll the GET for it."""
    run = impact_runs.request_run(current_api_user(), ref, service_settings().today())
    dispatch.submit("labcert.impact_analysis", run.id)
    return impact_runs.run_info(impact_runs.get_run(run.id))


class PublishedSchema(Schema):
    """What a publication told."""

    run = fields.Integer()
    criteria_set = fields.String()
    organisations = fields.Integer()
    certificates = fields.Integer()


@bp.route("/criteria-sets/<ref>/impact/publish", methods=["POST"])
@api_user(*impact_notices.PUBLISHERS)
@bp.response(200, PublishedSchema)
def impact_publish(ref: str) -> dict[str, Any]:
    """Tell the holders of the certificates the latest analysis found affected."""
    criteria_set = impact.find_version(ref, service_settings().today())
    run = impact_runs.latest(criteria_set.ref, done=True)
    if run is None:
        raise Conflict(f"No finished impact analysis of {criteria_set.ref}; run it first.",
                       {"state": ["missing"]})
    return impact_notices.publish(current_api_user(), run.id)

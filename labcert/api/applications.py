"""Applications: create, list, show, submit, cancel."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields, validate

from labcert.access import STAFF
from labcert.api import present
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.api.lab_schemas import (
    ApplicationCreateSchema,
    ApplicationListItemSchema,
    ApplicationSchema,
    CancelSchema,
    MarketsSchema,
)
from labcert.api.list_schemas import ApplicationQuerySchema, page_schema
from labcert.lifecycles import application as lifecycle
from labcert.services import applications as service
from labcert.services.evaluations import shown_evaluations
from labcert.services.flags import flags_by_result, result_flags
from labcert.services.results import results_of
from labcert.services.review import reviews_of
from labcert.services.search import ApplicationSearch, search_applications

bp = Blueprint("api_applications", __name__, url_prefix="/api/v1/applications",
               description="Applications for certification")
APPLICANTS = ("technician", "manufacturer")
VIEWERS = (*STAFF, "manufacturer")
ApplicationPageSchema = page_schema("ApplicationPage", ApplicationListItemSchema)


def detail(application: Any) -> dict[str, Any]:
    """Return an application with samples, results and the current evaluation summary."""
    samples = list(application.samples)
    imeis = {s.id: s.imei for s in samples}
    summary = [{"market": e["market"], "criteria_set": e["criteria_set"],
                "verdict": e["verdict"], "missing": e["missing"]}
               for e in shown_evaluations(application)]
    rejected = [r for r in reviews_of(application) if r.decision == "rejected"]
    flagged = flags_by_result(result_flags(application))
    return {**present.application_item(application), "version": application.version,
            "submitted_at": application.submitted_at, "decided_at": application.decided_at,
            "samples": [present.sample(s) for s in samples],
            "results": [{**present.result(r, imeis),
                         "warnings": [f.to_dict() for f in flagged.get(r.id, ())]}
                        for r in results_of(application)],
            "evaluation": summary,
            "rejection_reasons": rejected[0].reasons if rejected else [],
            "follow_up": application.follow_up}


@bp.route("", methods=["POST"])
@api_user(*APPLICANTS)
@bp.arguments(ApplicationCreateSchema)
@bp.response(201, ApplicationSchema)
def create(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Open a draft application (a manufacturer applies for itself)."""
    application = service.create_application(
        current_api_user(), product=body["product"], markets=body["markets"],
        manufacturer_id=body.get("manufacturer_id"))
    location = url_for("api_applications.show", application_id=application.id)
    return detail(application), 201, {"Location": location}


@bp.route("", methods=["GET"])
@api_user(*VIEWERS)
@bp.arguments(ApplicationQuerySchema, location="query")
@bp.response(200, ApplicationPageSchema)
def index(query: dict[str, Any]) -> dict[str, Any]:
    """Search the applications you may see: `q` matches number, brand, model, manufacturer,
    TAC and IMEI; filter with `state` and `market`; newest first, a page at a time."""
    wanted = ApplicationSearch(q=query["q"], state=query["state"], market=query["market"])
    found = search_applications(current_api_user(), wanted, query["page"], query["per_page"])
    return present.page(found, present.application_item)


@bp.route("/<int:application_id>", methods=["GET"])
@api_user(*VIEWERS)
@bp.response(200, ApplicationSchema)
def show(application_id: int) -> dict[str, Any]:
    """Show one application with samples, results and its evaluation summary."""
    return detail(service.get_application(current_api_user(), application_id))


@bp.route("/<int:application_id>/markets", methods=["POST"])
@api_user(*APPLICANTS)
@bp.arguments(MarketsSchema)
@bp.response(200, ApplicationSchema)
def change_markets(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Change the target markets of a draft or testing application; the plan follows."""
    return detail(service.change_markets(current_api_user(), application_id, body["markets"]))


class SubmitSchema(Schema):
    """After a rejection: the reasons dealt with, by their index in `rejection_reasons`."""

    acknowledged = fields.List(fields.Integer(validate=validate.Range(min=0, max=1000)),
                               load_default=list)


@bp.route("/<int:application_id>/submit", methods=["POST"])
@api_user("technician")
@bp.arguments(SubmitSchema)
@bp.response(200, ApplicationSchema)
def submit(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Send a tested application to review (testing → submitted); after a rejection every
    reason must be acknowledged: `{"acknowledged": [0, 1, …]}` (422 names the others)."""
    return detail(service.submit_application(current_api_user(), application_id,
                                             acknowledged=body["acknowledged"]))


@bp.route("/<int:application_id>/cancel", methods=["POST"])
@api_user(*lifecycle.CANCELLERS)
@bp.arguments(CancelSchema)
@bp.response(200, ApplicationSchema)
def cancel(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Cancel an application that is not final, with a reason."""
    return detail(service.cancel_application(current_api_user(), application_id, body["reason"]))


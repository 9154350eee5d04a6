"""Certificates: list, detail, the signed PDF, and the lifecycle actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from marshmallow import Schema, fields

from labcert.access import STAFF
from labcert.api import applications as applications_api
from labcert.api import present
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.api.lab_schemas import ApplicationSchema
from labcert.api.list_schemas import CertificateQuerySchema, page_schema
from labcert.runtime import service_settings
from labcert.services import certificates as service
from labcert.services import follow_up
from labcert.services.search import CertificateSearch, search_certificates

bp = Blueprint("api_certificates", __name__, url_prefix="/api/v1/certificates",
               description="Certificates and their lifecycle")
VIEWERS = (*STAFF, "manufacturer")


class EventSchema(Schema):
    """A status change."""

    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = fields.String()
    at = fields.DateTime()
    actor = fields.String(allow_none=True)


class CertificateSchema(Schema):
    """A certificate in the registry."""

    number = fields.String()
    revision = fields.Integer()
    market = fields.String()
    criteria_set = fields.String()
    application_id = fields.Integer()
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    issued_at = fields.DateTime()
    valid_until = fields.Date()
    pdf_sha256 = fields.String()
    holder = fields.String(allow_none=True)
    product = fields.Dict()
    supersedes = fields.String(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    events = fields.List(fields.Nested(EventSchema))


class ReasonSchema(Schema):
    """The reason for a status change (required)."""

    reason = fields.String(required=True)


class AmendSchema(Schema):
    """An amendment: reason and the facts that change."""

    reason = fields.String(required=True)
    changes = fields.Dict(required=True)


CertificatePageSchema = page_schema("CertificatePage", CertificateSchema)


@bp.route("", methods=["GET"])
@api_user(*VIEWERS)
@bp.arguments(CertificateQuerySchema, location="query")
@bp.response(200, CertificatePageSchema)
def index(query: dict[str, Any]) -> dict[str, Any]:
    """Search the certificates you may see: `q` matches number, holder, brand, model and the
    application number; filter with `status`, `market`, `issued_from`/`issued_to`."""
    today = date.today()
    wanted = CertificateSearch(q=query["q"], status=query["status"], market=query["market"],
                               issued_from=query["issued_from"], issued_to=query["issued_to"])
    found = search_certificates(current_api_user(), wanted, today, query["page"],
                                query["per_page"])
    return present.page(found, lambda c: present.certificate(c, today))


@bp.route("/<number>", methods=["GET"])
@api_user(*VIEWERS)
@bp.response(200, CertificateSchema)
def show(number: str) -> dict[str, Any]:
    """Show a certificate with its status history."""
    cert = service.get_certificate(current_api_user(), number)
    return present.certificate(cert, date.today(), events=True)


@bp.route("/<number>/pdf", methods=["GET"])
@api_user(*VIEWERS)
@bp.response(200, description="The signed PDF, exactly the registered bytes",
             content_type="application/pdf")
def pdf(number: str) -> Response:
    """Download the signed PDF exactly as registered."""
    cert = service.get_certificate(current_api_user(), number)
    return Response(cert.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{cert.number}.pdf"',
        "X-Content-SHA256": cert.pdf_sha256})


def _change(number: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
    cert = service.change_status(current_api_user(), number, action, body.get("reason"),
                                 settings=service_settings())
    return present.certificate(cert, date.today(), events=True)


@bp.route("/<number>/suspend", methods=["POST"])
@api_user("reviewer")
@bp.arguments(ReasonSchema)
@bp.response(200, CertificateSchema)
def suspend(body: dict[str, Any], number: str) -> dict[str, Any]:
    """Suspend a valid certificate (reason required)."""
    return _change(number, "suspend", body)


@bp.route("/<number>/reinstate", methods=["POST"])
@api_user("reviewer")
@bp.arguments(ReasonSchema)
@bp.response(200, CertificateSchema)
def reinstate(body: dict[str, Any], number: str) -> dict[str, Any]:
    """Reinstate a suspended certificate (reason required)."""
    return _change(number, "reinstate", body)


@bp.route("/<number>/withdraw", methods=["POST"])
@api_user("reviewer")
@bp.arguments(ReasonSchema)
@bp.response(200, CertificateSchema)
def withdraw(body: dict[str, Any], number: str) -> dict[str, Any]:
    """Withdraw a certificate for good (reason required)."""
    return _change(number, "withdraw", body)


@bp.route("/<number>/amend", methods=["POST"])
@api_user("reviewer")
@bp.arguments(AmendSchema)
@bp.response(201, CertificateSchema)
def amend(body: dict[str, Any], number: str) -> tuple[dict[str, Any], int]:
    """Issue a new revision with the changes; this one becomes superseded."""
    new = service.amend(current_api_user(), number, body["reason"], body["changes"],
                        settings=service_settings())
    return present.certificate(new, date.today(), events=True), 201


class FollowUpSchema(Schema):
    """Which criteria set version the certificate is re-tested for."""

    criteria_set = fields.String(required=True, metadata={"example": "eu-red@2027.01"})


@bp.route("/<number>/follow-up", methods=["POST"])
@api_user(*follow_up.OPENERS)
@bp.arguments(FollowUpSchema)
@bp.response(201, ApplicationSchema)
def open_follow_up(body: dict[str, Any], number: str) -> tuple[dict[str, Any], int]:
    """Open a follow-up application pre-filled with the rows a criteria version needs."""
    application = follow_up.open_follow_up(current_api_user(), number, body["criteria_set"],
                                           service_settings().today())
    return applications_api.detail(application), 201

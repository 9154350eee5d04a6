"""Public verification: by number, by PDF upload, and a shipment's IMEI list (rate limited)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, fields

from labcert.access import public
from labcert.api.blueprint import Blueprint
from labcert.api.content_types import accepts
from labcert.errors import ValidationFailed
from labcert.extensions import limiter
from labcert.http_cache import public_json
from labcert.i18n import current_language, translate
from labcert.languages import DEFAULT
from labcert.runtime import service_settings
from labcert.services.shipment import check_shipment
from labcert.services.verification import status_by_number, verify_upload
from labcert.uploads import read_pdf_upload

bp = Blueprint("api_verify", __name__, url_prefix="/api/v1/verify",
               description="Public verification (no token)")


def _limit() -> str:
    return current_app.config["PUBLIC_RATE_LIMIT"]


class StatusSchema(Schema):
    """The public status of a certificate."""

    number = fields.String()
    revision = fields.Integer()
    status = fields.String()
    status_message = fields.String()
    status_reason = fields.String(allow_none=True)
    status_changed_at = fields.DateTime(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    market = fields.String()
    market_name = fields.String(metadata={
        "description": "the market as people name it, e.g. 'Pakistan — PTA type approval'"})
    criteria_set = fields.String()
    holder = fields.String(allow_none=True)
    product = fields.Dict()
    issued_at = fields.DateTime()
    valid_until = fields.Date()
    pdf_sha256 = fields.String()
    notices = fields.List(fields.Dict(), metadata={
        "description": "published criteria revisions affecting the certificate (its status is "
                       "unchanged): criteria_set, effective_from, impact, text"})


class CheckSchema(Schema):
    """One verification check."""

    name = fields.String()
    ok = fields.Boolean()
    message = fields.String()


class PdfVerdictSchema(Schema):
    """The answer to an uploaded PDF."""

    verdict = fields.String()
    number = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    checks = fields.List(fields.Nested(CheckSchema))
    sha256 = fields.String()
    is_pdf = fields.Boolean()
    signature_level = fields.String(allow_none=True, metadata={
        "description": "PAdES level the file reached: B-B, B-T, B-LT or B-LTA"})
    validated_at = fields.DateTime(allow_none=True, metadata={
        "description": "the time the signature was validated at (proven by a time-stamp)"})
    validated_by = fields.String(allow_none=True, metadata={
        "description": "the time-stamp that proves that time; null: checked against today"})
    signer_fingerprint = fields.String(allow_none=True, metadata={
        "description": "SHA-256 of the signing certificate, as listed in keys.json"})


class ShipmentSchema(Schema):
    """A shipment's IMEIs and the market."""

    market = fields.String(required=True)
    imeis = fields.List(fields.Raw(), required=True)


class ShipmentAnswerSchema(Schema):
    """Coverage of each IMEI."""

    market = fields.String()
    market_name = fields.String(metadata={
        "description": "the market as people name it, e.g. 'Pakistan — PTA type approval'"})
    total = fields.Integer()
    covered = fields.Integer()
    not_covered = fields.Integer()
    items = fields.List(fields.Dict())


@bp.route("/<certno:number>", methods=["GET"])
@limiter.limit(_limit)
@public
@bp.response(200, StatusSchema)
def by_number(number: str) -> Response:
    """Return the registered status of a certificate (cacheable for a minute, with an ETag)."""
    answer = status_by_number(number, date.today(), channel="api")
    if current_language() != DEFAULT:  # codes stay English; the sentence follows Accept-Language
        answer = {**answer, "status_message": translate(answer["status_message"])}
    body, etag = _serialised(answer)
    return public_json(body, etag, answer["number"])


# A cached answer is the same object each time: serialise and hash it once (the hot path).
_BODIES: dict[int, tuple[dict[str, Any], bytes, str]] = {}


def _serialised(answer: dict[str, Any]) -> tuple[bytes, str]:
    kept = _BODIES.get(id(answer))
    if kept is None or kept[0] is not answer:
        if len(_BODIES) >= 1000:
            _BODIES.clear()
        body = current_app.json.dumps(StatusSchema().dump(answer)).encode()
        kept = (answer, body, hashlib.sha256(body).hexdigest()[:32])
        _BODIES[id(answer)] = kept
    return kept[1], kept[2]


@bp.route("/pdf", methods=["POST"])
@limiter.limit(_limit)
@public
@accepts("multipart/form-data")
@bp.doc(requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
    "required": ["file"]}}}})
@bp.response(200, PdfVerdictSchema)
def pdf() -> dict[str, Any]:
    """Check an uploaded certificate PDF: integrity, issuer and status, each answered apart."""
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed.of([("file", "Upload the certificate PDF in a field named 'file'.")])
    return verify_upload(read_pdf_upload(upload), date.today(), service_settings(),
                         channel="api_pdf")


@bp.route("/shipment", methods=["POST"])
@limiter.limit(_limit)
@public
@bp.arguments(ShipmentSchema)
@bp.response(200, ShipmentAnswerSchema)
def shipment(body: dict[str, Any]) -> dict[str, Any]:
    """Check up to 10 000 IMEIs against a market."""
    return check_shipment(body["market"], body["imeis"], date.today(), channel="api_shipment")

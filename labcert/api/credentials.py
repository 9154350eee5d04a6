"""Certificates as credentials: the vc+jwt, its status lists and its check (public, no token)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, fields

from labcert.access import public
from labcert.api.blueprint import Blueprint
from labcert.api.content_types import accepts
from labcert.api.verify import CheckSchema
from labcert.credentials import MEDIA_TYPE, read_unverified
from labcert.errors import ValidationFailed
from labcert.extensions import limiter
from labcert.runtime import service_settings
from labcert.services.credentials import check_credential, registered_credential
from labcert.services.status_lists import status_list_credential
from labcert.uploads import read_text_upload

bp = Blueprint("api_credentials", __name__, url_prefix="/api/v1",
               description="Certificates as UNTP Digital Conformity Credentials (no token)")


def _limit() -> str:
    return current_app.config["PUBLIC_RATE_LIMIT"]


class CredentialVerdictSchema(Schema):
    """The answer to a checked credential."""

    verdict = fields.String()
    in_force = fields.Boolean()
    number = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    checks = fields.List(fields.Nested(CheckSchema))
    credential = fields.Dict(allow_none=True)


@bp.route("/certificates/<certno:number>/credential", methods=["GET"])
@limiter.limit(_limit)
@public
@bp.response(200, description="The certificate's credential, exactly the registered bytes",
             content_type=MEDIA_TYPE)
def credential(number: str) -> Response:
    """Return the certificate as a UNTP Digital Conformity Credential (W3C VC 2.0, vc+jwt)."""
    token = registered_credential(number)
    return Response(token, mimetype=MEDIA_TYPE, headers={
        "Content-Disposition": f'inline; filename="{number.strip()}.jwt"'})


@bp.route("/certificates/<certno:number>/credential.json", methods=["GET"])
@limiter.limit(_limit)
@public
@bp.response(200, description="The credential's JSON (what the signature covers; unsigned)",
             content_type="application/json")
def credential_json(number: str) -> Response:
    """Return the decoded credential JSON, to read; check the vc+jwt form, which is signed."""
    payload = read_unverified(registered_credential(number))[1]
    return Response(json.dumps(payload, ensure_ascii=False, indent=2),
                    mimetype="application/json")


@bp.route("/status-lists/<identifier>", methods=["GET"])
@limiter.limit(_limit)
@public
@bp.response(200, description="A Bitstring Status List credential (vc+jwt)",
             content_type=MEDIA_TYPE)
def status_list(identifier: str) -> Response:
    """Return a status list (suspension-N or revocation-N), signed again on every change."""
    token, etag = status_list_credential(identifier[:40])
    answer = Response(token, mimetype=MEDIA_TYPE, headers={"Cache-Control": "no-cache"})
    answer.set_etag(etag)
    return answer.make_conditional(request)


def _submitted() -> str:
    """Read the credential from a JSON body, a vc+jwt body or an uploaded file."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed.of([("file", "Upload the credential in a field named "
                                                "'file'.")])
        return read_text_upload(upload, "a credential")
    if request.mimetype == MEDIA_TYPE:
        return read_text_upload(request.stream, "a credential", field="body")
    body = request.get_json(silent=True)
    text = body.get("credential") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed.of([("credential", "Send the credential as "
                                                  "{\"credential\": \"<vc+jwt text>\"}.")])
    return text


@bp.route("/verify/credential", methods=["POST"])
@limiter.limit(_limit)
@public
@accepts("application/json", MEDIA_TYPE, "multipart/form-data")
@bp.doc(requestBody={"content": {
    "application/json": {"schema": {"type": "object", "required": ["credential"],
                                    "properties": {"credential": {"type": "string"}}}},
    MEDIA_TYPE: {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string",
                                                               "format": "binary"}}}}}})
@bp.response(200, CredentialVerdictSchema)
def verify_credential() -> dict[str, Any]:
    """Check a credential: signature, issuer key, status bits, validity and registry record."""
    return check_credential(_submitted(), service_settings(), channel="api_credential")

"""Watch lists: the certificates a signed-in user wants to hear about."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from marshmallow import Schema, fields

from labcert.access import ANY_USER
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.services import watches

bp = Blueprint("api_watches", __name__, url_prefix="/api/v1/watches",
               description="Certificates you watch (mailed when their status changes)")


class WatchRequestSchema(Schema):
    """The certificate to watch."""

    number = fields.String(required=True, metadata={"description": "certificate number"})


class WatchSchema(Schema):
    """A watched certificate and its status today."""

    number = fields.String()
    status = fields.String()
    market = fields.String()
    holder = fields.String()
    product = fields.String()
    valid_until = fields.Date()
    superseded_by = fields.String(allow_none=True)
    watched_at = fields.DateTime()


def _item(number: str) -> dict[str, Any]:
    return next(asdict(w) for w in watches.watch_list(current_api_user(), date.today())
                if w.number == number)


@bp.route("", methods=["POST"])
@api_user(*ANY_USER)
@bp.arguments(WatchRequestSchema)
@bp.response(201, WatchSchema)
@bp.alt_response(200, schema=WatchSchema, description="Already watched")
def add(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Watch a certificate by number (201; 200 if you watch it already)."""
    certificate, added = watches.watch(current_api_user(), body["number"])
    return _item(certificate.number), 201 if added else 200


@bp.route("", methods=["GET"])
@api_user(*ANY_USER)
@bp.response(200, WatchSchema(many=True))
def index() -> list[dict[str, Any]]:
    """List the certificates you watch, with their current statuses."""
    return [asdict(w) for w in watches.watch_list(current_api_user(), date.today())]


@bp.route("/<watched>", methods=["DELETE"])
@api_user(*ANY_USER)
@bp.response(204)
def remove(watched: str) -> None:
    """Stop watching a certificate (204 also if you were not watching it; 404: no such number)."""
    watches.unwatch(current_api_user(), watched)

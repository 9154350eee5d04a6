"""What technicians send: samples, results (JSON and CSV) and instruments."""

from __future__ import annotations

from typing import Any

from flask import request

from labcert.api import present
from labcert.api.auth import api_user, current_api_user
from labcert.api.blueprint import Blueprint
from labcert.api.content_types import accepts
from labcert.api.lab_schemas import (
    AcceptedSchema,
    InstrumentSchema,
    ResultsInSchema,
    SampleSchema,
)
from labcert.errors import ValidationFailed
from labcert.services.applications import get_application
from labcert.services.csv_import import import_results
from labcert.services.flags import warnings_for
from labcert.services.instruments import create_instrument
from labcert.services.results import add_results
from labcert.services.samples import add_sample
from labcert.uploads import check_size, read_limited

bp = Blueprint("api_lab_inputs", __name__, url_prefix="/api/v1",
               description="Samples, results, instruments")
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "multipart/form-data")


@bp.route("/applications/<int:application_id>/samples", methods=["POST"])
@api_user("technician")
@bp.arguments(SampleSchema)
@bp.response(201, SampleSchema)
def create_sample(body: dict[str, Any], application_id: int) -> tuple[dict[str, Any], int]:
    """Register a received sample; its IMEI must pass the Luhn check and be new to the lab."""
    sample = add_sample(current_api_user(), application_id, imei=body["imei"],
                        received_at=body["received_at"], serial=body.get("serial", ""),
                        condition=body.get("condition", ""))
    return present.sample(sample), 201


@bp.route("/applications/<int:application_id>/results", methods=["POST"])
@api_user("technician")
@bp.arguments(ResultsInSchema)
@bp.response(201, AcceptedSchema)
def create_results(body: dict[str, Any], application_id: int) -> tuple[dict[str, Any], int]:
    """Store a batch of results: all-or-nothing, every invalid item reported."""
    ids = add_results(current_api_user(), application_id, body["results"], source="api")
    return _accepted(application_id, ids), 201


def _accepted(application_id: int, ids: list[int]) -> dict[str, Any]:
    """Say how many results were stored and what a reviewer will see flagged about them."""
    application = get_application(current_api_user(), application_id)
    return {"accepted": len(ids), "ids": ids, "warnings": warnings_for(application, ids)}


def _csv_bytes() -> bytes:
    """Return the uploaded CSV: a multipart field `file`, or the raw body."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed.of([("file", "Send the CSV in a multipart field named 'file'.")])
        return read_limited(upload)
    return check_size(request.get_data(cache=False))


@bp.route("/applications/<int:application_id>/results.csv", methods=["POST"])
@api_user("technician")
@accepts(*CSV_TYPES)
@bp.doc(requestBody={"content": {"text/csv": {"schema": {"type": "string"}},
                                 "multipart/form-data": {"schema": {
                                     "type": "object",
                                     "properties": {"file": {"type": "string",
                                                             "format": "binary"}}}}}})
@bp.response(201, AcceptedSchema)
def create_results_csv(application_id: int) -> tuple[dict[str, Any], int]:
    """Import results from CSV (header: the result field names, cond.<name> for conditions)."""
    ids = import_results(current_api_user(), application_id, _csv_bytes())
    return _accepted(application_id, ids), 201


@bp.route("/instruments", methods=["POST"])
@api_user("technician", "admin")
@bp.arguments(InstrumentSchema)
@bp.response(201, InstrumentSchema)
def create_instrument_endpoint(body: dict[str, Any]) -> tuple[Any, int]:
    """Register an instrument with its calibration dates."""
    return create_instrument(current_api_user(), **body), 201

"""What technicians send: samples, results (JSON and CSV) and instruments."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import ValidationError

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
from labcert.services.samples import MAX_BATCH, SampleIn, add_sample, add_samples
from labcert.uploads import check_size, read_limited

bp = Blueprint("api_lab_inputs", __name__, url_prefix="/api/v1",
               description="Samples, results, instruments")
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "multipart/form-data")


SAMPLE_LIST_DOC = {"content": {"application/json": {"schema": {"oneOf": [
    {"$ref": "#/components/schemas/Sample"},
    {"type": "array", "items": {"$ref": "#/components/schemas/Sample"}, "maxItems": MAX_BATCH},
]}}}}


def _load_samples(body: Any) -> list[SampleIn]:
    """Read one sample object or a list of them; name each field that cannot be read."""
    many = isinstance(body, list)
    try:
        loaded = SampleSchema(many=many).load(body)
    except ValidationError as error:
        messages = error.normalized_messages()
        problems: list[tuple[str, str]] = []
        for key, value in messages.items():
            if many and isinstance(value, dict):
                problems += [(f"samples[{key}].{field}", "; ".join(map(str, texts)))
                             for field, texts in value.items()]
            else:
                problems.append((str(key), "; ".join(map(str, value))
                                 if isinstance(value, list) else str(value)))
        raise ValidationFailed.of(problems) from error
    rows = loaded if many else [loaded]
    return [SampleIn(imei=row["imei"], received_at=row["received_at"], serial=row["serial"],
                     condition=row["condition"], where=f"samples[{n}]" if many else "")
            for n, row in enumerate(rows)]


@bp.route("/applications/<int:application_id>/samples", methods=["POST"])
@api_user("technician")
@bp.doc(requestBody=SAMPLE_LIST_DOC)
@bp.response(201, description="One sample object, or for a list "
                              '{"accepted": n, "samples": [...]}')
def create_sample(application_id: int) -> tuple[dict[str, Any], int]:
    """Register received samples: one object, or a list registered all-or-nothing with every
    item's problem named (`samples[3].imei`). Each IMEI must pass Luhn and be new to the lab."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict | list):
        raise ValidationFailed.of([("json", "Send a sample object or a list of them as JSON.")])
    items = _load_samples(body)
    if isinstance(body, dict):
        item = items[0]
        sample = add_sample(current_api_user(), application_id, imei=item.imei,
                            received_at=item.received_at, serial=item.serial,
                            condition=item.condition)
        return SampleSchema().dump(present.sample(sample)), 201
    samples = add_samples(current_api_user(), application_id, items)
    return {"accepted": len(samples),
            "samples": SampleSchema(many=True).dump([present.sample(s) for s in samples])}, 201


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

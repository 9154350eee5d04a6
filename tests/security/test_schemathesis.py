"""The JSON API fuzzed from its own OpenAPI document (schemathesis, in process, no network).

The document is fetched from /api/v1/openapi.json of the app; each operation gets generated
requests (valid and invalid), sent to the WSGI app as a user its view admits, with a bearer
token. No answer may be a 5xx or break the document, NUL characters and huge ids included.
The four mismatches this suite first found (the documented error shape, 415 before 405, the
Allow header of two paths, ids too large for the database) are fixed and keep their own tests
below. Business rules the document cannot state (a brand must not be empty) get the 422 each
operation documents, so schema-valid data may be refused.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    positive_data_acceptance,
)

from labcert import create_app
from tests.security.conftest import bearer
from tests.security.routes import api_route
from tests.security.world import World

DOCUMENT = create_app({"SECRET_KEY": "spec", "DATABASE_URL": "sqlite://"}).test_client() \
    .get("/api/v1/openapi.json").get_json()
# The shape every API error has (labcert/http_errors.py respond; design/API.md).
ERROR_SHAPE = {
    "type": "object", "required": ["error", "message", "details"],
    "additionalProperties": False,
    "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                   "details": {"type": "object", "additionalProperties": {
                       "type": "array", "items": {"type": "string"}}}}}
# The same examples on every run (no flaky CI); LABCERT_FUZZ_EXAMPLES=500 explores anew.
EXPLORING = "LABCERT_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("LABCERT_FUZZ_EXAMPLES", "25"))
DATABASE_INTEGER = 2**31 - 1


def _with_the_real_error_shape(document: dict[str, Any]) -> dict[str, Any]:
    fixed = copy.deepcopy(document)
    fixed["components"]["schemas"]["Error"] = ERROR_SHAPE
    return fixed


schema = schemathesis.openapi.from_dict(_with_the_real_error_shape(DOCUMENT))
# NUL characters are generated too: they must get a clear 400 on both databases.
schema.config.generation.update(allow_x00=True)


@schemathesis.serializer("application/vc+jwt")
def vc_jwt_text(ctx: Any, value: Any) -> bytes:
    """Send a generated credential body as the text it is (a compact JWS, not JSON)."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else \
        str(value).encode("utf-8")


@schema.hook
def filter_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> bool:
    """Keep ids the database can hold (larger ones: test_an_id_too_large_for_the_database...)."""
    return all(not isinstance(value, int) or abs(value) <= DATABASE_INTEGER
               for value in (path_parameters or {}).values())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not EXPLORING,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])  # the world is fixed
def test_no_generated_request_gets_a_5xx_or_an_answer_the_document_does_not_describe(
        case: Any, world_app: Flask, world: World) -> None:
    who = api_route(case.operation.method, case.operation.path).caller()
    response = case.call(app=world_app, headers=bearer(world, who) if who else {})
    case.validate_response(response, excluded_checks=[
        positive_data_acceptance])  # business rules: the documented 422


def test_the_documented_error_shape_is_the_one_the_api_sends() -> None:
    documented = DOCUMENT["components"]["schemas"]["Error"]
    assert set(documented["properties"]) == set(ERROR_SHAPE["properties"])


def test_an_undeclared_method_with_a_body_is_a_405(app: Flask) -> None:
    response = app.test_client().put("/api/v1/verify/pdf", data=b"x", content_type="text/csv")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_the_allow_header_names_only_the_documented_methods(app: Flask) -> None:
    for path, documented in (("/api/v1/verify/shipment", {"POST"}),
                             ("/api/v1/verify/pdf", {"POST"})):
        allowed = set(app.test_client().options(path).headers["Allow"].split(", "))
        assert allowed - {"HEAD", "OPTIONS"} == documented


def test_an_id_too_large_for_the_database_is_a_404(app: Flask, world: World) -> None:
    response = app.test_client().get(f"/api/v1/applications/{10**20}",
                                     headers=bearer(world, "technician"))
    assert response.status_code == 404

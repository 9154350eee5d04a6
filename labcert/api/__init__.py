"""The JSON API v1: flask-smorest blueprints on the same services as the pages."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from labcert.api.content_types import check_content_type
from labcert.api.schemas import ErrorSchema
from labcert.extensions import csrf


class LabCertApi(Api):
    """flask-smorest's Api documenting LabCert's one error shape."""

    ERROR_SCHEMA = ErrorSchema


api = LabCertApi()
def init_app(app: Flask) -> None:
    """Register the API blueprints; they authenticate by bearer token, so CSRF does not apply."""
    from labcert.api import (
        applications,
        certificates,
        credentials,
        criteria,
        lab_inputs,
        me,
        organizations,
        plans,
        review,
        tokens,
        verify,
        watches,
    )

    app.config.setdefault("API_TITLE", "LabCert API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    })
    api.init_app(app)
    app.before_request(check_content_type)
    for module in (tokens, me, criteria, organizations, applications, lab_inputs, plans, review,
                   certificates, verify, credentials, watches):
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp)

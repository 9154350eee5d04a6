"""The JSON API v1: flask-smorest blueprints on the same services as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_smorest import Api
from werkzeug.exceptions import UnsupportedMediaType

from labcert.api.schemas import ErrorSchema
from labcert.extensions import csrf


class LabCertApi(Api):
    """flask-smorest's Api documenting LabCert's one error shape."""

    ERROR_SCHEMA = ErrorSchema


api = LabCertApi()
F = TypeVar("F", bound=Callable[..., Any])
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def accepts(*mimetypes: str) -> Callable[[F], F]:
    """Declare the content types an endpoint accepts (default: application/json)."""

    def mark(view: F) -> F:
        view.accepts = frozenset(mimetypes)  # type: ignore[attr-defined]
        return view

    return mark


def check_content_type() -> None:
    """Refuse a request body of a type the endpoint does not read (415, not a confusing 422)."""
    if not request.path.startswith("/api/") or request.method not in BODY_METHODS \
            or request.url_rule is None:  # no route for this method: routing answers 404/405
        return
    if not request.content_length and not request.mimetype:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    allowed = getattr(view, "accepts", frozenset({"application/json"}))
    if request.mimetype not in allowed:
        raise UnsupportedMediaType(f"Send {' or '.join(sorted(allowed))}, not "
                                   f"{request.mimetype or 'a body without a content type'}.")


def init_app(app: Flask) -> None:
    """Register the API blueprints; they authenticate by bearer token, so CSRF does not apply."""
    from labcert.api import (
        applications,
        certificates,
        criteria,
        lab_inputs,
        me,
        organizations,
        review,
        tokens,
        verify,
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
    for module in (tokens, me, criteria, organizations, applications, lab_inputs, review,
                   certificates, verify):
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp)

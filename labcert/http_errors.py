"""Error answers: one JSON shape under /api/, friendly HTML pages elsewhere, never a traceback."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from labcert.errors import DomainError
from labcert.extensions import db
from labcert.i18n import translate
from labcert.languages import N_
from labcert.pki import SigningKeyError
from labcert.services.audit_refusals import note_refusal, note_throttled_sign_in

log = logging.getLogger("labcert.errors")

MESSAGES = {
    400: N_("The request could not be read. Check that the body is well-formed."),
    401: N_("Sign in first: send 'Authorization: Bearer <token>' "
         "(get a token from POST /api/v1/tokens)."),
    403: N_("Your role does not allow this."),
    404: N_("Nothing here with that address or identifier."),
    405: N_("This address does not accept that method."),
    413: N_("The upload or request body is too large."),
    415: N_("Send the body with the content type this endpoint accepts."),
    429: N_("Too many requests. Wait a moment, then try again."),
    500: N_("Something went wrong on our side; nothing was saved. The error was logged."),
    503: N_("The database cannot be reached right now; nothing was saved. Try again shortly."),
}


def wants_json() -> bool:
    """Tell whether the request belongs to the JSON API."""
    return request.path.startswith("/api/")


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn nested validation messages into {"field.sub": [messages]}."""
    if isinstance(messages, dict):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten(value, name))
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "body": list(messages)}
    return {prefix or "body": [str(messages)]}


def respond(status: int, message: str, details: dict[str, list[str]] | None = None,
            headers: dict[str, str] | None = None) -> Response:
    """Answer an error as JSON on the API and as an HTML page elsewhere."""
    phrase = HTTPStatus(status).phrase
    message = translate(message) or message  # Accept-Language; codes and details stay English
    if wants_json():
        response = jsonify({"error": phrase, "message": message, "details": details or {}})
    else:
        response = Response(render_template("errors/error.html", status=status, title=phrase,
                                            message=message, details=details or {}),
                            mimetype="text/html")
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _signed_in_user() -> Any:
    """Return who made the refused request: the bearer token's user on the API, else the
    session's (None when anonymous)."""
    user = g.get("user")
    if user is None and wants_json():
        from labcert.api.auth import bearer_user

        user = bearer_user()
    if user is None and not wants_json():
        from flask_login import current_user

        user = current_user if current_user.is_authenticated else None
    return user


def _audit_refusal(error: DomainError) -> None:
    """Record a 403 or 409 the services did not record (a role refused at the door)."""
    if error.status not in (403, 409) or getattr(error, "audited", False):
        return
    try:
        note_refusal(_signed_in_user(), error, f"{request.method} {request.path}")
    except Exception:  # the refusal is answered even if the trail cannot be written now
        db.session.rollback()
        log.exception("could not record the refusal of %s %s", request.method, request.path)


def _audit_throttled_sign_in(error: HTTPException) -> None:
    """Record a sign-in refused by the rate limit (web form or API token request)."""
    channel = {"auth.login": "web", "api_tokens.create_token": "api"}.get(request.endpoint or "")
    if channel is None:
        return
    body = request.get_json(silent=True) if channel == "api" else None
    email = (body or {}).get("email") if isinstance(body, dict) else request.form.get("email")
    try:
        note_throttled_sign_in(str(email or ""), channel, str(error.description or ""))
    except Exception:
        db.session.rollback()
        log.exception("could not record a throttled sign-in")


def handle_domain_error(error: DomainError) -> Response:
    """Map a service refusal onto its status (a 403 or 409 is also recorded in the trail)."""
    _audit_refusal(error)
    return respond(error.status, error.message, error.details)


def handle_http_exception(error: HTTPException) -> Response:
    """Map a werkzeug / flask-smorest / Flask-Limiter error onto the one shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages", {})
    if isinstance(messages, dict) and set(messages) == {"json"}:
        messages = messages["json"]  # the body is the only location: name fields plainly
    details = flatten(messages) if messages else {}
    if status == 422 and details:
        message = "Some fields are not valid: " + "; ".join(
            f"{field}: {msgs[0]}" for field, msgs in details.items())
    elif status == 429:
        _audit_throttled_sign_in(error)
        message = f"Too many requests ({error.description}). Wait, then try again."
    elif status in (400, 415) and error.description and "browser" not in error.description:
        message = error.description
    else:
        message = MESSAGES.get(status, error.description or HTTPStatus(status).phrase)
    headers = {k: v for k, v in error.get_headers() if k in ("Allow", "Retry-After")}
    return respond(status, message, details, headers)


def handle_database_down(error: OperationalError) -> Response:
    """A lost database is a 503 with a clear message, not a traceback."""
    db.session.rollback()
    log.error("database unreachable: %s", error.orig)
    return respond(503, MESSAGES[503], headers={"Retry-After": "5"})


def handle_signing_key(error: Exception) -> Response:
    """An unusable signing key refuses issuance with 503 and says which file to fix."""
    db.session.rollback()
    log.error("signing key unusable: %s", error)
    return respond(503, f"Certificates cannot be signed right now; nothing was saved. {error}",
                   headers={"Retry-After": "60"})


def handle_unexpected(error: Exception) -> Response:
    """Log the traceback, roll back, and answer a plain 500."""
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return respond(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    """Register the handlers (after flask-smorest, so these win)."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(SigningKeyError, handle_signing_key)
    app.register_error_handler(Exception, handle_unexpected)

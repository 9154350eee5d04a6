"""Security headers on every response."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter, IntegerConverter, Map

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def add_headers(response: Response) -> Response:
    """Set a strict CSP without inline scripts, and the usual hardening headers."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def refuse_nul() -> None:
    """Refuse text with NUL characters before it reaches a query (PostgreSQL rejects them)."""
    texts = [request.path, *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += list(request.form.values())
    if any("\x00" in text for text in texts) or (
            request.is_json and b"\\u0000" in request.get_data(cache=True).lower()):
        raise BadRequest("Text cannot contain NUL (0x00) characters; remove them and send "
                         "again.")


class DatabaseIdConverter(IntegerConverter):
    """An <int:...> URL part that fits the database's integer; a larger one is simply a 404."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


class CertificateNumberConverter(BaseConverter):
    """A certificate number: letters, digits and hyphens with at least one digit."""

    regex = r"[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*"


def init_app(app: Flask) -> None:
    """Register the header hook, the NUL check and the URL converters."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters["certno"] = CertificateNumberConverter
    app.before_request(refuse_nul)
    app.after_request(add_headers)

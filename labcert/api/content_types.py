"""Content types: each endpoint declares what it reads; anything else is a 415."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request
from werkzeug.exceptions import UnsupportedMediaType

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

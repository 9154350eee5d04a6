"""Bearer-token authentication for the API; roles are decided by labcert.access."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g, request

from labcert.access import allow, check_password_current, check_role
from labcert.errors import Unauthenticated
from labcert.models import User
from labcert.services.tokens import user_for_token


def bearer_user() -> User | None:
    """Return the user of the request's bearer token (the session cookie is never used here)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(token.strip())


def api_user(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a valid bearer token whose user has one of `roles`; sets `g.user`."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = bearer_user()
            if user is None:
                has_header = "Authorization" in request.headers
                raise Unauthenticated(
                    "The token is unknown, expired or revoked; "
                    "get a new one from POST /api/v1/tokens."
                    if has_header else
                    "Send 'Authorization: Bearer <token>'; get a token from POST /api/v1/tokens.")
            check_password_current(user)
            check_role(user, roles)
            g.user = user
            return view(*args, **kwargs)

        return allow(*roles)(wrapper)

    return decorate


def current_api_user() -> User:
    """Return the user authenticated by `api_user`."""
    return g.user

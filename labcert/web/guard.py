"""Page guards: sign-in and role, decided by labcert.access."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask_login import current_user

from labcert.access import allow, check_role
from labcert.extensions import login_manager


def page(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a signed-in user with one of `roles` (anonymous: redirect to sign-in)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            check_role(current_user, roles)
            return view(*args, **kwargs)

        return allow(*roles)(wrapper)

    return decorate

"""Audit what did not happen: refused actions (403, 409) and failed or throttled sign-ins.

Each is its own chained event, committed on its own after the refused work was rolled back,
so the trail shows an assessor every refusal. Passwords are never recorded.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from labcert.errors import DomainError
from labcert.extensions import db
from labcert.models import User
from labcert.services.audit import record

# A service's parameter that names the object it acts on, and the object's type in the trail.
OBJECT_PARAMETERS = {
    "application_id": "application", "number": "certificate", "user_id": "user",
    "token_id": "api_token", "organization_id": "organization", "instrument_id": "instrument",
    "result_id": "result", "fingerprint": "signing_key",
}
SECRET_WORDS = ("password", "token", "secret", "pin")


def _commit_event(actor: User | None, action: str, entity_type: str, entity_id: object,
                  data: dict[str, Any]) -> None:
    db.session.rollback()  # whatever the refused work left behind is not kept
    record(actor, action, entity_type, entity_id, data)
    db.session.commit()


def note_refusal(actor: User | None, error: DomainError, operation: str,
                 entity_type: str = "request", entity_id: object = "",
                 details: Mapping[str, Any] | None = None) -> None:
    """Record a refused action (its status, what was asked and the reason given), once."""
    if getattr(error, "audited", False) or error.status not in (403, 409):
        return
    error.audited = True  # type: ignore[attr-defined]
    _commit_event(actor, "action.refused", entity_type, entity_id,
                  {"status": error.status, "operation": operation, "reason": error.message,
                   **(details or {})})


def note_service_refusal(func: Callable[..., Any], args: tuple[Any, ...],
                         kwargs: dict[str, Any], error: DomainError) -> None:
    """Record a refusal raised inside a service: the actor and object come from its arguments
    (`actor` or `user`, then the first of OBJECT_PARAMETERS)."""
    try:
        bound = inspect.signature(func).bind_partial(*args, **kwargs).arguments
    except TypeError:
        bound = {}
    actor = next((v for k, v in bound.items() if k in ("actor", "user")
                  and isinstance(v, User)), None)
    entity_type, entity_id = "request", ""
    for name, kind in OBJECT_PARAMETERS.items():
        if bound.get(name) not in (None, ""):
            entity_type, entity_id = kind, bound[name]
            break
    if entity_type == "request" and "application" in bound:
        entity_type, entity_id = "application", getattr(bound["application"], "id", "")
    note_refusal(actor, error, func.__name__, entity_type, entity_id)


def note_failed_sign_in(email: str, channel: str, reason: str,
                        user: User | None = None) -> None:
    """Record a failed sign-in: which address, through which door, why — never the password."""
    _commit_event(None, "user.login_failed", "user", user.id if user else "",
                  {"email": email.strip().lower()[:254], "channel": channel, "reason": reason})


def note_throttled_sign_in(email: str, channel: str, limit: str) -> None:
    """Record a sign-in refused by the rate limit (a sign of password guessing)."""
    _commit_event(None, "user.login_throttled", "user", "",
                  {"email": email.strip().lower()[:254], "channel": channel, "limit": limit})


def is_secret(name: str) -> bool:
    """Tell whether a field name may hold a secret (never copied into the trail)."""
    return any(word in name.lower() for word in SECRET_WORDS)

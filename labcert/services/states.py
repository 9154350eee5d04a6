"""Apply the application lifecycle to a stored application (the rules live in lifecycles)."""

from __future__ import annotations

from labcert.errors import Conflict, PermissionDenied
from labcert.lifecycles import application as lifecycle
from labcert.models import Application, User, utcnow


def move(application: Application, to: str) -> str:
    """Change the state if the machine allows it; a refusal is a 409 naming the current state."""
    current = application.state
    if not lifecycle.can_move(current, to):
        raise Conflict(f"Cannot {lifecycle.VERBS.get(to, to)} application {application.number}: "
                       f"it is {current}.", {"state": [current]})
    application.state = to
    if to == "submitted":
        application.submitted_at = utcnow()
    if to in ("approved", "cancelled"):
        application.decided_at = utcnow()
    return current


def require_editable(application: Application, what: str) -> None:
    """Refuse new samples or results once the application left draft/testing."""
    if application.state not in lifecycle.EDITABLE:
        raise Conflict(f"Cannot add {what} to application {application.number}: it is "
                       f"{application.state} (only draft or testing applications take {what}).",
                       {"state": [application.state]})


def require_cancellable(user: User, application: Application) -> None:
    """Refuse a cancellation the lifecycle does not give this user: 403 by role, 409 by state."""
    refusal = lifecycle.cancel_refusal(user.role, application.state)
    if refusal is None:
        return
    if user.role not in lifecycle.CANCELLERS:
        raise PermissionDenied(f"Cannot cancel application {application.number}: {refusal}.")
    raise Conflict(f"Cannot cancel application {application.number}: {refusal}.",
                   {"state": [application.state]})

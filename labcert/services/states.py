"""The application state machine: which transitions exist, checked in one place."""

from __future__ import annotations

from labcert.errors import Conflict
from labcert.models import Application, utcnow

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"testing", "cancelled"}),
    "testing": frozenset({"submitted", "cancelled"}),
    "submitted": frozenset({"approved", "testing", "cancelled"}),
    "approved": frozenset(),
    "cancelled": frozenset(),
}
EDITABLE = frozenset({"draft", "testing"})
VERBS = {"testing": "start testing", "submitted": "submit", "approved": "approve",
         "cancelled": "cancel"}


def move(application: Application, to: str) -> str:
    """Change the state if the machine allows it; a refusal is a 409 naming the current state."""
    current = application.state
    if to not in TRANSITIONS[current]:
        raise Conflict(f"Cannot {VERBS.get(to, to)} application {application.number}: "
                       f"it is {current}.", {"state": [current]})
    application.state = to
    if to == "submitted":
        application.submitted_at = utcnow()
    if to in ("approved", "cancelled"):
        application.decided_at = utcnow()
    return current


def require_editable(application: Application, what: str) -> None:
    """Refuse new samples or results once the application left draft/testing."""
    if application.state not in EDITABLE:
        raise Conflict(f"Cannot add {what} to application {application.number}: it is "
                       f"{application.state} (only draft or testing applications take {what}).",
                       {"state": [application.state]})

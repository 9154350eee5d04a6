"""The application lifecycle: states, transitions, who may take them, and their words."""

from __future__ import annotations

from collections.abc import Mapping

STATES = ("draft", "testing", "submitted", "approved", "cancelled")
TRANSITIONS: Mapping[str, frozenset[str]] = {
    "draft": frozenset({"testing", "cancelled"}),
    "testing": frozenset({"submitted", "cancelled"}),
    "submitted": frozenset({"approved", "testing", "cancelled"}),
    "approved": frozenset(),
    "cancelled": frozenset(),
}
EDITABLE = frozenset({"draft", "testing"})
FINAL = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
VERBS = {"testing": "start testing", "submitted": "submit", "approved": "approve",
         "cancelled": "cancel"}
# Who may cancel, and from which states (a manufacturer only its own draft; the lab any state
# that is not final). Pages offer the button and the service checks by this one table.
CANCELLERS: Mapping[str, frozenset[str]] = {
    "technician": frozenset(TRANSITIONS) - FINAL,
    "manufacturer": frozenset({"draft"}),
}


def check_constraint(column: str = "state") -> str:
    """Return the SQL CHECK expression that keeps the column to the known states."""
    return f"{column} IN ({', '.join(repr(s) for s in STATES)})"


def can_move(state: str, to: str) -> bool:
    """Tell whether the lifecycle allows going from `state` to `to`."""
    return to in TRANSITIONS[state]


def cancel_refusal(role: str, state: str) -> str | None:
    """Say why a user of `role` may not cancel an application in `state`, or None if they may."""
    if not can_move(state, "cancelled"):
        return f"it is {state}"
    if role not in CANCELLERS:
        return "only technicians, and manufacturers for their own drafts, cancel applications"
    if state not in CANCELLERS[role]:
        return f"it is {state}; manufacturers cancel only drafts, so ask the lab"
    return None

"""The certificate lifecycle: statuses, the actions that change them, and their words.

Adding a status is one edit here (STORED or DERIVED, WORDS, RANK and the actions that lead to
it) plus one migration for the CHECK constraint the model builds from STORED.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from labcert.languages import N_

STORED = ("valid", "suspended", "withdrawn", "superseded")
DERIVED = ("expired",)  # computed from valid_until, never stored
STATUSES = STORED + DERIVED
IN_FORCE = "valid"
FINAL = frozenset({"withdrawn", "superseded"})
# Statuses that turn into `expired` once valid_until has passed.
EXPIRING = frozenset({"valid", "suspended"})


@dataclass(frozen=True)
class Action:
    """A lifecycle action: the statuses it starts from, the status it leads to, its event."""

    name: str
    label: str
    starts: frozenset[str]
    to: str
    event: str  # the outbox event that announces it to background work
    on_expired: bool = True  # may it be taken once the certificate has expired?


ACTIONS: Mapping[str, Action] = {
    "suspend": Action("suspend", N_("Suspend"), frozenset({"valid"}), "suspended",
                      "certificate.suspended"),
    "reinstate": Action("reinstate", N_("Reinstate"), frozenset({"suspended"}), "valid",
                        "certificate.reinstated"),
    "withdraw": Action("withdraw", N_("Withdraw"), frozenset({"valid", "suspended"}), "withdrawn",
                       "certificate.withdrawn"),
    "amend": Action("amend", N_("Amend"), frozenset({"valid"}), "superseded",
                    "certificate.superseded", on_expired=False),
}
STATUS_ACTIONS = ("suspend", "reinstate", "withdraw")  # the ones that only change the status


@dataclass(frozen=True)
class Words:
    """How a status is told: a short label and the sentence a verifier reads."""

    label: str
    sentence: str


WORDS: Mapping[str, Words] = {
    "valid": Words(N_("valid"), N_("Valid: the certificate is in force.")),
    "suspended": Words(N_("suspended"), N_("Suspended: the certificate is not in force while "
                                           "suspended; do not rely on it.")),
    "withdrawn": Words(N_("withdrawn"), N_("Withdrawn: the certificate is no longer in force "
                                           "and will not return.")),
    "superseded": Words(N_("superseded"), N_("Superseded: a newer revision replaces this "
                                             "certificate; rely on that one.")),
    "expired": Words(N_("expired"), N_("Expired: the certificate's validity period has ended.")),
}
# The bit each stored status sets in the lab's Bitstring Status Lists (credentials): a
# suspension can be lifted, a withdrawal or a newer revision is for good (revocation).
STATUS_LIST_PURPOSE: Mapping[str, str | None] = {
    "valid": None, "suspended": "suspension", "withdrawn": "revocation",
    "superseded": "revocation"}
# When several certificates could answer for one product, the lower rank is the one to show.
RANK: Mapping[str, int] = {"valid": 0, "suspended": 1, "expired": 2, "superseded": 3,
                           "withdrawn": 4}


def check_constraint(column: str = "status") -> str:
    """Return the SQL CHECK expression that keeps the column to the stored statuses."""
    return f"{column} IN ({', '.join(repr(s) for s in STORED)})"


def effective_status(status: str, valid_until: date, today: date) -> str:
    """Return the status people see: `expired` once valid_until has passed."""
    if status in EXPIRING and today > valid_until:
        return "expired"
    return status


def action_refusal(action: str, status: str, valid_until: date, today: date) -> str | None:
    """Say why `action` is not possible for a certificate, or None if it is."""
    rule = ACTIONS[action]
    shown = effective_status(status, valid_until, today)
    if status not in rule.starts or (shown == "expired" and not rule.on_expired):
        return f"it is {shown}"
    return None


def allowed_actions(status: str, valid_until: date, today: date) -> list[str]:
    """List the actions the lifecycle allows now, in display order."""
    return [name for name in ACTIONS if action_refusal(name, status, valid_until, today) is None]

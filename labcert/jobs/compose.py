"""Render notification drafts into plain-text and HTML mail."""

from __future__ import annotations

from flask import render_template

from labcert.services.mail_drafts import Draft, Rendered

SUBJECTS = {
    "certificate.issued": "Certificate {number} issued ({market}, valid until {valid_until})",
    "certificate.amended": "Certificate {number} amended: replaced by {superseded_by}",
    "certificate.suspended": "Certificate {number} suspended",
    "certificate.reinstated": "Certificate {number} reinstated",
    "certificate.withdrawn": "Certificate {number} withdrawn",
    "certificate.expired": "Certificate {number} has expired",
    "certificate.expiring": "Certificate {number} expires in {days_left} days ({valid_until})",
    "application.rejected": "Application {number} sent back to testing: the reasons",
    "certificate.retest_required": "Re-test required by {effective_from}: {count} "
                                   "certificate(s) affected by {criteria_set}",
    "instrument.calibration_due": "Instrument {asset_tag} due for calibration on "
                                  "{calibration_due}",
}


def render(draft: Draft) -> Rendered:
    """Return the draft composed: subject, plain text and HTML."""
    # One line whatever the facts hold: a newline in a header would refuse the whole message.
    subject = " ".join(SUBJECTS[draft.kind].format(**draft.context).split())
    context = {**draft.context, "subject": subject}
    return Rendered(draft, subject, render_template(f"mail/{draft.template}.txt", **context),
                    render_template(f"mail/{draft.template}.html", **context))


def render_all(drafts: list[Draft]) -> list[Rendered]:
    """Compose every draft."""
    return [render(d) for d in drafts]

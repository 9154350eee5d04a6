"""Audit events told as sentences: "Rashid approved APP-2026-00007 and issued LC-2026-000002".

Names and numbers are looked up once per page (people by id, applications, organisations and
instruments by id); an action without a sentence of its own is told plainly from its name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, AuditEvent, Instrument, Organization, User

Told = Callable[[str, str, dict[str, Any]], str]


def _list(values: Any) -> str:
    items = [str(v) for v in values or []]
    return ", ".join(items)


def _approve(who: str, what: str, data: dict[str, Any]) -> str:
    issued = _list(data.get("certificates"))
    return (f"{who} approved {what} and issued {issued}" if issued
            else f"{who} approved {what}; no certificate was issued")


def _changes(data: dict[str, Any]) -> str:
    changes = data.get("changes") or {}
    return "; ".join(f"{key} from {old or '—'} to {new or '—'}"
                     for key, (old, new) in changes.items()) if isinstance(changes, dict) else ""


def _refused(who: str, what: str, data: dict[str, Any]) -> str:
    status = data.get("status")
    kind = {403: "refused (403)", 409: "refused as a conflict (409)"}.get(status, "refused")
    target = f" on {what}" if what else ""
    return f"{who} was {kind}: {data.get('operation', 'an action')}{target}. " \
           f"{data.get('reason', '')}".strip()


SENTENCES: dict[str, Told] = {
    "application.create": lambda w, o, d: f"{w} opened {o} for {d.get('brand', '')} "
                                          f"{d.get('model', '')} ({_list(d.get('markets'))})",
    "application.submit": lambda w, o, d: f"{w} submitted {o} for review",
    "application.approve": _approve,
    "application.reject": lambda w, o, d: f"{w} sent {o} back to testing: "
                                          f"{'; '.join(d.get('reasons') or [])}",
    "application.cancel": lambda w, o, d: f"{w} cancelled {o}",
    "sample.add": lambda w, o, d: f"{w} registered sample {d.get('imei', '')} on {o}",
    "sample.add_many": lambda w, o, d: f"{w} registered {d.get('count', 0)} samples on {o}",
    "results.add": lambda w, o, d: f"{w} entered {d.get('count', 0)} results on {o}"
                                   f" ({d.get('source', '')})",
    "result.correct": lambda w, o, d: f"{w} corrected result {d.get('old_id')} on {o}: "
                                      f"{d.get('reason', '')}",
    "certificate.issue": lambda w, o, d: f"{w} issued {o} for {d.get('market', '')} "
                                         f"({d.get('application', '')})",
    "certificate.suspend": lambda w, o, d: f"{w} suspended {o}: {d.get('reason', '')}",
    "certificate.reinstate": lambda w, o, d: f"{w} reinstated {o}: {d.get('reason', '')}",
    "certificate.withdraw": lambda w, o, d: f"{w} withdrew {o}: {d.get('reason', '')}",
    "certificate.amend": lambda w, o, d: f"{w} amended {o}: {d.get('reason', '')}",
    "certificate.expire": lambda w, o, d: f"{o} expired ({d.get('valid_until', '')})",
    "user.login": lambda w, o, d: f"{w} signed in",
    "user.login_failed": lambda w, o, d: f"A sign-in as {d.get('email', '?')} failed "
                                         f"({d.get('channel', '')}: {d.get('reason', '')})",
    "user.login_throttled": lambda w, o, d: f"Sign-ins as {d.get('email', '?')} were "
                                            f"throttled ({d.get('channel', '')}, "
                                            f"limit {d.get('limit', '')})",
    "user.create": lambda w, o, d: f"{w} created the account {d.get('email', o)} as "
                                   f"{d.get('role', '?')}",
    "user.update": lambda w, o, d: f"{w} changed {o}: {_changes(d)}",
    "user.role_change": lambda w, o, d: f"{w} changed {o}: {_changes(d)}",
    "user.deactivate": lambda w, o, d: f"{w} deactivated {o}"
                                       + (f" and revoked {len(d['tokens_revoked'])} API "
                                          "token(s)" if d.get("tokens_revoked") else ""),
    "user.reactivate": lambda w, o, d: f"{w} reactivated {o}",
    "user.require_password_change": lambda w, o, d: f"{w} asked {o} for a new password",
    "user.set_temporary_password": lambda w, o, d: f"{w} set a temporary password for {o}",
    "user.change_password": lambda w, o, d: f"{w} changed their password",
    "token.create": lambda w, o, d: f"{w} created API {o} for {d.get('user', '?')}"
                                    f" (expires {str(d.get('expires_at', ''))[:10]})",
    "token.revoke": lambda w, o, d: f"{w} revoked API {o} of {d.get('user', '?')}"
                                    + (f" ({d['reason']})" if d.get("reason") else ""),
    "signing_key.register": lambda w, o, d: f"The signing key {o} was first used "
                                            f"({d.get('subject', '')})",
    "signing_key.retire": lambda w, o, d: f"The signing key {o} was retired: "
                                          f"{d.get('reason', '')}",
    "signing_key.rotate": lambda w, o, d: f"{w} rotated the signing key to {o}",
    "signing_key.compromised": lambda w, o, d: f"{w} declared the signing key {o} compromised",
    "organization.create": lambda w, o, d: f"{w} created the organisation {o}",
    "organization.update": lambda w, o, d: f"{w} changed {o}: {_changes(d)}",
    "instrument.create": lambda w, o, d: f"{w} added the instrument {o}",
    "instrument.calibrate": lambda w, o, d: f"{w} recorded a calibration of {o} (due "
                                            f"{d.get('calibration_due', '')})",
    "action.refused": _refused,
}


class _Names:
    """The names and numbers of the people and objects a page of events mentions."""

    def __init__(self, events: Sequence[AuditEvent]) -> None:
        def ids(kind: str) -> list[int]:
            return [int(e.entity_id) for e in events
                    if e.entity_type == kind and e.entity_id.isdigit()]

        people = {e.actor_id for e in events if e.actor_id} | set(ids("user"))
        self.users = {u.id: u for u in db.session.scalars(
            select(User).where(User.id.in_(people)))} if people else {}
        self.applications = dict(db.session.execute(select(
            Application.id, Application.number).where(Application.id.in_(ids("application"))))
            .all()) if ids("application") else {}
        self.organizations = dict(db.session.execute(select(
            Organization.id, Organization.name).where(
            Organization.id.in_(ids("organization")))).all()) if ids("organization") else {}
        self.instruments = dict(db.session.execute(select(
            Instrument.id, Instrument.asset_tag).where(
            Instrument.id.in_(ids("instrument")))).all()) if ids("instrument") else {}

    def who(self, event: AuditEvent) -> str:
        user = self.users.get(event.actor_id) if event.actor_id else None
        if user is not None:
            return user.name or user.email
        return "The system" if event.actor == "system" else event.actor

    def what(self, event: AuditEvent) -> str:
        key = int(event.entity_id) if event.entity_id.isdigit() else None
        kind = event.entity_type
        if kind == "application" and key in self.applications:
            return str(self.applications[key])
        if kind == "user" and key in self.users:
            return self.users[key].name or self.users[key].email
        if kind == "organization" and key in self.organizations:
            return str(self.organizations[key])
        if kind == "instrument" and key in self.instruments:
            return str(self.instruments[key])
        if kind == "api_token":
            return f"token #{event.entity_id}"
        if kind == "signing_key":
            return event.entity_id[:16] + ("…" if len(event.entity_id) > 16 else "")
        if kind == "request":
            return ""
        return event.entity_id or kind


def sentences(events: Sequence[AuditEvent]) -> dict[int, str]:
    """Return {event seq: sentence} for a page of events."""
    names, told = _Names(events), {}
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        teller = SENTENCES.get(event.action)
        who, what = names.who(event), names.what(event)
        try:
            text = teller(who, what, data) if teller else \
                f"{who}: {event.action.replace('.', ' ').replace('_', ' ')} {what}".strip()
        except (KeyError, TypeError, ValueError):  # an older event with other data
            text = f"{who}: {event.action} {what}".strip()
        told[event.seq] = " ".join(text.split()).rstrip(".") + "."
    return told

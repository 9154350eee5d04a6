"""What an application page shows: samples, results, evaluations, history and allowed actions.

The read side of the lab workflow, for pages and API alike; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from labcert.errors import Conflict, NotFound
from labcert.extensions import db
from labcert.lifecycles import application as lifecycle
from labcert.models import Application, AuditEvent, Certificate, Sample, TestResult, User
from labcert.rules import CriteriaError, InputError, UnknownCriteriaSet, load_registry
from labcert.services.applications import get_application
from labcert.services.evaluations import shown_evaluations
from labcert.services.flags import KIND_TITLES, Flag, flags_by_result, review_flags
from labcert.services.plans import plan_of
from labcert.services.results import results_of
from labcert.services.review import reviews_of

ACTIONS = {
    "application.create": "Opened the application",
    "sample.add": "Registered a sample",
    "results.add": "Entered results",
    "result.correct": "Corrected a result",
    "application.submit": "Submitted for review",
    "application.reject": "Rejected (sent back to testing)",
    "application.approve": "Approved",
    "application.cancel": "Cancelled",
}


@dataclass(frozen=True)
class Actions:
    """What the signed-in user may do with the application in its current state."""

    edit: bool
    submit: bool
    cancel: bool
    review: bool


@dataclass(frozen=True)
class HistoryItem:
    """One audit event told for people: who, what, when, why."""

    at: datetime
    who: str
    what: str
    detail: str
    why: str


def allowed_actions(user: User, application: Application) -> Actions:
    """Decide which buttons to offer, by the lifecycle the services enforce."""
    state = application.state
    technician = user.role == "technician"
    return Actions(edit=technician and state in lifecycle.EDITABLE,
                   submit=technician and lifecycle.can_move(state, "submitted"),
                   cancel=lifecycle.cancel_refusal(user.role, state) is None,
                   review=user.role == "reviewer" and state == "submitted")


def samples_of(application: Application) -> list[Sample]:
    """List the application's samples in the order they were received."""
    return list(db.session.scalars(select(Sample).where(
        Sample.application_id == application.id).order_by(Sample.id)))


def certificates_of(application: Application) -> list[Certificate]:
    """List the certificates issued on the application, in issue order."""
    return list(db.session.scalars(select(Certificate).where(
        Certificate.application_id == application.id).order_by(Certificate.id)))


def evaluations_of(application: Application) -> tuple[list[dict[str, Any]], str, str | None]:
    """Return the evaluations shown, whether they are as approved or live, and any problem."""
    kind = "approval" if application.state == "approved" else "live"
    try:
        return shown_evaluations(application), kind, None
    except (Conflict, UnknownCriteriaSet, CriteriaError, InputError) as error:
        return [], "live", f"The evaluation cannot run: {error}"


def criterion_titles(evaluations: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Map each criteria set reference to its criteria titles by id (for not-applicable lists)."""
    registry, titles = load_registry(), {}
    for item in evaluations:
        ref = item["criteria_set"]
        try:
            criteria = registry.resolve(ref, date.today()).criteria
        except UnknownCriteriaSet:
            criteria = ()
        titles[ref] = {c.id: c.title for c in criteria}
    return titles


def _describe(event: AuditEvent) -> tuple[str, str]:
    data = event.data or {}
    reasons = data.get("reasons") or ([data["reason"]] if data.get("reason") else [])
    if event.action == "sample.add":
        detail = f"IMEI {data.get('imei', '')}"
    elif event.action == "results.add":
        detail = f"{data.get('count', '?')} result(s) from {data.get('source', '?')}"
    elif event.action == "result.correct":
        detail = f"result #{data.get('old_id')} replaced by #{data.get('new_id')}"
    elif event.action == "application.approve":
        issued = ", ".join(data.get("certificates") or []) or "no certificate"
        detail = f"issued: {issued}"
    elif event.action == "application.create":
        detail = f"{data.get('number', '')} for {', '.join(data.get('markets') or [])}"
    else:
        detail = f"from {data['from']}" if data.get("from") else ""
    return detail, " · ".join(str(r) for r in reasons)


def history_of(application: Application) -> list[HistoryItem]:
    """Tell the application's audit events, oldest first."""
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "application",
        AuditEvent.entity_id == str(application.id)).order_by(AuditEvent.seq)))
    ids = {e.actor_id for e in events if e.actor_id}
    names = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(ids)))} \
        if ids else {}
    items = []
    for event in events:
        detail, why = _describe(event)
        who = names.get(event.actor_id or 0, event.actor)
        items.append(HistoryItem(event.at, who, ACTIONS.get(event.action, event.action),
                                 detail, why))
    return items


def flags_of(application: Application) -> list[Flag]:
    """Return the flags a reviewer sees; none when the evaluation cannot run (said elsewhere)."""
    try:
        return review_flags(application)
    except (Conflict, UnknownCriteriaSet, CriteriaError, InputError):
        return []


def plan_rows_of(application: Application) -> dict[str, int]:
    """Map 'market:criterion' to the index of the worksheet row that serves it."""
    try:
        plan = plan_of(application)
    except (Conflict, UnknownCriteriaSet, CriteriaError, InputError):
        return {}
    return {criterion: index for index, row in enumerate(plan.rows)
            for criterion in row.criteria}


def page_facts(user: User, application: Application) -> dict[str, Any]:
    """Gather everything the application and review pages show about an application."""
    evaluations, evaluation_kind, evaluation_problem = evaluations_of(application)
    results = results_of(application)
    flags = flags_of(application) if application.state not in ("approved", "cancelled") else []
    return {
        "plan_rows": plan_rows_of(application) if application.state in lifecycle.EDITABLE
        else {},
        "flags": flags, "flagged": flags_by_result(flags), "flag_titles": KIND_TITLES,
        "application": application, "product": application.product,
        "samples": samples_of(application), "results": results,
        "results_by_id": {row.id: row for row in results},
        "current_results": sum(1 for r in results if r.superseded_by_id is None),
        "catalogue": load_registry().catalogue, "evaluations": evaluations,
        "evaluation_kind": evaluation_kind, "evaluation_problem": evaluation_problem,
        "titles": criterion_titles(evaluations),
        "result_refs": {str(r.id) for r in results}, "history": history_of(application),
        "reviews": reviews_of(application), "actions": allowed_actions(user, application),
        "certificates": certificates_of(application), "today": date.today(),
    }


def result_for(user: User, result_id: int) -> tuple[TestResult, Application]:
    """Return a result and its application if the user may see them; 404 otherwise."""
    result = db.session.get(TestResult, result_id)
    if result is None:
        raise NotFound(f"No result with id {result_id}.")
    return result, get_application(user, result.application_id)

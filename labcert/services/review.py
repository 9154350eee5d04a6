"""Review: four-eyes approval and rejection, safe against two reviewers at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from labcert.errors import Conflict, PermissionDenied, ValidationFailed
from labcert.extensions import db
from labcert.models import Application, Evaluation, Review, TestResult, User
from labcert.services import certificates, events, follow_up, status_lists
from labcert.services.applications import get_application
from labcert.services.audit import record
from labcert.services.evaluations import (
    MarketEvaluation,
    evaluate_application,
    inputs_hash,
    inputs_of,
)
from labcert.services.issuance import issue_certificates
from labcert.services.settings import ServiceSettings
from labcert.services.snapshot import add_months
from labcert.services.states import move
from labcert.services.unit_of_work import transactional


@dataclass
class Approval:
    """What an approval produced: certificates issued and markets not issued, with reasons."""

    application: Application
    certificates: list[Any] = field(default_factory=list)
    not_issued: list[dict[str, str]] = field(default_factory=list)


def entered_results(user: User, application: Application) -> int:
    """Count the results (also superseded ones) this user entered on the application."""
    return db.session.scalar(select(func.count()).select_from(TestResult).where(
        TestResult.application_id == application.id,
        TestResult.entered_by_id == user.id)) or 0


def _check_version(application: Application, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != application.version:
        raise Conflict(f"Application {application.number} changed since you opened it (it is now "
                       f"{application.state}); reload the page and review it again.",
                       {"version": [str(application.version)]})


def _four_eyes(actor: User, application: Application) -> None:
    count = entered_results(actor, application)
    if count:
        raise PermissionDenied(
            f"You entered {count} result(s) on application {application.number}; another "
            "reviewer must approve it (four-eyes principle, ISO/IEC 17065 7.6).")


def _store(application: Application, actor: User, evaluations: list[MarketEvaluation],
           on: date) -> None:
    facts, results = inputs_of(application)
    digest = inputs_hash(facts, results)
    for item in evaluations:
        data = item.evaluation.to_dict()
        db.session.add(Evaluation(application_id=application.id, market=item.market,
                                  criteria_set=data["criteria_set"], verdict=data["verdict"],
                                  outcomes=data, inputs_hash=digest,
                                  engine_version=data["engine_version"], evaluated_on=on,
                                  created_by_id=actor.id))


@transactional
def approve(actor: User, application_id: int, *, settings: ServiceSettings,
            expected_version: int | None = None, today: date | None = None) -> Approval:
    """Approve a submitted application and issue a certificate for every passing market."""
    today = today or settings.today()
    application = get_application(actor, application_id)
    _check_version(application, expected_version)
    _four_eyes(actor, application)
    move(application, "approved")
    db.session.flush()  # the optimistic lock is checked here: a concurrent decision fails now
    evaluations = evaluate_application(application, today)
    _store(application, actor, evaluations, today)
    db.session.add(Review(application_id=application.id, reviewer_id=actor.id,
                          decision="approved", reasons=[]))
    approval = Approval(application)
    for item in evaluations:
        verdict = item.evaluation.to_dict()["verdict"]
        if verdict != "pass":
            approval.not_issued.append({"market": item.market, "verdict": verdict,
                                        "reason": _why_not(item)})
    passing = [item for item in evaluations if item.evaluation.to_dict()["verdict"] == "pass"]
    revises = follow_up.revised_by(application)  # a re-test after a criteria revision
    held = status_lists.hold(revises.status_list) if revises is not None else None
    approval.certificates = issue_certificates(actor, application, passing, settings, revises)
    for new in approval.certificates:
        if revises is not None and new.supersedes_id == revises.id:
            certificates.supersede_by_revision(actor, revises, new, held, settings)
    record(actor, "application.approve", "application", application.id,
           {"certificates": [c.number for c in approval.certificates],
            "not_issued": approval.not_issued})
    return approval


@dataclass(frozen=True)
class PlannedCertificate:
    """What approving now would do for one market: sign a certificate, or say why not."""

    market: str
    criteria_set: str
    title: str
    verdict: str
    valid_until: date | None  # None: no certificate for this market
    reason: str = ""


@dataclass(frozen=True)
class ApprovalPlan:
    """The confirmation a reviewer sees before signing: per market, and who may approve."""

    application: Application
    markets: list[PlannedCertificate]
    refusal: str | None  # why this reviewer may not approve (four-eyes, state), or None

    @property
    def to_sign(self) -> list[PlannedCertificate]:
        """Return the markets that get a certificate."""
        return [m for m in self.markets if m.valid_until is not None]


def plan_approval(actor: User, application_id: int, *, settings: ServiceSettings,
                  today: date | None = None) -> ApprovalPlan:
    """Say what approving would sign now, without changing anything."""
    today = today or settings.today()
    application = get_application(actor, application_id)
    refusal = None
    if application.state != "submitted":
        refusal = f"Application {application.number} is {application.state}; only a " \
                  "submitted application can be approved."
    elif entered_results(actor, application):
        refusal = (f"You entered results on application {application.number}; another "
                   "reviewer must approve it (four-eyes principle, ISO/IEC 17065 7.6).")
    markets = []
    for item in evaluate_application(application, today):
        verdict = item.evaluation.to_dict()["verdict"]
        passing = verdict == "pass"
        markets.append(PlannedCertificate(
            market=item.market, criteria_set=item.criteria_set.ref,
            title=item.criteria_set.title, verdict=verdict,
            valid_until=add_months(today, item.criteria_set.validity_months) if passing
            else None, reason="" if passing else _why_not(item)))
    return ApprovalPlan(application, markets, refusal)


def _why_not(item: MarketEvaluation) -> str:
    data = item.evaluation.to_dict()
    if data["verdict"] == "incomplete":
        return "No result yet for: " + ", ".join(data["missing"])
    failing = [o for o in data["outcomes"] if o["verdict"] not in ("pass", "conditional_pass")]
    return "; ".join(f"{o['criterion']}: {o['reason']}" for o in failing[:3]) or data["verdict"]


@transactional
def reject(actor: User, application_id: int, reasons: list[str], *,
           expected_version: int | None = None) -> Application:
    """Send a submitted application back to testing with the reviewer's reasons."""
    application = get_application(actor, application_id)
    _check_version(application, expected_version)
    cleaned = [r.strip() for r in reasons if r and r.strip()]
    if not cleaned:
        raise ValidationFailed.of([("reasons", "Give at least one reason for the rejection.")])
    if any(len(r) > 1000 for r in cleaned):
        raise ValidationFailed.of([("reasons", "Keep each reason under 1000 characters.")])
    if application.state != "submitted":
        raise Conflict(f"Cannot reject application {application.number}: it is "
                       f"{application.state}.", {"state": [application.state]})
    move(application, "testing")
    db.session.flush()
    db.session.add(Review(application_id=application.id, reviewer_id=actor.id,
                          decision="rejected", reasons=cleaned))
    record(actor, "application.reject", "application", application.id, {"reasons": cleaned})
    events.happened("application.rejected", "application", application.id,
                    {"number": application.number, "reasons": cleaned,
                     "manufacturer_id": application.manufacturer_id}, actor=actor)
    return application


def reviews_of(application: Application) -> list[Review]:
    """List the decisions on an application, newest first."""
    return list(db.session.scalars(select(Review).where(
        Review.application_id == application.id).order_by(Review.id.desc())))

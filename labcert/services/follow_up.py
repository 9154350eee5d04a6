"""The re-test path: a follow-up application for a certificate a criteria revision affects.

It is opened for the same product, holder and market, pre-filled with the rows the new version
needs (missing ones, and the ones whose stored results would fail, to re-measure). The earlier
results that still stand are carried over, so the follow-up is judged on them plus the new
ones; approving it issues a revision (`-R1`, ...) that supersedes the certificate.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from labcert.access import check_role
from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Application, Certificate, TestResult, User
from labcert.rules import evaluate
from labcert.services import impact, impact_inputs, retest_rows
from labcert.services.audit import record
from labcert.services.unit_of_work import transactional

OPENERS = ("technician", "admin")


def _certificate(number: str) -> Certificate:
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if certificate is None:
        raise NotFound(f"No certificate numbered {number}.")
    return certificate


def plan_for(certificate: Certificate, ref: str, today: date) -> dict[str, Any]:
    """Return what a follow-up would hold: the rows to test and the results carried over."""
    criteria_set = impact.find_version(ref, today)
    if criteria_set.id != certificate.market:
        raise ValidationFailed.of([("criteria_set", f"{criteria_set.ref} is not a version of "
                                                    f"{certificate.market}, the certificate's "
                                                    "market.")])
    (subject,) = impact_inputs.load_subjects([certificate.id])
    evaluation = evaluate(criteria_set, subject.facts, subject.results,
                          impact.judged_on(criteria_set, today))
    rows = retest_rows.needed_rows(criteria_set, evaluation)
    replaced = retest_rows.replaced_refs(criteria_set, evaluation, subject.results)
    wanted = {int(r.ref) for r in subject.results
              if r.ref and r.ref.isdigit() and not r.is_superseded and r.ref not in replaced}
    carried = sorted(db.session.scalars(select(TestResult.id).where(
        TestResult.id.in_(wanted)))) if wanted else []
    return {"certificate": certificate.number, "certificate_id": certificate.id,
            "criteria_set": criteria_set.ref, "effective_from":
            criteria_set.effective_from.isoformat(), "draft": criteria_set.status == "draft",
            "rows": rows, "carried": carried, "replaced": sorted(int(r) for r in replaced)}


@transactional
def open_follow_up(actor: User, number: str, ref: str, today: date) -> Application:
    """Open a follow-up application for an affected certificate, pre-filled with its rows."""
    check_role(actor, OPENERS)
    certificate = _certificate(number)
    if certificate.effective_status(today) != "valid":
        raise Conflict(f"Certificate {number} is {certificate.effective_status(today)}; only a "
                       "certificate in force is re-tested into a new revision.",
                       {"status": [certificate.status]})
    plan = plan_for(certificate, ref, today)
    if not plan["rows"]:
        raise Conflict(f"Certificate {number} is unaffected by {plan['criteria_set']}: "
                       "nothing to re-test.", {"criteria_set": [plan["criteria_set"]]})
    original = db.session.get(Application, certificate.application_id)
    # A draft is never used for an evaluation: the follow-up is then judged by the version in
    # force, and by the new one itself once it is published.
    market = certificate.market if plan["draft"] else plan["criteria_set"]
    application = Application(number=f"APP-NEW-{certificate.id}-{today.isoformat()}",
                              product_id=certificate.product_id,
                              manufacturer_id=certificate.holder_id, markets=[market],
                              created_by=actor, follow_up=plan)
    db.session.add(application)
    db.session.flush()
    application.number = f"APP-{today.year}-{application.id:05d}"
    record(actor, "application.follow_up", "application", application.id,
           {"number": application.number, "certificate": number,
            "criteria_set": plan["criteria_set"], "rows": len(plan["rows"]),
            "from_application": original.number if original else None})
    return application


def revised_by(application: Application) -> Certificate | None:
    """Return the certificate a follow-up application revises, if it is still in force."""
    info = application.follow_up or {}
    certificate_id = info.get("certificate_id")
    certificate = db.session.get(Certificate, certificate_id) if certificate_id else None
    return certificate if certificate is not None and certificate.status == "valid" else None

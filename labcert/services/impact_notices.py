"""Telling holders: publish an impact analysis as notices, one mail per organisation.

Publishing records a notice per affected certificate (needs tests or would fail) and one outbox
event per holder organisation; the mail job then tells the organisation's people which of its
certificates are affected, what each needs, and by when (the version's effective date). The
certificate's status does not change: its public status shows the notice until the lab acts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from labcert.access import check_role
from labcert.errors import Conflict
from labcert.extensions import db
from labcert.models import Certificate, ImpactNotice, ImpactRun, User, utcnow
from labcert.services import answer_cache, events, impact
from labcert.services.audit import record
from labcert.services.settings import ServiceSettings
from labcert.services.unit_of_work import transactional

PUBLISHERS = ("reviewer", "admin")
EVENT = "criteria.impact_published"


def notice_text(criteria_set: str, effective_from: date) -> str:
    """Return the sentence a verifier reads on an affected certificate."""
    return f"affected by {criteria_set} from {effective_from.isoformat()}: re-test required"


def notices_of(certificate: Certificate) -> list[dict[str, Any]]:
    """Return the published notices of a certificate in force (none once it is not)."""
    if certificate.status != "valid":
        return []
    rows = db.session.scalars(select(ImpactNotice).where(
        ImpactNotice.certificate_id == certificate.id).order_by(ImpactNotice.effective_from))
    return [{"criteria_set": n.criteria_set, "effective_from": n.effective_from.isoformat(),
             "impact": n.impact, "text": notice_text(n.criteria_set, n.effective_from)}
            for n in rows]


@transactional
def publish(actor: User, run_id: int) -> dict[str, Any]:
    """Publish a finished analysis to the holders of its affected certificates."""
    check_role(actor, PUBLISHERS)
    run = db.session.get(ImpactRun, run_id)
    if run is None or run.state != "done" or not run.result:
        raise Conflict("Only a finished impact analysis can be published; run it first.",
                       {"state": [run.state if run else "missing"]})
    if run.published_at is not None:
        raise Conflict(f"Analysis #{run.id} of {run.criteria_set} was already published on "
                       f"{run.published_at.date().isoformat()}.", {"published_at": ["set"]})
    report = run.result
    if report.get("status") == "draft":
        raise Conflict(f"{run.criteria_set} is a draft: publish the version before telling "
                       "holders about it.", {"status": ["draft"]})
    effective = date.fromisoformat(report["effective_from"])
    affected = [c for c in report["certificates"] if c["impact"] in impact.AFFECTED]
    ids = dict(db.session.execute(select(Certificate.number, Certificate.id).where(
        Certificate.number.in_([c["number"] for c in affected]),
        Certificate.status == "valid")).all()) if affected else {}
    known = set(db.session.scalars(select(ImpactNotice.certificate_id).where(
        ImpactNotice.criteria_set == run.criteria_set,
        ImpactNotice.certificate_id.in_(ids.values())))) if ids else set()
    by_holder: dict[int, list[str]] = defaultdict(list)
    for item in affected:
        certificate_id = ids.get(item["number"])
        if certificate_id is None:
            continue  # no longer in force since the analysis
        if certificate_id not in known:
            db.session.add(ImpactNotice(certificate_id=certificate_id, run_id=run.id,
                                        criteria_set=run.criteria_set, effective_from=effective,
                                        impact=item["impact"]))
        answer_cache.forget(item["number"])  # its public answer now shows the notice
        by_holder[item["holder_id"]].append(item["number"])
    for holder_id, numbers in sorted(by_holder.items()):
        events.happened(EVENT, "organization", holder_id,
                        {"run_id": run.id, "criteria_set": run.criteria_set,
                         "effective_from": effective.isoformat(), "certificates": numbers},
                        actor=actor)
    run.published_at, run.published_by_id = utcnow(), actor.id
    summary = {"run": run.id, "criteria_set": run.criteria_set,
               "organisations": len(by_holder),
               "certificates": sum(len(v) for v in by_holder.values())}
    record(actor, "impact.publish", "criteria_set", run.criteria_set, summary)
    return summary


def mail_context(event_data: dict[str, Any], holder_id: int,
                 settings: ServiceSettings) -> dict[str, Any]:
    """Return what the holder's mail says: each affected certificate, what it needs, by when."""
    run = db.session.get(ImpactRun, int(event_data["run_id"]))
    wanted = set(event_data.get("certificates", []))
    items = [c for c in ((run.result or {}).get("certificates", []) if run else [])
             if c["number"] in wanted and c["holder_id"] == holder_id]
    return {"criteria_set": event_data["criteria_set"],
            "effective_from": event_data["effective_from"], "count": len(items),
            "certificates": [{"number": c["number"], "product": c["product"],
                              "impact": impact.LABELS[c["impact"]], "reasons": c["reasons"],
                              "verification_url": settings.verification_url(c["number"])}
                             for c in items],
            "account_url": f"{settings.public_url}/account/notifications",
            "lab_name": settings.lab_name}

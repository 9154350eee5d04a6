"""Impact analyses as stored runs: requested, run in the background with progress, kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from labcert.errors import NotFound
from labcert.extensions import db
from labcert.models import ImpactRun, User, utcnow
from labcert.services import impact
from labcert.services.audit import record
from labcert.services.unit_of_work import transactional


@transactional
def request_run(actor: User | None, ref: str, today: date) -> ImpactRun:
    """Queue an analysis of the version 'id@version' (404 for an unknown one)."""
    criteria_set = impact.find_version(ref, today)
    run = ImpactRun(criteria_set=criteria_set.ref, state="queued",
                    requested_by_id=actor.id if actor else None)
    db.session.add(run)
    db.session.flush()
    record(actor, "impact.request", "criteria_set", criteria_set.ref, {"run": run.id})
    return run


def _progress(run_id: int) -> impact.Progress:
    def report(done: int, total: int) -> None:
        db.session.execute(update(ImpactRun).where(ImpactRun.id == run_id)
                           .values(done=done, total=total))
        db.session.commit()

    return report


def execute(run_id: int, today: date) -> ImpactRun | None:
    """Run a queued analysis, committing its progress per batch; store the result or the error."""
    run = db.session.get(ImpactRun, run_id)
    if run is None or run.state in ("done", "running"):
        return run
    run.state, run.started_at = "running", utcnow()
    db.session.commit()
    try:
        criteria_set = impact.find_version(run.criteria_set, today)
        report = impact.analyse(criteria_set, today, progress=_progress(run_id))
    except Exception as error:
        db.session.rollback()
        run = db.session.get(ImpactRun, run_id)
        run.state, run.finished_at = "failed", utcnow()
        run.error = f"{type(error).__name__}: {error}"[:500]
        db.session.commit()
        raise
    run = db.session.get(ImpactRun, run_id)
    run.state, run.finished_at, run.result = "done", utcnow(), report
    run.done = run.total = report["total"]
    db.session.commit()
    return run


STALE_AFTER = timedelta(minutes=15)  # 10 000 certificates take under a minute


def is_active(run: ImpactRun | None) -> bool:
    """Tell whether a run is queued or running and not abandoned (a worker that died)."""
    if run is None or run.state not in ("queued", "running"):
        return False
    return utcnow() - (run.started_at or run.created_at) < STALE_AFTER


def latest(ref: str, *, done: bool = False) -> ImpactRun | None:
    """Return the newest run of the version (the newest finished one with `done`)."""
    stmt = select(ImpactRun).where(ImpactRun.criteria_set == ref)
    if done:
        stmt = stmt.where(ImpactRun.state == "done")
    return db.session.scalar(stmt.order_by(ImpactRun.id.desc()).limit(1))


def get_run(run_id: int) -> ImpactRun:
    """Return a run by id, or 404."""
    run = db.session.get(ImpactRun, run_id)
    if run is None:
        raise NotFound(f"No impact analysis with id {run_id}.")
    return run


def run_info(run: ImpactRun) -> dict[str, Any]:
    """Return what a run is doing or did, without its result."""
    return {"id": run.id, "criteria_set": run.criteria_set, "state": run.state,
            "done": run.done, "total": run.total,
            "created_at": run.created_at.isoformat() if run.created_at else None,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "published_at": run.published_at.isoformat() if run.published_at else None,
            "error": run.error}


def report_of(run: ImpactRun) -> dict[str, Any]:
    """Return the stored result with the run's facts (the API and page shape)."""
    return {"run": run_info(run), **(run.result or {})}

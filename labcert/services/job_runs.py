"""Daily jobs run once a day: a row per job and day is claimed before the job starts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from labcert.extensions import db
from labcert.models import JobRun, utcnow


def claim(name: str, day: date) -> JobRun | None:
    """Claim today's run of a job and commit the claim; None if it ran (or runs) already."""
    run = JobRun(name=name, day=day)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:  # another cron, beat or host got there first
        db.session.rollback()
        return None
    return run


def finish(run: JobRun, outcome: str) -> None:
    """Record how the run ended, and commit."""
    run.finished_at, run.outcome = utcnow(), outcome[:500]
    db.session.commit()


def release(run: JobRun, error: str) -> None:
    """Give up a failed run's claim so the next `run-due` tries again, keeping nothing."""
    db.session.rollback()
    db.session.delete(db.session.merge(run))
    db.session.commit()


def latest(limit: int = 20) -> list[JobRun]:
    """Return the most recent runs, newest first."""
    return list(db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))

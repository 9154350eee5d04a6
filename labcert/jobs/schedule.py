"""The scheduled jobs: daily ones (reminders, expiry ...) and frequent ones (sweep, flush).

Register a daily job with `@daily("name")` on a function taking the ServiceSettings and
returning a one-line summary, and import its module in `labcert.jobs.JOB_MODULES`. Celery beat
(`labcert worker --beat`) asks every ten minutes; `labcert jobs run-due` from cron does the
same. Either way a daily job runs once per UTC day: its run is claimed in the database first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from labcert.runtime import service_settings
from labcert.services import job_runs
from labcert.services.settings import ServiceSettings

log = logging.getLogger("labcert.jobs")
Job = Callable[[ServiceSettings], str]
DAILY: dict[str, Job] = {}
FREQUENT: dict[str, tuple[float, Job]] = {}


def daily(name: str) -> Callable[[Job], Job]:
    """Register `job` to run once a day."""

    def register(job: Job) -> Job:
        DAILY[name] = job
        return job

    return register


def every(seconds: float, name: str) -> Callable[[Job], Job]:
    """Register `job` to run every `seconds` under beat (and at each `run-due`)."""

    def register(job: Job) -> Job:
        FREQUENT[name] = (seconds, job)
        return job

    return register


@dataclass(frozen=True)
class Ran:
    """What one scheduled job did."""

    name: str
    outcome: str


def run_daily(name: str, settings: ServiceSettings | None = None) -> Ran:
    """Run a daily job unless it already ran today."""
    settings = settings or service_settings()
    run = job_runs.claim(name, settings.today())
    if run is None:
        return Ran(name, "already ran today")
    try:
        outcome = DAILY[name](settings)
    except Exception as error:
        log.exception("daily job %s failed", name)
        job_runs.release(run, str(error))
        return Ran(name, f"failed: {type(error).__name__}: {error}")
    job_runs.finish(run, outcome)
    return Ran(name, outcome)


def run_frequent(name: str, settings: ServiceSettings | None = None) -> Ran:
    """Run a frequent job once now."""
    return Ran(name, FREQUENT[name][1](settings or service_settings()))


def run_due(settings: ServiceSettings | None = None) -> list[Ran]:
    """Run the frequent jobs once and every daily job not yet run today."""
    settings = settings or service_settings()
    ran = [run_frequent(name, settings) for name in FREQUENT]
    return ran + [run_daily(name, settings) for name in DAILY]

"""`labcert worker`, `labcert jobs status`, `labcert jobs run-due`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.jobs import schedule, status


@click.command("worker")
@click.option("--beat", is_flag=True, help="Also run the scheduler (one per installation).")
@click.option("--concurrency", type=int, default=2, show_default=True)
@click.option("--loglevel", default="INFO", show_default=True)
@click.option("--pool", default="prefork", show_default=True,
              type=click.Choice(["prefork", "solo", "threads"]))
@with_appcontext
def worker(beat: bool, concurrency: int, loglevel: str, pool: str) -> None:
    """Start a Celery worker for LabCert's jobs (needs LABCERT_BROKER_URL)."""
    celery = current_app.extensions.get("celery")
    if celery is None:
        fail("No broker: set LABCERT_BROKER_URL (e.g. redis://127.0.0.1:6379/1) to run a "
             "worker; without one, jobs run in-process and `labcert jobs run-due` runs the "
             "scheduled ones from cron.")
    argv = ["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", f"--pool={pool}"]
    celery.worker_main([*argv, *(["--beat"] if beat else [])])


@click.group()
def jobs() -> None:
    """Inspect and run background jobs."""


@jobs.command("status")
@json_option
@with_appcontext
def status_command(as_json: bool) -> None:
    """Show queue depth, failures and the oldest unrelayed event."""
    data = status.report()
    emit(data, "\n".join(status.lines(data)), as_json)


@jobs.command("run-due")
@json_option
@with_appcontext
def run_due(as_json: bool) -> None:
    """Run the jobs that are due (from cron on the embedded default); each daily job once a day."""
    ran = schedule.run_due()
    emit([{"name": r.name, "outcome": r.outcome} for r in ran],
         "\n".join(f"{r.name}: {r.outcome}" for r in ran), as_json)
    if any(r.outcome.startswith("failed") for r in ran):
        raise SystemExit(1)

"""The Celery tasks: thin wrappers that retry the job bodies with back-off."""

from __future__ import annotations

import random

from celery import Celery, Task

from labcert.jobs import mailer, schedule, work
from labcert.services import outbox_relay


def backoff(retries: int) -> float:
    """Return the wait before retry number `retries`: 5 s doubling to 10 min, with jitter."""
    return min(600.0, 5.0 * 2 ** retries) * random.uniform(0.8, 1.2)  # noqa: S311


def register(celery: Celery) -> None:
    """Register LabCert's tasks on a Celery application."""

    @celery.task(name="labcert.handle_event", shared=False, bind=True, max_retries=10)
    def handle_event(self: Task, event_id: int) -> int:
        try:
            return work.handle_event(event_id)
        except Exception as error:
            outbox_relay.mark_failed(event_id, f"{type(error).__name__}: {error}")
            raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error

    @celery.task(name="labcert.deliver_mail", shared=False, bind=True,
                 max_retries=mailer.MAX_ATTEMPTS)
    def deliver_mail(self: Task, mail_id: int) -> str:
        try:
            return work.deliver_mail(mail_id)
        except mailer.MailBusy as busy:  # another worker holds it: come back when its lease ends
            raise self.retry(countdown=busy.wait, max_retries=None) from busy
        except mailer.TRANSIENT as error:
            raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error

    @celery.task(name="labcert.impact_analysis", shared=False)
    def impact_analysis(run_id: int) -> str:
        return work.impact_analysis(run_id)

    @celery.task(name="labcert.run_due", shared=False)
    def run_due() -> list[str]:
        return [f"{r.name}: {r.outcome}" for r in schedule.run_due()]

    @celery.task(name="labcert.run_frequent", shared=False)
    def run_frequent(name: str) -> str:
        return schedule.run_frequent(name).outcome

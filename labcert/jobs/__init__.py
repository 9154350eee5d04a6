"""Background work: the outbox relay, mail, scheduled jobs, and Celery when a broker is set.

Without `LABCERT_BROKER_URL` every job runs in-process right after the commit that caused it
(and `labcert jobs run-due` from cron runs the scheduled ones); with it, jobs go to Celery
workers (`labcert worker`). Without `LABCERT_MAIL_SERVER` mail goes to the log and to the
development outbox page.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from labcert.jobs import mailer, relay, verification_sink
from labcert.services import outbox_relay

# Modules that register scheduled jobs (`@daily`, `@every`); add yours here.
JOB_MODULES = ("labcert.jobs.archive", "labcert.jobs.expiry", "labcert.jobs.reminders",
               "labcert.jobs.upkeep")


def init_app(app: Flask) -> None:
    """Set up mail, the outbox relay, the verification sink and (with a broker) Celery."""
    mailer.mail.init_app(app)
    for module in JOB_MODULES:
        import_module(module)
    import_module("labcert.jobs.work")  # registers the job bodies the relay runs
    outbox_relay.install(relay.relay)
    verification_sink.init_app(app)
    if app.config.get("BROKER_URL"):
        from labcert.jobs.celery_app import make_celery

        make_celery(app)

"""The bodies of the background jobs: the same code whether Celery or the request runs them."""

from __future__ import annotations

from labcert.jobs import compose, dispatch, mailer
from labcert.runtime import service_settings
from labcert.services import impact_runs, mail_drafts


@dispatch.job("labcert.handle_event")
def handle_event(event_id: int) -> int:
    """Compose the mail an outbox event calls for and hand each message to delivery."""
    drafts = mail_drafts.for_event(event_id, service_settings())
    mail_drafts.save(compose.render_all(drafts))
    pending = mail_drafts.pending_for(f"event:{event_id}")
    for mail_id in pending:
        dispatch.submit("labcert.deliver_mail", mail_id)
    return len(pending)


@dispatch.job("labcert.deliver_mail")
def deliver_mail(mail_id: int) -> str:
    """Send one message (idempotent: a sent message is not sent again)."""
    return mailer.deliver(mail_id)


def send_drafts(drafts: list[mail_drafts.Draft]) -> int:
    """Compose, store and hand out drafts made by a scheduled job; return how many."""
    ids = mail_drafts.save(compose.render_all(drafts))
    for mail_id in ids:
        dispatch.submit("labcert.deliver_mail", mail_id)
    return len(ids)


@dispatch.job("labcert.impact_analysis")
def impact_analysis(run_id: int) -> str:
    """Run a queued criteria impact analysis and store its result (issue 18)."""
    run = impact_runs.execute(run_id, service_settings().today())
    return "missing" if run is None else f"{run.state}: {run.done}/{run.total}"

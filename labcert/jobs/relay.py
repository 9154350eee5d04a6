"""Relay committed outbox events: to Celery if a broker is set, else run them right here.

Installed as the outbox relay (`services.outbox_relay.install`), so it runs right after each
commit that wrote events. In-process, a job that itself commits events (the expiry job) has
them queued behind the current ones instead of starting a relay inside a relay.
"""

from __future__ import annotations

import logging
import threading

from flask import current_app

from labcert.jobs import dispatch
from labcert.models import utcnow
from labcert.services import mail_queue, outbox_relay

log = logging.getLogger("labcert.jobs")
_local = threading.local()


def relay(ids: list[int]) -> None:
    """Hand these committed events on; a failure leaves them for the sweeper."""
    celery = dispatch.celery_of_app()
    if celery is not None:
        _to_broker(celery, ids)
        return
    queue: list[int] = getattr(_local, "queue", None) or []
    if getattr(_local, "active", False):
        queue.extend(ids)
        return
    _local.active, _local.queue = True, list(ids)
    try:
        while _local.queue:
            _in_process(_local.queue.pop(0))
    finally:
        _local.active, _local.queue = False, []


def _to_broker(celery: object, ids: list[int]) -> None:
    sent = []
    for event_id in ids:
        try:
            celery.send_task("labcert.handle_event", args=[event_id])  # type: ignore[attr-defined]
        except Exception:  # broker unreachable: the sweeper relays it later
            log.warning("could not queue outbox event %s; the sweeper will", event_id,
                        exc_info=True)
            break
        sent.append(event_id)
    if sent:
        outbox_relay.mark_relayed(sent, utcnow())


def _in_process(event_id: int) -> None:
    try:
        dispatch.BODIES["labcert.handle_event"](event_id)
    except Exception as error:  # the change is committed; the sweeper retries the event
        log.warning("outbox event %s failed in-process; it will be retried", event_id,
                    exc_info=True)
        outbox_relay.mark_failed(event_id, f"{type(error).__name__}: {error}")
        return
    outbox_relay.mark_relayed([event_id], utcnow())


def sweep() -> str:
    """Relay events left behind and hand out mail left unsent; say how many."""
    now = utcnow()
    events = outbox_relay.stragglers(now)
    if events:
        relay(events)
    mails = mail_queue.stragglers(now, current_app.config["JOBS_MAIL_LEASE_SECONDS"])
    for mail_id in mails:
        dispatch.submit("labcert.deliver_mail", mail_id)
    return f"{len(events)} events relayed again, {len(mails)} mails handed out again"

"""What background work looks like now: queue depth, failures, the oldest unrelayed event."""

from __future__ import annotations

from typing import Any

import redis
from flask import current_app

from labcert.jobs.celery_app import queue_keys
from labcert.jobs.verification_sink import sink_of
from labcert.models import utcnow
from labcert.services import job_runs, mail_queue, outbox_relay


def queue_depth() -> int | None:
    """Return how many jobs wait on the broker, or None without one."""
    url = current_app.config.get("BROKER_URL")
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
    try:
        return sum(int(client.llen(k)) for k in queue_keys(current_app.config["REDIS_PREFIX"]))
    finally:
        client.close()


def report() -> dict[str, Any]:
    """Return the state of the outbox, the mail, the queue and the scheduled jobs."""
    now = utcnow()
    oldest = outbox_relay.oldest_unrelayed()
    sink = sink_of(current_app)
    return {
        "mode": "celery" if current_app.config.get("BROKER_URL") else "in-process",
        "mail": "smtp" if current_app.config.get("MAIL_SERVER") else "log",
        "queue_depth": queue_depth(),
        "outbox": {**outbox_relay.counts(), "oldest_unrelayed": None if oldest is None else {
            "id": oldest.id, "kind": oldest.kind, "created_at": oldest.created_at,
            "age_seconds": round((now - oldest.created_at).total_seconds()),
            "attempts": oldest.attempts, "last_error": oldest.last_error}},
        "mail_messages": mail_queue.counts(),
        "verification": None if sink is None else {
            "waiting_in_redis": sink.backlog(),
            "counted_today": sink.count(now.date().isoformat())},
        "recent_runs": [{"name": r.name, "day": r.day, "outcome": r.outcome}
                        for r in job_runs.latest(10)],
    }


def lines(data: dict[str, Any]) -> list[str]:
    """Return the report as lines for people."""
    outbox, oldest = data["outbox"], data["outbox"]["oldest_unrelayed"]
    depth = "no broker" if data["queue_depth"] is None else str(data["queue_depth"])
    out = [f"Jobs: {data['mode']}; mail: {data['mail']}; queue depth: {depth}",
           f"Outbox: {outbox['unrelayed']} unrelayed, {outbox['with_errors']} with errors; "
           + ("oldest unrelayed: none" if oldest is None else
              f"oldest unrelayed: #{oldest['id']} {oldest['kind']}, {oldest['age_seconds']} s "
              f"old, {oldest['attempts']} attempts"
              + (f", last error: {oldest['last_error']}" if oldest["last_error"] else "")),
           "Mail: " + (", ".join(f"{n} {s}" for s, n in sorted(data["mail_messages"].items()))
                       or "none")]
    if data["verification"] is not None:
        v = data["verification"]
        out.append(f"Verification: {v['counted_today']} checks today, "
                   f"{v['waiting_in_redis']} waiting in Redis")
    out += [f"Ran {r['day']} {r['name']}: {r['outcome'] or 'running'}"
            for r in data["recent_runs"]]
    return out

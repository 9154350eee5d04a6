"""Celery bound to the Flask app, as in Flask's own documentation: each task runs in
`app.app_context()`, so a job calls services exactly as a request or a command does."""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from flask import Flask

from labcert.jobs import tasks

QUEUE = "labcert"
PRIORITY_STEPS = (0, 3, 6, 9)  # kombu's Redis transport: one list per priority step
RUN_DUE_EVERY = 600.0  # beat asks for due daily jobs every ten minutes


def beat_schedule() -> dict[str, dict[str, object]]:
    """Return beat's timetable: due daily jobs every ten minutes, the frequent ones on theirs."""
    from labcert.jobs.schedule import FREQUENT

    schedule: dict[str, dict[str, object]] = {
        "run-due": {"task": "labcert.run_due", "schedule": RUN_DUE_EVERY}}
    for name, (seconds, _job) in FREQUENT.items():
        schedule[name] = {"task": "labcert.run_frequent", "schedule": seconds, "args": [name]}
    return schedule


def make_celery(app: Flask) -> Celery:
    """Create the Celery application for this Flask app and register LabCert's tasks."""

    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["BROKER_URL"],
        broker_transport_options={
            "visibility_timeout": app.config["JOBS_VISIBILITY_TIMEOUT"],
            "global_keyprefix": app.config["REDIS_PREFIX"],
            **app.config["JOBS_TRANSPORT_OPTIONS"]},
        broker_connection_retry_on_startup=True,
        # A job is acknowledged when it finishes: a worker killed mid-job leaves it queued.
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True, task_default_queue=QUEUE, task_serializer="json",
        accept_content=["json"], worker_hijack_root_logger=False,
        beat_schedule=beat_schedule(),
        beat_schedule_filename=str(Path(app.instance_path) / "celerybeat-schedule"),
    )
    tasks.register(celery)
    app.extensions["celery"] = celery
    return celery


def queue_keys(prefix: str) -> list[str]:
    """Return the Redis keys that hold LabCert's queued jobs."""
    return [prefix + QUEUE + (f"\x06\x16{step}" if step else "") for step in PRIORITY_STEPS]

"""Background jobs against real components: Redis, an SMTP server on loopback, a Celery worker.

Redis is the one at LABCERT_TEST_REDIS_URL (default redis://127.0.0.1:6379/15, which this
machine and CI run). Each test writes only keys under its own prefix and deletes them after,
so tests running side by side (or other programs on the same index) never meet; nothing is
flushed. A module that sets `EMBEDDED = True` gets the embedded default instead: no broker,
no mail server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from flask import Flask

from tests.jobs.mailbox import Mailbox, start_smtp
from tests.workflow.conftest import lab  # noqa: F401  (the small lab, on this folder's app)

REDIS_URL = os.environ.get("LABCERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Abandoned jobs come back after 2 s, and the sweep for them runs every second.
FAST = {"JOBS_VISIBILITY_TIMEOUT": 2, "JOBS_MAIL_LEASE_SECONDS": 2,
        "JOBS_TRANSPORT_OPTIONS": {"unacked_restore_interval": 1,
                                   "unacked_restore_throttle": 1}}


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """Return a key prefix of this test's own on the test Redis; delete its keys afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} cannot be reached ({error}); start it or set "
                    "LABCERT_TEST_REDIS_URL")
    prefix = f"labcert-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    for key in client.scan_iter(match=prefix + "*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """Return a running SMTP server on loopback and what it received."""
    controller, box = start_smtp()
    yield box
    box.release()
    controller.stop()


def jobs_config(prefix: str, box: Mailbox) -> dict[str, Any]:
    """Return the settings of an installation with Redis, Celery and a mail server."""
    return {"BROKER_URL": REDIS_URL, "REDIS_PREFIX": prefix, "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": box.port, "MAIL_FROM": "LabCert <labcert@labcert.test>", **FAST}


@pytest.fixture
def app(request: pytest.FixtureRequest, make_app: Any) -> Iterator[Flask]:
    """Return this folder's app: with broker and mail server, or the embedded default."""
    if getattr(request.module, "EMBEDDED", False):
        application = make_app()
    else:
        application = make_app(**jobs_config(request.getfixturevalue("redis_prefix"),
                                             request.getfixturevalue("mailbox")))
    with application.app_context():
        yield application


@pytest.fixture
def worker(app: Flask) -> Iterator[Any]:
    """Run a real Celery worker (solo pool, in a thread) on the test Redis."""
    with start_worker(app.extensions["celery"], pool="solo", perform_ping_check=False,
                      shutdown_timeout=30) as running:
        yield running

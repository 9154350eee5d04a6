"""A worker killed in the middle of sending: the mail still goes out, once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import MailMessage
from tests.factories import approve
from tests.jobs.conftest import FAST, REDIS_URL
from tests.jobs.mailbox import text_of, wait_for

LABCERT = Path(sys.executable).parent / "labcert"


def worker_environment(app, prefix: str, port: int, instance: Path) -> dict[str, str]:
    """Return the environment of a `labcert worker` process on the test's database and Redis."""
    return {**os.environ, "LABCERT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LABCERT_INSTANCE_PATH": str(instance), "LABCERT_SECRET_KEY": "test-secret-key",
            "LABCERT_PUBLIC_URL": "http://labcert.test", "LABCERT_BROKER_URL": REDIS_URL,
            "LABCERT_REDIS_PREFIX": prefix, "LABCERT_MAIL_SERVER": "127.0.0.1",
            "LABCERT_MAIL_PORT": str(port), "LABCERT_LOG_LEVEL": "WARNING",
            "LABCERT_JOBS_VISIBILITY_TIMEOUT": str(FAST["JOBS_VISIBILITY_TIMEOUT"]),
            "LABCERT_JOBS_MAIL_LEASE_SECONDS": str(FAST["JOBS_MAIL_LEASE_SECONDS"]),
            "LABCERT_JOBS_TRANSPORT_OPTIONS": json.dumps(FAST["JOBS_TRANSPORT_OPTIONS"])}


def _message() -> MailMessage:
    db.session.expire_all()
    return db.session.scalars(select(MailMessage)).one()


def test_a_worker_killed_mid_job_leaves_the_mail_to_be_sent_once(
        app, lab, mailbox, redis_prefix, instance_dir, tmp_path) -> None:
    mailbox.hold()  # the mail server keeps the first worker waiting in the middle of sending
    log = (tmp_path / "worker.log").open("wb")
    first = subprocess.Popen(
        [str(LABCERT), "worker", "--pool", "solo", "--concurrency", "1", "--loglevel",
         "WARNING"], env=worker_environment(app, redis_prefix, mailbox.port, instance_dir),
        stdout=log, stderr=subprocess.STDOUT)
    try:
        number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
        assert mailbox.stalled.wait(90), (tmp_path / "worker.log").read_text()[-2000:]
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert _message().status == "sending" and mailbox.messages == []
        mailbox.release()  # the killed worker's session is gone: nothing was delivered

        with start_worker(app.extensions["celery"], pool="solo", perform_ping_check=False,
                          shutdown_timeout=30):
            wait_for(lambda: len(mailbox.messages) >= 1, timeout=60, what="the mail")
            time.sleep(4)  # two leases and visibility timeouts more: nothing else arrives
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    [delivered] = mailbox.messages
    assert delivered["To"] == lab.maker.email and number in text_of(delivered)
    message = _message()
    assert (message.status, message.attempts) == ("sent", 2)

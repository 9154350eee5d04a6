"""A server killed in the middle of an approval, after the certificate number was taken.

The approval runs in a child process that SIGKILLs itself right after allocate_number (see
kill_after_allocation.py), on the test database (a SQLite file or PostgreSQL). Afterwards:
no certificate, no approval, no audit event of it; the counter did not move, so the next
approval gets the very number the killed one had taken (no gap); the audit chain verifies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Application, AuditEvent, Certificate, CertificateCounter, User
from tests.factories import approve

PROJECT = Path(__file__).resolve().parents[2]


def _child_environment(app: Flask) -> dict[str, str]:
    """Return the environment that points `labcert` at the test database and PKI."""
    config = app.config
    return {**os.environ, "LABCERT_DATABASE_URL": config["DATABASE_URL"],
            "LABCERT_SECRET_KEY": config["SECRET_KEY"], "LABCERT_INSTANCE_PATH": app.instance_path,
            "LABCERT_PUBLIC_URL": config["PUBLIC_URL"], "LABCERT_LOG_LEVEL": "WARNING"}


def _counter() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(CertificateCounter.last_value), 0)))


def test_a_server_killed_after_taking_a_number_leaves_no_half_issued_certificate_and_no_gap(
        app: Flask, lab: Any, runner: Any) -> None:
    application_id, reviewer_id = lab.submitted().id, lab.reviewer.id
    events, counter = db.session.scalar(select(func.count()).select_from(AuditEvent)), _counter()
    db.session.commit()  # hold no transaction or lock while the child works

    child = subprocess.run(
        [sys.executable, "-m", "tests.faults.kill_after_allocation", str(reviewer_id),
         str(application_id)], cwd=PROJECT, env=_child_environment(app), capture_output=True,
        text=True, timeout=120, check=False)

    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    taken = child.stdout.strip()
    assert taken.startswith("LC-")
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert db.session.get(Application, application_id).state == "submitted"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert _counter() == counter
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "Audit chain intact" in verified.output

    approval = approve(db.session.get(User, reviewer_id), application_id)
    assert [c.number for c in approval.certificates] == [taken]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0

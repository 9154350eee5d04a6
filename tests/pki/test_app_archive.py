"""Archival renewal of stored certificates, and the health of signing (status and page)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import AuditEvent, Certificate, PdfRenewal
from labcert.runtime import service_settings
from labcert.services.verification import check_qr_token
from tests.factories import approve
from tests.pki.conftest import lab_config, upload
from tests.pki.loopback import LoopbackPki
from tests.workflow.conftest import Lab


@pytest.fixture
def app(make_app: Any, loopback: LoopbackPki, key_files: dict[str, Any]) -> Any:
    """Return an app that signs at B-LTA with the loopback PKI's lab key and first TSA."""
    application = make_app(**lab_config(loopback, key_files))
    with application.app_context():
        yield application


def test_refresh_archive_renews_once_and_earlier_downloads_still_verify(
        app: Flask, lab: Lab, loopback: LoopbackPki, key_files: dict[str, Any], make_app: Any,
        runner: Any, client: Any) -> None:
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    original, token = certificate.pdf, certificate.qr_token
    nothing_yet = runner.invoke(args=["pki", "refresh-archive", "--json"])
    renewing = make_app(**lab_config(loopback, key_files, tsa="tsa2"))  # the TSA's new cert
    with (time_machine.travel(loopback.expires("tsa") - dt.timedelta(days=200), tick=True),
          renewing.app_context()):  # the CLI runs in the app in context
        first = renewing.test_cli_runner().invoke(args=["pki", "refresh-archive"])
        second = renewing.test_cli_runner().invoke(args=["pki", "refresh-archive", "--json"])
    db.session.expire_all()
    renewed = db.session.get(Certificate, certificate.id)
    renewal = db.session.scalar(select(PdfRenewal))

    assert json.loads(nothing_yet.output)["renewed"] == []
    assert first.exit_code == 0, first.output
    assert "Renewing archives" in first.output and "renewed 1, failed 0" in first.output
    assert json.loads(second.output)["renewed"] == []  # idempotent
    assert renewed.pdf.startswith(original) and renewed.pdf != original
    assert renewed.pdf_sha256 == hashlib.sha256(renewed.pdf).hexdigest()
    assert renewal.previous_sha256 == hashlib.sha256(original).hexdigest()
    assert renewed.archive_until == loopback.expires("tsa2") == renewal.archive_until
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "certificate.archive_renew")).entity_id == renewed.number
    with time_machine.travel(loopback.expires("tsa") + dt.timedelta(days=30), tick=True):
        current = upload(client, renewed.pdf)
        earlier = upload(client, original)
        qr = check_qr_token(renewed, token, service_settings())
        status = client.get(f"/api/v1/verify/{renewed.number}").get_json()

    assert current["verdict"] == "authentic", current
    assert earlier["verdict"] == "authentic", earlier
    registered = next(c for c in earlier["checks"] if c["name"] == "registered")["message"]
    assert "issued before its archival renewal" in registered
    assert "checked through the lab's renewed copy" in registered
    assert earlier["sha256"] == hashlib.sha256(original).hexdigest()
    assert qr.ok, qr.message  # the QR seal covers the data, which never changed
    assert status["pdf_sha256"] == renewed.pdf_sha256


def test_refresh_archive_without_a_tsa_is_refused_in_one_line(make_app: Any) -> None:
    result = make_app().test_cli_runner().invoke(args=["pki", "refresh-archive"])

    assert result.exit_code == 1
    assert "no time-stamping authority: set LABCERT_TSA_URL" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_pki_status_shows_level_tsa_history_and_renewals_due(
        app: Flask, lab: Lab, loopback: LoopbackPki, runner: Any) -> None:
    approve(lab.reviewer, lab.submitted().id)
    now = json.loads(runner.invoke(args=["pki", "status", "--json"]).output)
    text = runner.invoke(args=["pki", "status"]).output
    with time_machine.travel(loopback.expires("tsa") - dt.timedelta(days=100), tick=True):
        later = json.loads(runner.invoke(args=["pki", "status", "--json"]).output)

    assert now["ok"] and now["level"] == "B-LTA"
    assert now["tsa"]["ok"] and "Answered in" in now["tsa"]["message"]
    assert [k["status"] for k in now["keys"]] == ["current"]
    assert now["renewal_due"] == 0
    assert "Signature level: PAdES B-LTA" in text and "Key history:" in text
    assert "Archival renewal due within 365 days: 0 certificates" in text
    assert later["renewal_due"] == 1
    assert any("run `labcert pki refresh-archive`" in w for w in later["warnings"])
    assert "expired on" in later["error"]  # the 1-year key is long gone by then


def test_the_signing_key_page_warns_about_b_b_and_an_unreachable_tsa(
        make_app: Any, auth_for: Any) -> None:
    page = auth_for(make_app())
    unreachable = auth_for(make_app(TSA_URL="http://127.0.0.1:9/tsa"))

    assert "PAdES B-B, without a time-stamp" in page and "Set LABCERT_TSA_URL" in page
    assert "No certificate has been signed yet." in page
    assert "did not answer" in unreachable and "not reachable" in unreachable


@pytest.fixture
def auth_for() -> Any:
    """Return a function that signs an admin into an app and returns its signing-key page."""
    from tests.factories import PASSWORD, make_user

    def page(application: Flask) -> str:
        with application.app_context():
            admin = make_user(role="admin")
            client = application.test_client()
            client.post("/login", data={"email": admin.email, "password": PASSWORD})
            return client.get("/admin/signing-key").get_data(as_text=True)

    return page


def test_the_daily_job_renews_what_falls_due(
        app: Flask, lab: Lab, loopback: LoopbackPki, key_files: dict[str, Any],
        make_app: Any) -> None:
    from labcert.jobs.schedule import run_daily

    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    quiet = run_daily("pki.refresh-archive", service_settings())
    renewing = make_app(**lab_config(loopback, key_files, tsa="tsa2"))
    with (time_machine.travel(loopback.expires("tsa") - dt.timedelta(days=100), tick=True),
          renewing.app_context()):
        due = run_daily("pki.refresh-archive", service_settings())
    db.session.expire_all()

    assert quiet.outcome == "examined 0, renewed 0, failed 0"
    assert due.outcome == "examined 1, renewed 1, failed 0"
    assert db.session.get(Certificate, certificate.id).archive_until == loopback.expires("tsa2")

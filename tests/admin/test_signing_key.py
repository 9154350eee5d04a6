"""Signing-key health: which key signs now and how long it stays valid, on a page and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from cryptography import x509

from labcert.pki import init_dev_pki
from tests.admin.conftest import text
from tests.factories import PASSWORD, make_user

STAFF_WHO_SEE_IT = ("admin", "reviewer")


@pytest.fixture
def dev_key(app, own_instance) -> x509.Certificate:
    """Create the development PKI in the test's instance folder; return the signing cert."""
    init_dev_pki(own_instance / "pki", app.config["LAB_NAME"])
    return x509.load_pem_x509_certificate((own_instance / "pki" / "signer.pem").read_bytes())


@pytest.mark.parametrize("role", STAFF_WHO_SEE_IT)
def test_administrators_and_reviewers_see_the_key_that_signs_now(
        client, auth, dev_key, role) -> None:
    auth.login_as(role)
    response = client.get("/admin/signing-key")
    page = text(response)
    assert response.status_code == 200
    assert "development PKI in" in page
    assert dev_key.subject.rfc4514_string() in page.replace("&#34;", '"')
    assert dev_key.not_valid_after_utc.isoformat() in page
    assert "This is the development key" in page
    assert "expires in" not in page


@pytest.mark.parametrize("role", ["technician", "manufacturer", "exporter"])
def test_other_roles_do_not_see_the_signing_key(client, auth, dev_key, role) -> None:
    auth.login_as(role)
    assert client.get("/admin/signing-key").status_code == 403


def test_a_key_expiring_within_60_days_is_flagged(client, auth, dev_key) -> None:
    auth.login_as("reviewer")
    with time_machine.travel(dev_key.not_valid_after_utc - dt.timedelta(days=30, hours=1),
                             tick=False):
        page = text(client.get("/admin/signing-key"))
    assert "The signing certificate expires in 30 days" in page
    assert "expires soon" in page


def test_a_missing_key_is_told_plainly(client, auth) -> None:
    auth.login_as("admin")
    page = text(client.get("/admin/signing-key"))
    assert "No certificate can be signed." in page
    assert "run `labcert pki init`" in page


def test_a_configured_key_file_that_is_missing_is_named(make_app, tmp_path) -> None:
    client = make_app(SIGNING_P12=str(tmp_path / "lab.p12")).test_client()
    admin = make_user(role="admin")
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    page = text(client.get("/admin/signing-key"))
    assert "PKCS#12 file" in page and "lab.p12: file not found" in page


def test_pki_status_prints_the_key_and_its_expiry(runner, dev_key) -> None:
    result = runner.invoke(args=["pki", "status"])
    assert result.exit_code == 0, result.output
    assert dev_key.subject.rfc4514_string() in result.output
    assert "DEVELOPMENT key" in result.output and "expires in" in result.output
    as_json = json.loads(runner.invoke(args=["pki", "status", "--json"]).output)
    assert as_json["ok"] is True
    assert as_json["info"]["is_development"] is True
    assert as_json["info"]["days_until_expiry"] > 1000


def test_pki_status_fails_with_a_one_line_reason_without_a_key(runner) -> None:
    result = runner.invoke(args=["pki", "status"])
    assert result.exit_code == 1
    assert "no usable signing key" in result.output
    assert len(result.output.strip().splitlines()) == 1
    as_json = runner.invoke(args=["pki", "status", "--json"])
    assert as_json.exit_code == 1 and json.loads(as_json.output)["ok"] is False

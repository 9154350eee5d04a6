"""The lab's keys over time, in the app: rotation without restart, compromise, keys.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Certificate, SigningKey
from labcert.pki import SigningKeyError, fingerprint
from labcert.runtime import service_settings
from labcert.services import review
from tests.factories import approve
from tests.pki.conftest import answer_check, lab_config, upload
from tests.pki.loopback import LoopbackPki
from tests.workflow.conftest import Lab


@pytest.fixture
def app(make_app: Any, loopback: LoopbackPki, key_files: dict[str, Any]) -> Any:
    """Return an app that signs at B-LTA with the loopback PKI's lab key."""
    application = make_app(**lab_config(loopback, key_files))
    with application.app_context():
        yield application


def _issue(lab: Lab, settings: Any = None, *, again: bool = False) -> Certificate:
    """Approve a new application; with settings, as a process holding them would."""
    application = lab.submitted_again() if again else lab.submitted()
    if settings is None:
        return approve(lab.reviewer, application.id).certificates[0]
    return review.approve(lab.reviewer, application.id, settings=settings).certificates[0]


def test_issuance_records_the_signer_the_level_and_the_archive_date(
        app: Flask, lab: Lab, loopback: LoopbackPki, client: Any) -> None:
    certificate = _issue(lab)
    key = db.session.scalar(select(SigningKey))
    body = upload(client, certificate.pdf)

    assert certificate.signer_fingerprint == fingerprint(loopback.cert("lab")) == key.fingerprint
    assert certificate.signature_level == "B-LTA"
    assert certificate.archive_until == loopback.expires("tsa")
    assert key.first_used_at == key.last_used_at == certificate.issued_at
    assert key.retired_at is None and key.source is None  # the configured key
    assert body["verdict"] == "authentic", body
    assert body["signature_level"] == "B-LTA"
    assert "Test TSA 1" in body["validated_by"]
    assert body["signer_fingerprint"] == key.fingerprint


def test_a_rotation_switches_a_running_process_and_old_certificates_stay_authentic(
        app: Flask, lab: Lab, loopback: LoopbackPki, key_files: dict[str, Any],
        runner: Any, client: Any) -> None:
    running = service_settings()  # what a worker holds from before the rotation
    before = _issue(lab, running)
    result = runner.invoke(args=["pki", "rotate", "--key", str(key_files["lab-next"]["key"]),
                                 "--cert", str(key_files["lab-next"]["cert"]),
                                 "--chain", str(key_files["chain"])])
    after = _issue(lab, running, again=True)
    keys = client.get("/.well-known/labcert/keys.json").get_json()
    did = client.get("/.well-known/did.json").get_json()

    assert result.exit_code == 0, result.output
    assert len(did["assertionMethod"]) == 2  # credentials of the retired key verify too
    assert "Now signing with" in result.output and "Test Lab Signing Key 2" in result.output
    assert before.signer_fingerprint == fingerprint(loopback.cert("lab"))
    assert after.signer_fingerprint == fingerprint(loopback.cert("lab-next"))
    assert [k["status"] for k in keys["keys"]] == ["retired", "current"]
    assert keys["keys"][1]["fingerprint"] == after.signer_fingerprint
    with time_machine.travel(loopback.expires("lab") + dt.timedelta(days=10), tick=True):
        old = upload(client, before.pdf)
    assert old["verdict"] == "authentic", old
    assert "The key has since been retired" in answer_check(old, "signer")["message"]
    assert upload(client, after.pdf)["verdict"] == "authentic"


def test_a_rotation_to_a_key_that_cannot_sign_changes_nothing(
        app: Flask, lab: Lab, runner: Any, tmp_path: Path, key_files: dict[str, Any]) -> None:
    _issue(lab)
    wrong = runner.invoke(args=["pki", "rotate", "--key", str(key_files["lab-next"]["key"]),
                                "--cert", str(key_files["lab"]["cert"])])
    same = runner.invoke(args=["pki", "rotate", "--key", str(key_files["lab"]["key"]),
                               "--cert", str(key_files["lab"]["cert"])])
    neither = runner.invoke(args=["pki", "rotate"])

    assert wrong.exit_code == 1 and "does not belong to the private key" in wrong.output
    assert len(wrong.output.strip().splitlines()) == 1
    assert same.exit_code == 1 and "already signs; nothing changed" in same.output
    assert neither.exit_code == 1 and "name the new key once" in neither.output
    assert db.session.scalar(select(func.count()).select_from(SigningKey)) == 1
    assert db.session.scalar(select(SigningKey)).retired_at is None


def test_a_running_process_refuses_an_expired_key_and_takes_no_number(
        app: Flask, lab: Lab, loopback: LoopbackPki) -> None:
    running = service_settings()
    application = lab.submitted()
    with time_machine.travel(loopback.expires("lab") + dt.timedelta(days=1), tick=True):
        with pytest.raises(SigningKeyError, match="expired on"):
            approve(lab.reviewer, application.id)
        with pytest.raises(SigningKeyError, match="expired on"):
            running.signer()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_a_compromised_key_flips_exactly_the_certificates_signed_after_the_date(
        app: Flask, lab: Lab, loopback: LoopbackPki, runner: Any, client: Any) -> None:
    running = service_settings()
    early = _issue(lab, running)
    later_day = loopback.built_at + dt.timedelta(days=40)
    with time_machine.travel(later_day, tick=True):
        late = _issue(lab, running, again=True)
    since = (loopback.built_at + dt.timedelta(days=30)).strftime("%Y-%m-%d")
    with time_machine.travel(later_day + dt.timedelta(days=1), tick=True):
        result = runner.invoke(args=["pki", "compromised", bytes.fromhex(
            early.signer_fingerprint).hex(":").upper(), "--since", since, "--reason", "stolen"])
        early_body, late_body = upload(client, early.pdf), upload(client, late.pdf)
        did = client.get("/.well-known/did.json").get_json()
        with pytest.raises(SigningKeyError, match="reported compromised"):
            running.signer()  # the running process stops signing with it

    assert result.exit_code == 0, result.output
    assert "1 certificates were issued with it since then" in result.output
    assert early_body["verdict"] == "authentic", early_body
    assert did["assertionMethod"] == []  # nothing the stolen key signs can verify as a credential
    assert late_body["verdict"] == "not_authentic"
    assert "signed with a key reported compromised" in answer_check(late_body, "signer")["message"]
    assert answer_check(late_body, "registered")["ok"]
    assert answer_check(late_body, "integrity")["ok"]


def test_reporting_an_unknown_or_malformed_fingerprint_is_one_line(
        app: Flask, runner: Any) -> None:
    unknown = runner.invoke(args=["pki", "compromised", "ab" * 32, "--since", "2026-01-01"])
    malformed = runner.invoke(args=["pki", "compromised", "xyz", "--since", "2026-01-01"])

    assert unknown.exit_code == 1 and "No signing key with fingerprint" in unknown.output
    assert malformed.exit_code == 1 and "not a SHA-256 fingerprint" in malformed.output


def test_offline_verify_uses_the_published_keys_json(
        app: Flask, lab: Lab, runner: Any, client: Any, tmp_path: Path) -> None:
    certificate = _issue(lab)
    keys = tmp_path / "keys.json"
    keys.write_bytes(client.get("/.well-known/labcert/keys.json").data)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate.pdf)
    foreign = tmp_path / "other-keys.json"
    document = json.loads(keys.read_text())
    document["keys"] = []
    foreign.write_text(json.dumps(document))

    good = runner.invoke(args=["verify", "--keys", str(keys), str(pdf), "--json"])
    offline = runner.invoke(args=["verify", "--keys", str(keys), "--offline", str(pdf)])
    qr = runner.invoke(args=["verify", "--keys", str(keys), "--qr", certificate.qr_token])
    without_the_key = runner.invoke(args=["verify", "--keys", str(foreign), str(pdf)])

    assert good.exit_code == 0, good.output
    assert json.loads(good.output)["signature_level"] == "B-LTA"
    assert offline.exit_code == 0, offline.output  # fresh: the document's own data suffices
    assert "validated at" in offline.output
    assert qr.exit_code == 0 and "QR token AUTHENTIC" in qr.output
    assert without_the_key.exit_code == 0  # no key list: any key under the anchors
    assert keys.read_text().count("BEGIN CERTIFICATE") >= 2

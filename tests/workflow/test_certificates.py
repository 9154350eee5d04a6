"""Issuance in one transaction, numbering, lifecycle and the registry's answers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import AuditEvent, Certificate, CertificateCounter
from labcert.pki import verify_pdf
from labcert.signing import current_signer
from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def test_numbers_follow_the_year_and_count_up_without_gaps(lab) -> None:
    first = approve(lab.reviewer, lab.submitted().id).certificates[0]
    second = approve(lab.reviewer, lab.submitted_again().id).certificates[0]
    year = first.issued_at.year
    assert (first.number, second.number) == (f"LC-{year}-000001", f"LC-{year}-000002")


def test_the_registry_keeps_what_was_issued(certificate) -> None:
    signer = current_signer()
    checked = verify_pdf(certificate.pdf, list(signer.trust_roots), signer.certificate)
    assert checked.authentic
    assert checked.attached_json == json.loads(json.dumps(certificate.snapshot))
    assert certificate.snapshot["evaluation"]["verdict"] == "pass"
    assert certificate.template == "certificate/certificate.html"
    assert certificate.engine_version and certificate.criteria_set.startswith("pk-pta@")


def test_a_rendering_failure_rolls_back_everything_and_uses_no_number(lab, monkeypatch) -> None:
    application = lab.submitted()
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("labcert.services.issuance.render_certificate_pdf", broken)
    with pytest.raises(RuntimeError):
        approve(lab.reviewer, application.id)
    db.session.expire_all()
    assert application.state == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert (db.session.scalar(select(CertificateCounter.last_value)) or 0) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
    monkeypatch.undo()
    number = approve(lab.reviewer, application.id).certificates[0].number
    assert number.endswith("-000001")


def test_an_unreadable_key_refuses_approval_with_503_and_saves_nothing(lab, make_app, api,
                                                                       tmp_path) -> None:
    application = lab.submitted()
    garbage = tmp_path / "key.pem"
    garbage.write_text("not a key")
    app = make_app(SIGNING_KEY=str(garbage), SIGNING_CERT=str(garbage))
    client = app.test_client()
    token = api(lab.reviewer).token
    with app.app_context():
        response = client.post(f"/api/v1/applications/{application.id}/approve", json={},
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert "key" in response.get_json()["message"].lower()
    db.session.expire_all()
    assert application.state == "submitted"


@pytest.mark.parametrize(("actions", "final"), [
    (["suspend"], "suspended"), (["suspend", "reinstate"], "valid"),
    (["withdraw"], "withdrawn"), (["suspend", "withdraw"], "withdrawn")])
def test_lifecycle_actions_change_status_with_a_reason(lab, api, certificate, actions,
                                                       final) -> None:
    caller = api(lab.reviewer)
    for action in actions:
        response = caller.post(f"/api/v1/certificates/{certificate.number}/{action}",
                               json={"reason": f"{action} after market surveillance"})
        assert response.status_code == 200, response.get_json()
    body = caller.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert body["status"] == final
    assert [e["action"] for e in body["events"]] == ["issue", *actions]


@pytest.mark.parametrize(("setup", "action"), [
    ([], "reinstate"), (["withdraw"], "suspend"), (["withdraw"], "reinstate")])
def test_refused_lifecycle_actions_say_the_status(lab, api, certificate, setup, action) -> None:
    caller = api(lab.reviewer)
    for step in setup:
        caller.post(f"/api/v1/certificates/{certificate.number}/{step}", json={"reason": "x"})
    response = caller.post(f"/api/v1/certificates/{certificate.number}/{action}",
                           json={"reason": "try"})
    assert response.status_code == 409 and "it is" in response.get_json()["message"]


def test_a_lifecycle_action_without_a_reason_is_refused(lab, api, certificate) -> None:
    response = api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/suspend",
                                      json={"reason": " "})
    assert response.status_code == 422 and "reason" in response.get_json()["details"]


def test_an_amendment_is_a_new_signed_revision_and_supersedes_the_old(lab, api,
                                                                      certificate) -> None:
    response = api(lab.reviewer).post(
        f"/api/v1/certificates/{certificate.number}/amend",
        json={"reason": "marketing name added", "changes": {"marketing_name": "Indus Pro 5"}})
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert new["number"] == certificate.number + "-R1" and new["revision"] == 1
    assert new["supersedes"] == certificate.number
    old = api(lab.reviewer).get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert old["status"] == "superseded" and old["superseded_by"] == new["number"]
    stored = db.session.scalar(select(Certificate).where(Certificate.number == new["number"]))
    assert stored.snapshot["product"]["marketing_name"] == "Indus Pro 5"
    signer = current_signer()
    assert verify_pdf(stored.pdf, list(signer.trust_roots), signer.certificate).authentic


def test_an_amendment_of_an_unknown_field_is_refused(lab, api, certificate) -> None:
    response = api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/amend",
                                      json={"reason": "x", "changes": {"tacs": ["1"]}})
    assert response.status_code == 422 and "changes.tacs" in response.get_json()["details"]


def test_expired_is_derived_from_valid_until_everywhere(lab, api, certificate) -> None:
    days = (certificate.valid_until - certificate.issued_at.date()).days + 1
    with time_machine.travel(timedelta(days=days)):
        assert api(lab.maker).get(f"/api/v1/certificates/{certificate.number}") \
            .get_json()["status"] == "expired"
        assert api(lab.maker).client.get(f"/api/v1/verify/{certificate.number}") \
            .get_json()["status"] == "expired"


def test_the_lab_logo_is_pinned_in_the_snapshot_and_drawn_on_the_certificate(lab,
                                                                             monkeypatch) -> None:
    import hashlib

    from labcert.services.organizations import find_lab, set_logo

    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
           b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe"
           b"\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
    set_logo(None, find_lab().id, png)
    seen = {}
    from labcert.services import issuance

    original = issuance.build_context

    def spy(*args, **kwargs):
        seen["logo"] = kwargs.get("lab_logo")
        return original(*args, **kwargs)

    monkeypatch.setattr(issuance, "build_context", spy)
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    assert certificate.snapshot["lab"]["logo_sha256"] == hashlib.sha256(png).hexdigest()
    assert seen["logo"].startswith("data:image/png;base64,")

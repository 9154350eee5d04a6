"""Every verification outcome has its own answer and message (API and pages)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import VerificationLog
from labcert.pki import SigningSettings, init_dev_pki, load_signer
from labcert.runtime import service_settings
from labcert.services.issuance import render_and_sign
from labcert.signing import current_signer
from labcert.specimen import specimen_facts
from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def _upload(client, data: bytes, name: str = "certificate.pdf"):
    return client.post("/api/v1/verify/pdf", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _checks(body) -> dict[str, bool]:
    return {c["name"]: c["ok"] for c in body["checks"]}


def test_an_unknown_number_is_told_plainly(client) -> None:
    response = client.get("/api/v1/verify/LC-2026-999999")
    assert response.status_code == 404
    assert "is registered by this lab" in response.get_json()["message"]
    assert response.get_json()["message"].startswith("No certificate numbered")
    page = client.get("/verify/LC-2026-999999")
    assert page.status_code == 404 and "Not registered" in page.get_data(as_text=True)


def test_an_authentic_valid_certificate(client, certificate) -> None:
    body = _upload(client, certificate.pdf).get_json()
    assert body["verdict"] == "authentic" and body["status"] == "valid"
    assert all(_checks(body).values())
    assert {c["name"] for c in body["checks"]} >= {"signature", "signer", "integrity",
                                                   "registered", "status"}
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "In force" in page and '"@type": "Certification"' in page


@pytest.mark.parametrize(("action", "status", "words"), [
    ("suspend", "suspended", "Suspended"), ("withdraw", "withdrawn", "Withdrawn")])
def test_a_revoked_certificate_is_authentic_but_not_in_force(
        lab, api, client, certificate, action, status, words) -> None:
    api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/{action}",
                           json={"reason": "failed market surveillance sample"})
    body = _upload(client, certificate.pdf).get_json()
    assert body["verdict"] == "authentic" and body["status"] == status
    status_check = next(c for c in body["checks"] if c["name"] == "status")
    assert not status_check["ok"] and "failed market surveillance" in status_check["message"]
    answer = client.get(f"/api/v1/verify/{certificate.number}").get_json()
    assert answer["status"] == status and answer["status_message"].startswith(words)
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert f"Not in force: {status}" in page and "failed market surveillance" in page


def test_a_superseded_certificate_points_to_its_successor(lab, api, client, certificate) -> None:
    new = api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/amend",
                                 json={"reason": "new software", "changes": {
                                     "software_version": "2.0"}}).get_json()
    answer = client.get(f"/api/v1/verify/{certificate.number}").get_json()
    assert answer["status"] == "superseded" and answer["superseded_by"] == new["number"]
    assert new["number"] in client.get(f"/verify/{certificate.number}").get_data(as_text=True)


def test_an_expired_certificate_is_expired(client, certificate) -> None:
    days = (certificate.valid_until - certificate.issued_at.date()).days + 1
    with time_machine.travel(timedelta(days=days)):
        body = _upload(client, certificate.pdf).get_json()
        assert body["verdict"] == "authentic" and body["status"] == "expired"
        assert "Expired" in client.get(f"/verify/{certificate.number}").get_data(as_text=True)


def test_a_flipped_byte_is_tampering(client, certificate) -> None:
    pdf = bytearray(certificate.pdf)
    middle = len(pdf) // 3
    pdf[middle] ^= 0x01
    body = _upload(client, bytes(pdf)).get_json()
    assert body["verdict"] == "not_authentic"
    checks = _checks(body)
    assert not (checks["signature"] and checks["integrity"]) and not checks["registered"]


def test_an_appended_update_is_tampering(client, certificate) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(certificate.pdf))
    writer.root["/LabCertNote"] = generic.TextStringObject("valid until 2099")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue() != certificate.pdf
    body = _upload(client, out.getvalue()).get_json()
    assert body["verdict"] == "not_authentic"
    integrity = next(c for c in body["checks"] if c["name"] == "integrity")
    assert not integrity["ok"] and integrity["message"]


def test_a_pdf_signed_by_a_foreign_key_is_not_from_the_lab(client, certificate, tmp_path) -> None:
    init_dev_pki(tmp_path / "forger", "Forgery Ltd")
    forger = load_signer(SigningSettings(dev_dir=tmp_path / "forger"))
    pdf, _ = render_and_sign(forger, certificate.facts, service_settings())
    body = _upload(client, pdf).get_json()
    assert body["verdict"] == "not_authentic"
    checks = _checks(body)
    assert checks["signature"] and not checks["signer"]


def test_a_validly_signed_but_unregistered_pdf_is_not_authentic(app, client) -> None:
    pdf, _ = render_and_sign(current_signer(), specimen_facts(), service_settings())
    body = _upload(client, pdf).get_json()
    checks = _checks(body)
    assert checks["signature"] and checks["signer"] and checks["integrity"]
    assert not checks["registered"] and body["verdict"] == "not_authentic"


def test_a_file_that_is_not_a_pdf_is_refused_as_such(client) -> None:
    response = _upload(client, b"PK\x03\x04 a zip file", "certificate.pdf")
    assert response.status_code == 415
    assert "not a PDF" in response.get_json()["message"]


def test_an_oversized_upload_is_refused(make_app) -> None:
    client = make_app(MAX_UPLOAD_BYTES=1000).test_client()
    response = _upload(client, b"%PDF-1.7\n" + b"0" * 5000)
    assert response.status_code == 413


def test_a_forged_or_edited_qr_token_is_detected(client, certificate) -> None:
    good = client.get(f"/verify/{certificate.number}?t={certificate.qr_token}")
    assert "QR code genuine" in good.get_data(as_text=True)
    edited = certificate.qr_token[:-3] + ("AAA" if not certificate.qr_token.endswith("AAA")
                                          else "BBB")
    bad = client.get(f"/verify/{certificate.number}?t={edited}").get_data(as_text=True)
    assert "QR code not genuine" in bad
    forged = client.get(f"/verify/{certificate.number}?t=NOT-A-TOKEN").get_data(as_text=True)
    assert "QR code not genuine" in forged


def test_every_verification_is_logged_without_personal_data(client, certificate) -> None:
    client.get(f"/api/v1/verify/{certificate.number}")
    _upload(client, certificate.pdf)
    rows = db.session.scalars(select(VerificationLog)).all()
    assert {r.channel for r in rows} >= {"api", "api_pdf"}
    assert all(r.certificate_number == certificate.number for r in rows)


def test_a_shipment_is_checked_per_imei(lab, client, certificate) -> None:
    imeis = ["352099001761481", "864592050123455", "352099001761482", "490154203237518"]
    body = client.post("/api/v1/verify/shipment",
                       json={"market": "pk-pta", "imeis": imeis}).get_json()
    covered = {i["imei"]: i["covered"] for i in body["items"]}
    assert covered == {imeis[0]: True, imeis[1]: True, imeis[2]: False, imeis[3]: False}
    assert body["items"][2]["luhn_valid"] is False
    assert "No certificate" in body["items"][3]["reason"]
    eu = client.post("/api/v1/verify/shipment", json={"market": "eu-red", "imeis": imeis[:1]})
    assert eu.get_json()["items"][0]["covered"] is False


def test_a_suspended_certificate_does_not_cover_a_shipment(lab, api, client, certificate) -> None:
    api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/suspend",
                           json={"reason": "audit"})
    item = client.post("/api/v1/verify/shipment", json={
        "market": "pk-pta", "imeis": ["352099001761481"]}).get_json()["items"][0]
    assert item["covered"] is False and item["status"] == "suspended"


def test_shipment_input_errors_name_the_field(client) -> None:
    response = client.post("/api/v1/verify/shipment", json={"market": "mars", "imeis": []})
    assert response.status_code == 422
    assert {"market", "imeis"} <= set(response.get_json()["details"])
    too_many = client.post("/api/v1/verify/shipment",
                           json={"market": "pk-pta", "imeis": ["1"] * 10_001})
    assert too_many.status_code == 422


def test_public_endpoints_are_rate_limited_with_retry_after(make_app, certificate) -> None:
    client = make_app(PUBLIC_RATE_LIMIT="2 per minute").test_client()
    for _ in range(2):
        client.get(f"/api/v1/verify/{certificate.number}")
    response = client.get(f"/api/v1/verify/{certificate.number}")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert db.session.scalar(select(func.count()).select_from(VerificationLog)) >= 2


def test_the_trust_anchor_is_published(client) -> None:
    root = client.get("/.well-known/labcert/root.pem")
    assert root.status_code == 200 and b"BEGIN CERTIFICATE" in root.data
    assert b"BEGIN CERTIFICATE" in client.get("/.well-known/labcert/signer.pem").data


def test_the_offline_verifier_accepts_an_authentic_pdf_and_refuses_a_tampered_one(
        runner, client, certificate, tmp_path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(certificate.pdf)
    root = tmp_path / "root.pem"
    root.write_bytes(client.get("/.well-known/labcert/root.pem").data)
    signer = tmp_path / "signer.pem"
    signer.write_bytes(client.get("/.well-known/labcert/signer.pem").data)
    result = runner.invoke(args=["verify", str(good), "--root", str(root),
                                 "--signer", str(signer)])
    assert result.exit_code == 0, result.output
    assert "AUTHENTIC" in result.output and certificate.number in result.output
    bad = tmp_path / "bad.pdf"
    data = bytearray(certificate.pdf)
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    refused = runner.invoke(args=["verify", str(bad), "--root", str(root)])
    assert refused.exit_code == 1 and "NOT AUTHENTIC" in refused.output


def test_the_qr_token_is_checked_offline(runner, certificate) -> None:
    ok = runner.invoke(args=["verify", "--qr", certificate.qr_token])
    assert ok.exit_code == 0 and certificate.number in ok.output
    forged = runner.invoke(args=["verify", "--qr", certificate.qr_token[:-4] + "ABCD"])
    assert forged.exit_code == 1 and "NOT AUTHENTIC" in forged.output


def test_the_shipment_page_checks_pasted_or_uploaded_imeis_and_downloads_csv(
        client, certificate) -> None:
    pasted = client.post("/verify/shipment", data={
        "market": "pk-pta", "imeis": "352099001761481\n352099001761482\n"})
    page = pasted.get_data(as_text=True)
    assert pasted.status_code == 200 and "1 of 2 covered" in page
    uploaded = client.post("/verify/shipment", data={
        "market": "pk-pta", "imeis": "",
        "file": (io.BytesIO(b"imei\n864592050123455\n"), "shipment.csv")},
        content_type="multipart/form-data")
    assert "1 of 1 covered" in uploaded.get_data(as_text=True)
    download = client.post("/verify/shipment", data={
        "market": "pk-pta", "imeis": "352099001761481\n", "format": "csv"})
    assert download.mimetype == "text/csv"
    lines = download.get_data(as_text=True).splitlines()
    assert lines[0].startswith("imei,luhn_valid,certificate,status,covered")
    assert lines[1].startswith(f"352099001761481,True,{certificate.number},valid,True")
    refused = client.post("/verify/shipment", data={"market": "pk-pta", "imeis": ""})
    assert refused.status_code == 422

"""An exporter's history of checks: the answer then, the status now (issue 13, item 10)."""

from __future__ import annotations

import io

import pytest

from labcert.extensions import db
from labcert.models import VerificationLog
from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def _history_rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return body.split("<tr")[1:]


def test_an_exporter_sees_the_checks_they_ran_then_and_now(
        lab, api, client, auth, certificate) -> None:
    auth.login_as("exporter")
    client.get(f"/verify/{certificate.number}")
    client.post("/verify/pdf", data={"file": (io.BytesIO(certificate.pdf), "c.pdf")},
                content_type="multipart/form-data")
    client.post("/verify/shipment", data={"market": "pk-pta",
                                          "imeis": "352099001761481\n490154203237518\n"})
    api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/suspend",
                           json={"reason": "audit"})

    response = client.get("/verify/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<span class="count">3</span>' in page
    shipment, pdf, number = _history_rows(page)  # newest first
    assert "1 of 2 IMEIs covered" in shipment and "Pakistan — PTA type approval" in shipment
    assert "not kept" in shipment and "badge-fail" in shipment
    assert "authentic, valid" in pdf and "PDF" in pdf and certificate.number in pdf
    assert 'badge-pass">valid</span>' in number and ">number<" in number
    for row in (pdf, number):
        assert "badge-pass" in row  # in force then
        assert "badge-suspended" in row and "changed since" in row  # not any more


def test_checks_of_others_and_of_visitors_are_not_in_anyones_history(
        client, auth, certificate) -> None:
    client.get(f"/verify/{certificate.number}")  # a visitor
    first = auth.login_as("exporter")
    client.get(f"/verify/{certificate.number}")
    auth.logout()
    auth.login_as("exporter")  # another exporter
    page = client.get("/verify/history").get_data(as_text=True)
    assert "No check yet" in page
    rows = db.session.query(VerificationLog.user_id).order_by(VerificationLog.id).all()
    assert [r[0] for r in rows] == [None, first.id]


@pytest.mark.parametrize("role", ["technician", "reviewer", "manufacturer", "admin"])
def test_only_exporters_have_a_history_page(client, auth, role) -> None:
    auth.login_as(role)
    assert client.get("/verify/history").status_code == 403


def test_a_visitor_is_sent_to_sign_in(client) -> None:
    assert client.get("/verify/history").status_code == 302


def test_a_forged_qr_code_is_remembered_as_such_not_as_the_registered_status(
        client, auth, certificate) -> None:
    auth.login_as("exporter")
    client.get(f"/verify/{certificate.number}?t={certificate.qr_token}")
    client.get(f"/verify/{certificate.number}?t=FORGED0TOKEN")
    forged, genuine = _history_rows(client.get("/verify/history").get_data(as_text=True))
    assert "QR code not genuine" in forged and "badge-fail" in forged
    assert 'badge-pass">valid</span>' in genuine and ">QR code<" in genuine
    outcomes = [r.outcome for r in db.session.query(VerificationLog).order_by(VerificationLog.id)]
    assert outcomes == ["valid", "qr_not_genuine:valid"]  # one row per check

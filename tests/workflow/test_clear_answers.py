"""Verification answers that cannot be misread, on screen and on paper (issue 13, item 7)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def _verdicts(page: str) -> list[str]:
    """Return the classes of the verdict boxes in page order ('ok' or 'bad')."""
    return re.findall(r'class="verdict verdict-(ok|bad)"', page)


def test_a_genuine_qr_code_shows_the_status_and_the_seal(client, certificate) -> None:
    page = client.get(f"/verify/{certificate.number}?t={certificate.qr_token}")
    assert _verdicts(page.get_data(as_text=True)) == ["ok", "ok"]


@pytest.mark.parametrize("token", ["edited", "NOT-A-TOKEN", "foreign"])
def test_a_tampered_or_foreign_qr_code_never_shows_a_green_box(
        lab, client, certificate, token) -> None:
    if token == "edited":
        token = certificate.qr_token[:-3] + ("AAA" if not certificate.qr_token.endswith("AAA")
                                             else "BBB")
    elif token == "foreign":  # the genuine seal of another certificate
        token = approve(lab.reviewer, lab.submitted_again().id).certificates[0].qr_token
    page = client.get(f"/verify/{certificate.number}?t={token}").get_data(as_text=True)
    assert _verdicts(page) == ["bad"]
    assert "In force" not in page and "badge-valid" not in page
    lead = page.index("verdict-bad")
    assert page.index("QR code not genuine") > lead > page.index("<h1>")
    assert "may be forged or altered" in page and ".." not in page
    assert "What the register says about" in page  # the record, plainly for comparison


def test_a_file_that_is_not_a_pdf_gets_the_form_again_with_the_reason(client) -> None:
    response = client.post("/verify/pdf", data={
        "file": (io.BytesIO(b"PK\x03\x04 a zip file"), "certificate.pdf")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 415
    assert "This file is not a PDF" in page and 'id="file-error"' in page
    assert 'action="/verify/pdf"' in page and "Certificate number" in page
    api = client.post("/api/v1/verify/pdf", data={
        "file": (io.BytesIO(b"PK\x03\x04"), "certificate.pdf")},
        content_type="multipart/form-data")
    assert api.status_code == 415 and api.is_json


def test_an_oversized_file_gets_the_form_again_too(make_app) -> None:
    client = make_app(MAX_UPLOAD_BYTES=1000).test_client()
    response = client.post("/verify/pdf", data={
        "file": (io.BytesIO(b"%PDF-1.7\n" + b"0" * 5000), "big.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "larger than the limit" in response.get_data(as_text=True)
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_an_answer_states_for_print_the_lab_the_time_and_the_address(
        app, client, certificate) -> None:
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    head = page[page.index('class="print-only printed-head"'):]
    assert app.config["LAB_NAME"] in head.split("</div>")[0]
    assert re.search(r"checked \d{4}-\d\d-\d\d \d\d:\d\d UTC", head)
    assert f"http://localhost/verify/{certificate.number}" in head.split("</div>")[0]
    css = (Path(app.static_folder) / "css" / "labcert.css").read_text()
    printed = css[css.index("@media print"):]
    assert ".topbar" in printed and ".print-only { display: block; }" in printed

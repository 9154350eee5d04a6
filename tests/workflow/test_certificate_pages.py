"""Certificate pages: manufacturers download their own, reviewers manage the lifecycle."""

from __future__ import annotations

import hashlib

import pytest

from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def test_a_manufacturer_lists_and_downloads_its_certificate(lab, client, auth,
                                                            certificate) -> None:
    auth.login(lab.maker.email)
    assert certificate.number in client.get("/certificates/").get_data(as_text=True)
    response = client.get(f"/certificates/{certificate.number}/pdf")
    assert response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == certificate.pdf_sha256


def test_another_manufacturer_gets_404_on_every_certificate_page(lab, client, auth,
                                                                 certificate) -> None:
    auth.login(lab.other_maker.email)
    assert certificate.number not in client.get("/certificates/").get_data(as_text=True)
    for path in ("", "/pdf"):
        assert client.get(f"/certificates/{certificate.number}{path}").status_code == 404


def test_a_reviewer_suspends_with_a_reason_and_the_history_shows_it(lab, client, auth,
                                                                    certificate) -> None:
    auth.login(lab.reviewer.email)
    refused = client.post(f"/certificates/{certificate.number}/status",
                          data={"action": "suspend", "reason": ""})
    assert refused.status_code == 422 and "Give the reason" in refused.get_data(as_text=True)
    done = client.post(f"/certificates/{certificate.number}/status",
                       data={"action": "suspend", "reason": "factory audit pending"},
                       follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "suspend recorded" in page and "factory audit pending" in page


def test_a_reviewer_amends_and_lands_on_the_new_revision(lab, client, auth, certificate) -> None:
    auth.login(lab.reviewer.email)
    response = client.post(f"/certificates/{certificate.number}/amend",
                           data={"amend-reason": "new software",
                                 "amend-software_version": "OS 2.1"},
                           follow_redirects=True)
    assert f"{certificate.number}-R1" in response.get_data(as_text=True)


def test_a_technician_cannot_change_a_certificate_status(lab, client, auth, certificate) -> None:
    auth.login(lab.technician.email)
    response = client.post(f"/certificates/{certificate.number}/status",
                           data={"action": "withdraw", "reason": "x"})
    assert response.status_code == 403


def test_the_two_reason_boxes_on_the_certificate_page_have_their_own_labels(
        lab, client, auth, certificate) -> None:
    auth.login(lab.reviewer.email)
    page = client.get(f"/certificates/{certificate.number}").get_data(as_text=True)
    assert page.count('id="reason"') == 1 and page.count('id="amend-reason"') == 1
    assert '<label for="amend-reason">' in page

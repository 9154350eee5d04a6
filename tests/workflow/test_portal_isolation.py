"""Manufacturers see only their own applications and certificates: 404 for anyone else's."""

from __future__ import annotations

import pytest

from tests.factories import approve


@pytest.fixture
def approved(lab):
    approval = approve(lab.reviewer, lab.submitted().id)
    return approval.application, approval.certificates[0]


@pytest.mark.parametrize("path", [
    "/api/v1/applications/{app}", "/api/v1/applications/{app}/evaluation",
    "/api/v1/certificates/{cert}", "/api/v1/certificates/{cert}/pdf"])
def test_another_manufacturer_gets_404_through_the_api(lab, api, approved, path) -> None:
    application, certificate = approved
    url = path.format(app=application.id, cert=certificate.number)
    assert api(lab.maker).get(url).status_code == 200
    response = api(lab.other_maker).get(url)
    assert response.status_code == 404
    assert set(response.get_json()) == {"error", "message", "details"}


def test_lists_show_a_manufacturer_only_its_own(lab, api, approved) -> None:
    assert api(lab.maker).get("/api/v1/applications").get_json()["total"] == 1
    assert api(lab.other_maker).get("/api/v1/applications").get_json()["items"] == []
    assert api(lab.other_maker).get("/api/v1/certificates").get_json()["total"] == 0


def test_a_manufacturer_applies_only_for_itself(lab, api) -> None:
    from tests.workflow.conftest import example

    ex = example()
    response = api(lab.other_maker).post("/api/v1/applications", json={
        "manufacturer_id": lab.manufacturer.id, "markets": ["pk-pta"],
        "product": {"brand": "X", "model": "Y", "tacs": list(ex.product.tacs)}})
    assert response.status_code == 201
    assert response.get_json()["manufacturer"]["id"] == lab.other_maker.organization_id


def test_the_downloaded_pdf_is_exactly_the_registered_bytes(lab, api, approved) -> None:
    import hashlib

    _, certificate = approved
    response = api(lab.maker).get(f"/api/v1/certificates/{certificate.number}/pdf")
    assert response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == certificate.pdf_sha256

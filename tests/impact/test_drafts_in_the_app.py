"""The shipped draft eu-red@2027.01 is visible and analysable but never judges anything new."""

from __future__ import annotations

from datetime import date

import pytest

from labcert.errors import ValidationFailed
from labcert.services.applications import create_application
from labcert.services.evaluations import evaluate_application
from tests.impact.conftest import certify, eu_items

DRAFT = "eu-red@2027.01"


def test_the_stateless_evaluation_refuses_the_draft(api) -> None:
    response = api().post("/api/v1/evaluate", json={"criteria_set": DRAFT, "product": {},
                                                    "results": []})
    assert response.status_code == 422
    assert "is a draft" in response.get_json()["details"]["criteria_set"][0]


def test_an_application_cannot_target_the_draft(eu_lab) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create_application(eu_lab.technician, product={"brand": "B", "model": "M"},
                           markets=[DRAFT], manufacturer_id=eu_lab.manufacturer.id)
    assert "is a draft" in caught.value.details["markets.0"][0]


def test_after_the_draft_date_applications_are_still_judged_by_the_published_set(eu_lab):
    certificate = certify(eu_lab, "DRAFT-1", eu_items(eu_lab))
    from labcert.extensions import db
    from labcert.models import Application

    application = db.session.get(Application, certificate.application_id)
    (later,) = evaluate_application(application, date(2027, 6, 1))
    assert later.criteria_set.ref == "eu-red@2026.11"
    assert "eco.ingress" not in {o.criterion for o in later.evaluation.outcomes}
    assert later.evaluation.verdict == "pass"


def test_the_criteria_page_and_api_show_the_draft_as_draft(client, auth) -> None:
    data = client.get(f"/api/v1/criteria-sets/{DRAFT}").get_json()
    assert data["status"] == "draft" and data["version"] == "2027.01"
    listed = {s["version"]: s["status"] for s in client.get("/api/v1/criteria-sets").get_json()
              if s["id"] == "eu-red"}
    assert listed["2027.01"] == "draft" and listed["2026.11"] == "active"
    auth.login_as("technician")
    assert "draft" in client.get(f"/criteria/{DRAFT}").get_data(as_text=True)

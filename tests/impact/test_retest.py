"""The re-test path: a follow-up pre-filled with exactly the rows needed, approved into `-R1`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from labcert.errors import Conflict, PermissionDenied
from labcert.extensions import db
from labcert.models import Certificate, TestResult
from labcert.runtime import service_settings
from labcert.services import follow_up, impact
from labcert.services.applications import submit_application
from labcert.services.results import add_results
from labcert.services.samples import add_sample
from tests.factories import approve
from tests.impact.conftest import certify, eu_items, measured, new_imei
from tests.impact.test_impact_classes import ESD_8KV, LOUD_SPURIOUS, SPURIOUS_3600
from tests.impact.versions import ADDED, NEXT, TIGHTENED

ESD_ROW = {"test": "emc.esd", "conditions": {"discharge": "contact", "level_kv": "8"},
           "why": "missing", "criteria": [ADDED]}
SPURIOUS_ROW = {"test": "rf.spurious", "conditions": {"frequency_mhz": {"min": "1000",
                                                                        "max": "12750"}},
                "why": "re-measure", "criteria": [TIGHTENED]}


def _results_of(application_id: int) -> list[TestResult]:
    return list(db.session.scalars(select(TestResult).where(
        TestResult.application_id == application_id)))


def test_a_failing_and_incomplete_certificate_is_retested_into_r1(eu_lab, published_next):
    lab, today = eu_lab, service_settings().today()
    old = certify(lab, "E-BOTH", eu_items(lab, drop=[SPURIOUS_3600], add=[LOUD_SPURIOUS]))

    application = follow_up.open_follow_up(lab.technician, old.number, NEXT, today)
    plan = application.follow_up
    assert plan["rows"] == [ESD_ROW, SPURIOUS_ROW]  # exactly the missing and the failing rows
    loud = [r.id for r in _results_of(old.application_id)
            if r.test_code == "rf.spurious" and str(r.conditions["frequency_mhz"]) == "3600"]
    assert len(loud) == 1 and plan["replaced"] == loud
    assert set(plan["carried"]) == {r.id for r in _results_of(old.application_id)} - set(loud)
    assert application.markets == [NEXT] and application.product_id == old.product_id
    assert application.manufacturer_id == old.holder_id and application.state == "draft"

    imei = new_imei()
    add_sample(lab.technician, application.id, imei=imei, received_at=today)
    add_results(lab.technician, application.id, measured(
        {**ESD_8KV, "sample_imei": imei},
        {**LOUD_SPURIOUS, "value": "-42.0", "sample_imei": imei,
         "instrument": lab.instrument.asset_tag}))
    submit_application(lab.technician, application.id)
    approval = approve(lab.reviewer, application.id)

    (new,) = approval.certificates
    assert new.number == f"{old.number}-R1" and new.revision == 1
    assert new.base_number == old.base_number and new.criteria_set == NEXT
    assert new.supersedes_id == old.id
    db.session.refresh(old)
    assert old.status == "superseded" and old.superseded_by_id == new.id
    assert "superseded by " + new.number in old.status_reason
    assert new.facts.certificate.supersedes == old.number

    report = impact.analyse(published_next, today)
    assert {c["number"]: c["impact"] for c in report["certificates"]} == {new.number: "unaffected"}


def test_an_incomplete_certificate_gets_only_the_missing_row(eu_lab, published_next):
    lab, today = eu_lab, service_settings().today()
    old = certify(lab, "B-NO8KV", eu_items(lab))
    application = follow_up.open_follow_up(lab.technician, old.number, NEXT, today)
    assert application.follow_up["rows"] == [ESD_ROW]
    assert set(application.follow_up["carried"]) == {r.id for r in _results_of(old.application_id)}
    assert application.follow_up["replaced"] == []


def test_an_unaffected_certificate_needs_no_follow_up(eu_lab, published_next):
    lab = eu_lab
    old = certify(lab, "A-ALL", eu_items(lab, add=[ESD_8KV]))
    with pytest.raises(Conflict, match="unaffected"):
        follow_up.open_follow_up(lab.technician, old.number, NEXT, service_settings().today())
    with pytest.raises(PermissionDenied):
        follow_up.open_follow_up(lab.maker, old.number, NEXT, service_settings().today())


def test_the_api_opens_a_follow_up_for_the_draft_judged_by_the_version_in_force(
        eu_lab, api, client, auth):
    old = certify(eu_lab, "G-DRAFT", eu_items(eu_lab))
    response = api(eu_lab.technician).post(f"/api/v1/certificates/{old.number}/follow-up",
                                           json={"criteria_set": "eu-red@2027.01"})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["follow_up"]["rows"] == [{"test": "ingress.ip", "conditions": {},
                                          "why": "missing", "criteria": ["eco.ingress"]}]
    assert data["markets"] == ["eu-red"]  # a draft never judges: the version in force does
    assert data["follow_up"]["certificate"] == old.number
    refused = api(eu_lab.technician).post(f"/api/v1/certificates/{old.number}/follow-up",
                                          json={"criteria_set": "pk-pta@2026.11"})
    assert refused.status_code == 422 and "criteria_set" in refused.get_json()["details"]
    assert db.session.get(Certificate, old.id).status == "valid"
    auth.login_as("technician")
    page = client.get(f"/lab/applications/{data['id']}").get_data(as_text=True)
    assert "Re-test plan" in page and 'data-test="ingress.ip"' in page and old.number in page

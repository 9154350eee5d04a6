"""Application pages: list, new one, detail with live evaluation and history, submit, cancel."""

from __future__ import annotations

import re

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, AuditEvent
from labcert.services.review import reject
from tests.factories import make_organization, make_user
from tests.web.conftest import (
    TAC,
    current_ref,
    make_application,
    make_sample,
    make_submitted_application,
    make_tested_application,
    text,
)

GOOD_FORM = {"brand": "Air Link", "model": "AL-5G1", "marketing_name": "Spark", "category":
             "smartphone", "hardware_version": "V1.2", "software_version": "AL_1.0.3",
             "technologies": ["gsm", "lte", "nr"], "bands": "GSM900, LTE B3,NR n78",
             "tacs": f"{TAC}\n86012345", "markets": ["eaeu", "pk-pta"],
             "facts": ["has_internet", "charger_included"]}


def test_the_list_shows_applications_and_filters_them_by_state(client, sign_in) -> None:
    technician = sign_in.new("technician")
    draft = make_application(technician)
    tested = make_tested_application(technician)
    page = text(client.get("/lab/applications"))
    assert draft.number in page and tested.number in page
    filtered = text(client.get("/lab/applications?state=draft"))
    assert draft.number in filtered and tested.number not in filtered


def test_a_technician_opens_an_application_for_a_manufacturer(client, sign_in) -> None:
    sign_in.new("technician")
    maker = make_organization(name="Air Link Communication Ltd")
    page = text(client.get("/lab/applications/new"))
    assert "Air Link Communication Ltd" in page and "<legend>Target markets</legend>" in page
    response = client.post("/lab/applications/new",
                           data={**GOOD_FORM, "manufacturer": str(maker.id)})
    assert response.status_code == 302
    application = db.session.scalars(db.select(Application)).one()
    assert response.headers["Location"].endswith(f"/lab/applications/{application.id}")
    assert application.manufacturer_id == maker.id
    assert application.markets == ["eaeu", "pk-pta"]
    assert application.product.tacs == [TAC, "86012345"]
    assert application.product.bands == ["GSM900", "LTE B3", "NR n78"]
    assert application.product.facts["foldable"] is False
    assert application.product.facts["has_internet"] is True
    assert "is open" in text(client.get(response.headers["Location"]))


def test_a_new_application_with_mistakes_shows_each_message_beside_its_field(
        client, sign_in) -> None:
    sign_in.new("technician")
    maker = make_organization()
    response = client.post("/lab/applications/new", data={
        **GOOD_FORM, "manufacturer": str(maker.id), "brand": "", "tacs": "3584021, 86012345",
        "markets": []})
    page = text(response)
    assert response.status_code == 422
    assert re.search(r'id="brand-error">\s*<li>Enter the brand', page)
    assert re.search(r'id="tacs-error">\s*<li>A TAC is the first 8 digits', page)
    assert re.search(r'id="markets-error">\s*<li>Choose at least one target market', page)
    assert db.session.scalars(db.select(Application)).all() == []


def test_a_technician_must_choose_the_manufacturer(client, sign_in) -> None:
    sign_in.new("technician")
    make_organization()
    response = client.post("/lab/applications/new", data={**GOOD_FORM, "manufacturer": ""})
    assert response.status_code == 422
    assert re.search(r'id="manufacturer-error">\s*<li>Choose the manufacturer',
                     text(response))


def test_the_detail_page_shows_product_samples_results_live_evaluation_and_history(
        client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_tested_application(technician)
    page = text(client.get(f"/lab/applications/{application.id}"))
    assert "Live evaluation" in page
    assert current_ref("eaeu") in page and "badge-pass" in page
    assert "12 mg/kg = 12 ppm ≤ 100 \N{MINUS SIGN} U(4) = 96 → pass" in page
    assert "unconfirmed figure" in page
    assert "Opened the application" in page and "Registered a sample" in page
    assert "10 result(s) from api" in page
    assert "Submit for review" in page and "Cancel this application" in page


def test_the_detail_page_lists_what_is_still_missing_by_test_code(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    make_sample(application, technician)
    page = text(client.get(f"/lab/applications/{application.id}"))
    assert "badge-incomplete" in page
    missing = page.split("Still missing", 1)[1].split("</ul>", 1)[0]
    for code in ("rohs.pb", "rohs.hg", "emc.radiated", "emc.esd"):
        assert f"<code>{code}</code>" in missing
    # each missing item opens the worksheet at its row, and the count is the items shown
    item = missing.split("<code>rohs.pb</code>", 1)[1].split("</li>", 1)[0]
    assert f"/lab/applications/{application.id}/worksheet#row-" in item
    count = int(missing.split(" result", 1)[0].strip(": "))
    assert count == missing.count("<li>")


def test_submitting_a_tested_application_redirects_with_a_message(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_tested_application(technician)
    response = client.post(f"/lab/applications/{application.id}/submit")
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == "submitted"
    assert "is submitted" in text(client.get(response.headers["Location"]))


def test_submitting_a_second_time_is_a_409_naming_the_state(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_submitted_application(technician)
    response = client.post(f"/lab/applications/{application.id}/submit")
    assert response.status_code == 409
    assert "it is submitted" in text(response)


def test_submitting_a_draft_without_samples_says_what_is_missing(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    response = client.post(f"/lab/applications/{application.id}/submit")
    assert response.status_code == 422
    assert "Add at least one sample before submitting." in text(response)
    assert db.session.get(Application, application.id).state == "draft"


def test_cancelling_needs_a_reason_shown_beside_the_field(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    response = client.post(f"/lab/applications/{application.id}/cancel", data={"reason": " "})
    assert response.status_code == 422
    assert re.search(r'id="reason-error">\s*<li>Say why', text(response))
    assert db.session.get(Application, application.id).state == "draft"


def test_cancelling_with_a_reason_records_it_in_the_history(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    response = client.post(f"/lab/applications/{application.id}/cancel",
                           data={"reason": "The manufacturer withdrew the model."})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "badge-cancelled" in page and "The manufacturer withdrew the model." in page
    assert "Enter a result" not in page and "Cancel this application" not in page


def test_a_rejected_application_shows_the_reviewers_reasons_as_the_next_step(
        client, sign_in) -> None:
    technician = make_user("technician")
    application = make_submitted_application(technician)
    reject(make_user("reviewer"), application.id, ["Retest ESD at 8 kV air."])
    sign_in(technician)
    page = text(client.get(f"/lab/applications/{application.id}"))
    next_step = page.split('id="next-h"', 1)[1].split("</section>", 1)[0]
    assert "Sent back by" in next_step and "Retest ESD at 8 kV air." in next_step


def test_resubmitting_after_a_rejection_needs_every_reason_ticked(client, sign_in) -> None:
    technician = make_user("technician")
    application = make_submitted_application(technician)
    reasons = ["Retest ESD at 8 kV air.", "Photo of the label is missing."]
    reject(make_user("reviewer"), application.id, reasons)
    sign_in(technician)
    page = client.get(f"/lab/applications/{application.id}").get_data(as_text=True)
    assert page.count('name="acknowledged"') == 2 and 'form="submit-form"' in page
    response = client.post(f"/lab/applications/{application.id}/submit",
                           data={"acknowledged": ["0"]})
    assert response.status_code == 422
    refused = text(response)
    assert "Confirm you addressed each reason" in refused
    assert "Photo of the label is missing." in refused.split("not yet confirmed", 1)[1]
    assert db.session.get(Application, application.id).state == "testing"
    response = client.post(f"/lab/applications/{application.id}/submit",
                           data={"acknowledged": ["0", "1"]})
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == "submitted"
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.submit").order_by(AuditEvent.seq.desc())).first()
    assert event.data["acknowledged"] == [0, 1]


def test_the_api_names_the_reasons_not_acknowledged(client, api) -> None:
    technician = make_user("technician")
    application = make_submitted_application(technician)
    reject(make_user("reviewer"), application.id, ["Retest ESD at 8 kV air."])
    caller = api(technician)
    body = caller.get(f"/api/v1/applications/{application.id}").get_json()
    assert body["rejection_reasons"] == ["Retest ESD at 8 kV air."]
    response = caller.post(f"/api/v1/applications/{application.id}/submit", json={})
    assert response.status_code == 422
    assert "Retest ESD" in response.get_json()["details"]["acknowledged"][0]
    response = caller.post(f"/api/v1/applications/{application.id}/submit",
                           json={"acknowledged": [0]})
    assert response.status_code == 200 and response.get_json()["state"] == "submitted"


def test_an_unknown_application_is_a_404(client, sign_in) -> None:
    sign_in.new("technician")
    assert client.get("/lab/applications/424242").status_code == 404

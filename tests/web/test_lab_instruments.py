"""Instruments: calibration due dates, expired ones highlighted, new ones, calibrations."""

from __future__ import annotations

import re
from datetime import date, timedelta

from labcert.extensions import db
from labcert.models import Instrument
from tests.factories import make_instrument
from tests.web.conftest import text


def test_the_list_highlights_an_instrument_whose_calibration_expired(client, sign_in) -> None:
    sign_in.new("technician")
    make_instrument(asset_tag="RF-01", calibration_due=date.today() + timedelta(days=200))
    make_instrument(asset_tag="OLD-01", calibrated_at=date(2023, 1, 1),
                    calibration_due=date(2024, 1, 1))
    page = text(client.get("/lab/instruments"))
    old_row = page.split("<code>OLD-01</code>", 1)[0].rsplit("<tr", 1)[1]
    rf_row = page.split("<code>RF-01</code>", 1)[0].rsplit("<tr", 1)[1]
    assert 'class="expired"' in old_row and 'class="expired"' not in rf_row
    assert "calibration expired" in page and "Due on 2024-01-01; a measurement after" in page


def test_an_admin_adds_an_instrument(client, sign_in) -> None:
    sign_in.new("admin")
    response = client.post("/lab/instruments", data={
        "asset_tag": "SAR-02", "name": "DASY8", "calibrated_at": "2025-01-10",
        "calibration_due": "2026-01-10"})
    assert response.status_code == 302
    item = db.session.scalars(db.select(Instrument)).one()
    assert (item.asset_tag, item.calibration_due) == ("SAR-02", date(2026, 1, 10))
    assert response.headers["Location"].endswith(f"/lab/instruments/{item.id}/tests")
    assert "Instrument SAR-02 is registered" in text(client.get("/lab/instruments"))


def test_an_instrument_is_declared_for_tests_with_budgets_on_its_page(client, sign_in) -> None:
    sign_in.new("technician")
    item = make_instrument(asset_tag="SAR-03", tests=[])
    assert "no test declared" in text(client.get("/lab/instruments"))
    url = f"/lab/instruments/{item.id}/tests"
    bad = client.post(url, data={"tests": ["sar.head"], "budgets": "sar.body 22 %"})
    assert bad.status_code == 422 and "A budget needs a measurement test" in text(bad)
    response = client.post(url, data={"tests": ["sar.head", "sar.body"],
                                      "budgets": "sar.head 22 %\nsar.body 0.3 W/kg"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.tests == ["sar.head", "sar.body"]
    assert item.budgets == {"sar.head": {"percent": "22"},
                            "sar.body": {"value": "0.3", "unit": "W/kg"}}
    assert "sar.head</code> <span class=\"hint\">(U 22 %)" in text(client.get("/lab/instruments"))


def test_a_due_date_before_the_calibration_is_told_beside_the_field(client, sign_in) -> None:
    sign_in.new("technician")
    make_instrument(asset_tag="SAR-02")
    response = client.post("/lab/instruments", data={
        "asset_tag": "SAR-02", "name": "DASY8", "calibrated_at": "2025-01-10",
        "calibration_due": "2024-01-10"})
    page = text(response)
    assert response.status_code == 422
    assert re.search(r'id="calibration_due-error">\s*<li>The due date must come after', page)
    assert re.search(r'id="asset_tag-error">\s*<li>Asset tag SAR-02 is already registered', page)


def test_recording_a_calibration_moves_the_due_date(client, sign_in) -> None:
    sign_in.new("technician")
    item = make_instrument(asset_tag="OLD-01", calibrated_at=date(2023, 1, 1),
                           calibration_due=date(2024, 1, 1))
    page = text(client.get(f"/lab/instruments/{item.id}/calibration"))
    assert "was due for calibration on 2024-01-01" in page
    today, due = date.today(), date.today() + timedelta(days=365)
    response = client.post(f"/lab/instruments/{item.id}/calibration", data={
        "calibrated_at": today.isoformat(), "calibration_due": due.isoformat()})
    assert response.status_code == 302
    assert db.session.get(Instrument, item.id).calibration_due == due
    assert 'class="expired"' not in text(client.get("/lab/instruments"))


def test_an_empty_calibration_form_is_refused_beside_the_fields(client, sign_in) -> None:
    sign_in.new("technician")
    item = make_instrument()
    response = client.post(f"/lab/instruments/{item.id}/calibration",
                           data={"calibrated_at": "", "calibration_due": ""})
    assert response.status_code == 422
    assert re.search(r'id="calibrated_at-error">\s*<li>Enter the date of the last calibration',
                     text(response))


def test_an_unknown_instrument_is_a_404(client, sign_in) -> None:
    sign_in.new("technician")
    assert client.get("/lab/instruments/999999/calibration").status_code == 404

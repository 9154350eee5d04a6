"""Samples and results: the IMEI check digit, the per-test result form, corrections."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, Sample, TestResult
from tests.factories import make_instrument
from tests.web.conftest import (
    make_application,
    make_sample,
    make_submitted_application,
    make_tested_application,
    new_imei,
    text,
    with_wrong_check_digit,
)

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def _results(application: Application) -> list[TestResult]:
    return list(db.session.scalars(select(TestResult).where(
        TestResult.application_id == application.id).order_by(TestResult.id)))


def test_an_imei_with_a_wrong_check_digit_is_refused_saying_which_digit(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    imei = with_wrong_check_digit(new_imei())
    response = client.post(f"/lab/applications/{application.id}/samples/new",
                           data={"imei": imei, "received_at": date.today().isoformat()})
    assert response.status_code == 422
    assert re.search(r'id="imei-error">\s*<li>The 15th digit \(the check digit\) is '
                     + imei[14], text(response))
    assert db.session.scalars(select(Sample)).all() == []


def test_a_good_sample_moves_the_draft_to_testing(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    imei = new_imei()
    spaced = f"{imei[:2]} {imei[2:8]} {imei[8:14]} {imei[14]}"
    response = client.post(f"/lab/applications/{application.id}/samples/new",
                           data={"imei": spaced, "received_at": date.today().isoformat(),
                                 "serial": "SN-1", "condition": "new, sealed"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#samples")
    assert db.session.get(Application, application.id).state == "testing"
    assert imei in text(client.get(response.headers["Location"]))


def test_save_and_add_another_sample_returns_to_an_empty_form(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    response = client.post(f"/lab/applications/{application.id}/samples/new",
                           data={"imei": new_imei(), "received_at": date.today().isoformat(),
                                 "next": "another"})
    assert response.headers["Location"].endswith(f"/lab/applications/{application.id}/samples/new")


def test_a_future_received_date_is_told_beside_the_date(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post(f"/lab/applications/{application.id}/samples/new",
                           data={"imei": new_imei(), "received_at": tomorrow})
    assert response.status_code == 422
    assert re.search(r'id="received_at-error">\s*<li>The received date cannot be in the future',
                     text(response))


def test_the_result_form_offers_only_the_tests_of_the_applications_markets(
        client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician, markets=["eaeu"])
    page = text(client.get(f"/lab/applications/{application.id}/results/new"))
    assert '<option value="rohs.pb">' in page and '<option value="emc.esd">' in page
    assert "sar.head" not in page and "imei.valid" not in page
    assert 'name="value"' not in page


def test_choosing_a_measurement_prefills_the_unit_and_asks_for_its_conditions(
        client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    sample = make_sample(application, technician)
    page = text(client.get(f"/lab/applications/{application.id}/results/new?test=emc.radiated"))
    assert re.search(r'<input[^>]*id="unit"[^>]*value="dBuV/m"', page)
    assert 'name="cond_frequency_mhz"' in page and 'name="cond_distance_m"' in page
    assert re.search(r'<select[^>]*name="cond_detector"', page) and '<option value="QP">' in page
    assert 'name="k"' in page and 'value="2"' in page
    assert re.search(rf'<option selected value="{sample.imei}">', page)


def test_choosing_an_observation_offers_its_allowed_values(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    page = text(client.get(f"/lab/applications/{application.id}/results/new?test=emc.esd"))
    assert re.search(r'<select[^>]*name="observation"', page)
    assert all(f'<option value="{v}">' in page for v in "ABC")
    assert 'name="value"' not in page and 'name="uncertainty"' not in page


def test_a_test_the_markets_do_not_ask_for_is_refused_with_a_message(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician, markets=["eaeu"])
    response = client.post(f"/lab/applications/{application.id}/results/new",
                           data={"test": "sar.head", "value": "0.5", "unit": "W/kg"})
    assert response.status_code == 422
    assert "sar.head is not a test this application" in text(response)
    assert _results(application) == []


def test_a_result_is_saved_and_save_and_enter_another_keeps_test_sample_and_instrument(
        client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    sample = make_sample(application, technician)
    instrument = make_instrument(asset_tag="XRF-01")
    response = client.post(f"/lab/applications/{application.id}/results/new", data={
        "test": "rohs.pb", "value": "420", "unit": "ppm", "uncertainty": "50", "k": "2",
        "cond_material": "solder", "sample": sample.imei, "instrument": "XRF-01",
        "tested_at": YESTERDAY, "next": "another"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "test=rohs.pb" in location and f"sample={sample.imei}" in location
    assert "instrument=XRF-01" in location
    [result] = _results(application)
    assert (result.test_code, str(result.value), result.unit) == ("rohs.pb", "420", "ppm")
    assert result.conditions == {"material": "solder"}
    assert result.instrument_id == instrument.id and result.sample_id == sample.id
    assert result.tested_at.isoformat() == YESTERDAY + ":00+00:00"
    page = text(client.get(location))
    assert re.search(r'<option selected value="XRF-01">', page)
    assert "Result for rohs.pb (Lead (Pb)) is saved." in page


def test_result_mistakes_are_shown_beside_their_fields(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    make_instrument(asset_tag="OLD-01", calibrated_at=date(2023, 1, 1),
                    calibration_due=date(2024, 1, 1))
    response = client.post(f"/lab/applications/{application.id}/results/new", data={
        "test": "emc.radiated", "value": "4x", "unit": "W/kg", "cond_detector": "QP",
        "instrument": "OLD-01", "tested_at": YESTERDAY})
    page = html.unescape(text(response))
    assert response.status_code == 422
    assert re.search(r'id="value-error">\s*<li>\'4x\' is not a number', page)
    assert re.search(r'id="cond_frequency_mhz-error">\s*<li>required by emc.radiated', page)
    assert _results(application) == []
    response = client.post(f"/lab/applications/{application.id}/results/new", data={
        "test": "emc.radiated", "value": "34", "unit": "dBuV/m", "uncertainty": "5",
        "cond_detector": "QP", "cond_frequency_mhz": "96", "cond_distance_m": "3",
        "instrument": "OLD-01", "tested_at": YESTERDAY})
    assert response.status_code == 422
    assert re.search(r'id="instrument-error">\s*<li>Instrument OLD-01 .* was due for calibration '
                     r"on 2024-01-01", text(response))


def test_a_correction_needs_a_reason(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_tested_application(technician)
    first = _results(application)[0]
    page = text(client.get(f"/lab/results/{first.id}/correct"))
    assert re.search(r'<input[^>]*id="value"[^>]*value="420"', page)
    data = {"test": "rohs.pb", "value": "42", "unit": "ppm", "uncertainty": "5", "k": "2",
            "cond_material": "solder", "tested_at": YESTERDAY, "reason": ""}
    response = client.post(f"/lab/results/{first.id}/correct", data=data)
    assert response.status_code == 422
    assert re.search(r'id="reason-error">\s*<li>Say why the result is corrected', text(response))


def test_a_corrected_result_is_struck_through_with_the_reason_and_a_link_to_the_new_one(
        client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_tested_application(technician)
    first = _results(application)[0]
    response = client.post(f"/lab/results/{first.id}/correct", data={
        "test": "rohs.pb", "value": "42", "unit": "ppm", "uncertainty": "5", "k": "2",
        "cond_material": "solder", "tested_at": YESTERDAY, "sample": first.sample.imei,
        "instrument": first.instrument.asset_tag, "reason": "Decimal point lost when typing."})
    assert response.status_code == 302
    new = _results(application)[-1]
    assert response.headers["Location"].endswith(f"#result-{new.id}")
    page = text(client.get(response.headers["Location"]))
    row = page.split(f'id="result-{first.id}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="superseded"' in row and "<del>" in row
    assert f'href="#result-{new.id}"' in row and "Decimal point lost when typing." in row
    assert f"/lab/results/{first.id}/correct" not in page
    assert "42 ppm ≤ 1000 \N{MINUS SIGN} U(5)" in page


def test_a_submitted_application_takes_no_more_results(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_submitted_application(technician)
    response = client.post(f"/lab/applications/{application.id}/results/new", data={
        "test": "rohs.pb", "value": "4", "unit": "ppm", "cond_material": "solder",
        "tested_at": YESTERDAY})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Cannot add results to application" in page and "it is submitted" in page
    assert "Enter a result" not in page

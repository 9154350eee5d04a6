"""Traceability and vocabularies at entry: sample, suitable instrument, bands, budgets, flags;
and one behaviour for uncertainty the decision rule needs, stateless or stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import TestResult
from labcert.services.evaluations import shown_evaluations
from tests.factories import make_instrument
from tests.workflow.conftest import TESTED_AT, example

IMEI = "352099001761481"


def _item(tool, **changes):
    item = {"test": "rf.conducted_power", "value": "23.4", "unit": "dBm", "uncertainty": "0.6",
            "conditions": {"band": "LTE B3"}, "sample_imei": IMEI,
            "instrument": tool.asset_tag, "tested_at": TESTED_AT.isoformat()}
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


def _post(api, lab, application, *items):
    return api(lab.technician).post(f"/api/v1/applications/{application.id}/results",
                                    json={"results": list(items)})


def test_a_result_without_sample_is_refused_naming_the_field(lab, api) -> None:
    response = _post(api, lab, lab.sampled(), _item(lab.instrument, sample_imei=None))
    assert response.status_code == 422
    assert "Name the sample" in response.get_json()["details"]["results.0.sample_imei"][0]


def test_a_measurement_without_instrument_is_refused_naming_the_field(lab, api) -> None:
    response = _post(api, lab, lab.sampled(), _item(lab.instrument, instrument=None))
    assert response.status_code == 422
    assert "Name the instrument" in response.get_json()["details"]["results.0.instrument"][0]


def test_an_instrument_not_declared_for_the_test_is_refused(lab, api) -> None:
    sar_only = make_instrument(asset_tag="SAR-9", tests=["sar.head", "sar.body"])
    response = _post(api, lab, lab.sampled(), _item(sar_only))
    assert response.status_code == 422
    (message,) = response.get_json()["details"]["results.0.instrument"]
    assert "SAR-9 is not declared suitable for rf.conducted_power" in message
    assert "sar.head, sar.body" in message
    assert db.session.scalars(select(TestResult)).first() is None


def test_an_unknown_band_is_refused_with_the_closest_known_ones(lab, api) -> None:
    response = _post(api, lab, lab.sampled(), _item(lab.instrument,
                                                    conditions={"band": "DSC1800"}))
    assert response.status_code == 422
    (message,) = response.get_json()["details"]["results.0.conditions.band"]
    assert "unknown band 'DSC1800'" in message and "'DCS1800'" in message


@pytest.mark.parametrize(("typed", "stored"), [("GSM1800", "DCS1800"), ("B3", "LTE B3"),
                                               ("WCDMA B1", "UMTS B1"), ("PCS", "GSM1900")])
def test_an_alias_is_stored_as_its_canonical_name(lab, api, typed, stored) -> None:
    response = _post(api, lab, lab.sampled(), _item(lab.instrument, conditions={"band": typed}))
    assert response.status_code == 201, response.get_json()
    assert db.session.scalar(select(TestResult)).conditions["band"] == stored


def test_a_result_serving_no_criterion_is_stored_and_flagged(lab, api) -> None:
    application = lab.sampled()
    response = _post(api, lab, application, _item(lab.instrument, conditions={"band": "NR n78"}))
    assert response.status_code == 201
    (warning,) = response.get_json()["warnings"]
    assert warning["kind"] == "no_criterion" and warning["index"] == 0
    assert "serves no criterion of pk-pta" in warning["message"]
    shown = api(lab.technician).get(f"/api/v1/applications/{application.id}").get_json()
    assert shown["results"][0]["warnings"][0]["kind"] == "no_criterion"


def test_instruments_carry_tests_and_budgets_and_a_missing_u_takes_the_budget(lab, api) -> None:
    tech = api(lab.technician)
    created = tech.post("/api/v1/instruments", json={
        "asset_tag": "CMW-1", "name": "R&S CMW500",
        "calibrated_at": (date.today() - timedelta(days=10)).isoformat(),
        "calibration_due": (date.today() + timedelta(days=300)).isoformat(),
        "tests": ["rf.conducted_power", "sar.head"],
        "budgets": {"rf.conducted_power": {"value": "0.6", "unit": "dB"},
                    "sar.head": {"percent": "22"}}})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["tests"] == ["rf.conducted_power", "sar.head"]
    application = lab.sampled()
    instrument = type("Tag", (), {"asset_tag": "CMW-1"})
    response = _post(api, lab, application, _item(instrument, uncertainty=None))
    assert response.status_code == 201, response.get_json()
    (warning,) = [w for w in response.get_json()["warnings"] if w["kind"] == "u_from_budget"]
    assert "U from the budget of CMW-1" in warning["message"]
    stored = db.session.scalar(select(TestResult))
    assert str(stored.uncertainty) == "0.6" and stored.uncertainty_from == "CMW-1"
    result = tech.get(f"/api/v1/applications/{application.id}").get_json()["results"][0]
    assert result["uncertainty_from"] == "CMW-1"


@pytest.mark.parametrize("budget", [{"rf.conducted_power": {"value": "x"}},
                                    {"sar.body": {"percent": "5"}},
                                    {"rf.conducted_power": {"value": "1", "unit": "W/kg"}}])
def test_a_bad_budget_is_refused_naming_it(lab, api, budget) -> None:
    response = api(lab.technician).post("/api/v1/instruments", json={
        "asset_tag": "CMW-2", "name": "tester", "calibrated_at": date.today().isoformat(),
        "calibration_due": (date.today() + timedelta(days=300)).isoformat(),
        "tests": ["rf.conducted_power"], "budgets": budget})
    assert response.status_code == 422
    assert f"budgets.{next(iter(budget))}" in response.get_json()["details"]


def test_an_unknown_test_code_on_an_instrument_is_refused_with_a_suggestion(lab, api) -> None:
    response = api(lab.technician).post("/api/v1/instruments", json={
        "asset_tag": "CMW-3", "name": "tester", "calibrated_at": date.today().isoformat(),
        "calibration_due": (date.today() + timedelta(days=300)).isoformat(),
        "tests": ["sar.haed"]})
    assert response.status_code == 422
    assert "did you mean 'sar.head'" in response.get_json()["details"]["tests.0"][0]


EIRP = {"test": "rf.eirp_2g4", "value": "17.8", "unit": "dBm", "conditions": {"band": "WLAN 2.4G"}}
CASES = {  # market, result, criterion, expected verdict (None: judged, not indeterminate)
    "guarded without U": ("pk-pta", {"test": "sar.head", "value": "0.83", "unit": "W/kg",
                                     "conditions": {"band": "LTE B3", "position": "left cheek",
                                                    "mass_g": "10"}},
                          "sar.head.10g", "indeterminate"),
    "shared risk without U": ("pk-pta", {"test": "rf.conducted_power", "value": "23.4",
                                         "unit": "dBm", "conditions": {"band": "LTE B3"}},
                              "rf.lte_power_pc3", "indeterminate"),
    "cispr without U": ("pk-pta", {"test": "emc.radiated", "value": "20", "unit": "dBuV/m",
                                   "conditions": {"frequency_mhz": "100", "detector": "QP",
                                                  "distance_m": "3"}},
                        "emc.radiated.qp.30_230", "indeterminate"),
    "U above an invalidating maximum": ("eu-red", {**EIRP, "uncertainty": "2"},
                                        "rf.eirp_2g4", "indeterminate"),
    "U above a tightening maximum": ("pk-pta", {"test": "rf.conducted_power", "value": "25.5",
                                                "unit": "dBm", "uncertainty": "1.0",
                                                "conditions": {"band": "LTE B3"}},
                                     "rf.lte_power_pc3", None),
    "U above u_cispr": ("pk-pta", {"test": "emc.radiated", "value": "28", "unit": "dBuV/m",
                                   "uncertainty": "6.0",
                                   "conditions": {"frequency_mhz": "100", "detector": "QP",
                                                  "distance_m": "3"}},
                        "emc.radiated.qp.30_230", None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_evaluate_and_the_stored_evaluation_agree_on_uncertainty(lab, api, case) -> None:
    market, result, criterion, verdict = CASES[case]
    ex = example()
    product = {"brand": ex.product.brand, "model": ex.product.model,
               "technologies": sorted({*ex.product.technologies, "wlan"}),
               "bands": sorted(ex.product.bands), "tacs": list(ex.product.tacs)}
    stateless = api(lab.technician).post("/api/v1/evaluate", json={
        "criteria_set": market, "product": {**product, "sample_imeis": [IMEI]},
        "results": [result]})
    assert stateless.status_code == 200, stateless.get_json()
    said = next(o for o in stateless.get_json()["outcomes"] if o["criterion"] == criterion)
    application = lab.sampled(markets=(market,), technologies=product["technologies"])
    stored = _post(api, lab, application, {**result, "sample_imei": IMEI,
                                           "instrument": lab.instrument.asset_tag,
                                           "tested_at": TESTED_AT.isoformat()})
    assert stored.status_code == 201, stored.get_json()
    (evaluation,) = shown_evaluations(application)
    kept = next(o for o in evaluation["outcomes"] if o["criterion"] == criterion)
    assert said["verdict"] == kept["verdict"]
    assert kept["verdict"] == verdict if verdict else kept["verdict"] != "indeterminate"
    assert said["reason"] == kept["reason"]
    if verdict == "indeterminate":  # said at entry too, with the reason
        warnings = [w for w in stored.get_json()["warnings"] if w["kind"] == "indeterminate"]
        assert warnings and kept["reason"] in warnings[0]["message"]

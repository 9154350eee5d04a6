"""Samples (IMEI messages), results (instrument gate, all-or-nothing, corrections) and CSV."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import AuditEvent, TestResult
from labcert.services.results import correct_result
from tests.factories import make_instrument
from tests.workflow.conftest import TESTED_AT, example, result_items


def _sample(api, lab, application, imei):
    return api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                    json={"imei": imei, "received_at": date.today().isoformat()})


def test_an_imei_with_a_wrong_check_digit_says_which_digit(lab, api) -> None:
    response = _sample(api, lab, lab.open(), "352099001761482")
    assert response.status_code == 422
    (message,) = response.get_json()["details"]["imei"]
    assert "15th digit" in message and "is 2" in message and "give 1" in message


@pytest.mark.parametrize(("imei", "words"), [("35209900176148", "has 14"),
                                             ("3520990O1761481", "Character 8")])
def test_imeis_of_the_wrong_length_or_with_letters_are_explained(lab, api, imei, words) -> None:
    response = _sample(api, lab, lab.open(), imei)
    assert response.status_code == 422
    assert words in response.get_json()["details"]["imei"][0]


def test_an_imei_already_registered_in_the_lab_is_refused(lab, api) -> None:
    first = lab.open()
    assert _sample(api, lab, first, "352099001761481").status_code == 201
    response = _sample(api, lab, lab.open(), "352099001761481")
    assert response.status_code == 422
    assert "already registered" in response.get_json()["details"]["imei"][0]


def test_a_measurement_after_the_calibration_due_date_is_refused_naming_the_instrument(
        lab, api) -> None:
    application = lab.sampled()
    old = make_instrument(asset_tag="OLD-7", calibrated_at=date.today() - timedelta(days=400),
                          calibration_due=date.today() - timedelta(days=30))
    items = result_items(example(), old)
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results",
                                        json={"results": items})
    body = response.get_json()
    assert response.status_code == 422
    message = next(m for k, v in body["details"].items() if k.endswith(".instrument") for m in v)
    assert "OLD-7" in message and old.calibration_due.isoformat() in message
    assert db.session.scalar(select(func.count()).select_from(TestResult)) == 0


def test_one_bad_result_stores_nothing_and_every_bad_item_is_reported(lab, api) -> None:
    application = lab.sampled()
    items = result_items(example(), lab.instrument)
    items[1]["value"] = "abc"
    items[4]["test"] = "sar.haed"
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results",
                                        json={"results": items})
    details = response.get_json()["details"]
    assert response.status_code == 422
    assert "results.1.value" in details and "results.4.test" in details
    assert db.session.scalar(select(func.count()).select_from(TestResult)) == 0


def test_decimals_reach_the_database_exactly(lab, api) -> None:
    import json

    application = lab.sampled()
    item = result_items(example(), lab.instrument)[0] | {"value": "VALUE"}
    body = json.dumps({"results": [item]}).replace('"VALUE"', "23.10000000000000000001")
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results",
                                        data=body, content_type="application/json")
    assert response.status_code == 201, response.get_json()
    stored = db.session.scalar(select(TestResult))
    assert str(stored.value) == "23.10000000000000000001"


def test_a_correction_supersedes_the_old_result_with_a_reason(lab) -> None:
    lab.tested()
    old = db.session.scalar(select(TestResult).where(TestResult.test_code == "sar.head"))
    item = {"test": "sar.head", "value": "0.91", "unit": "W/kg", "uncertainty": "0.25",
            "conditions": dict(old.conditions), "tested_at": TESTED_AT.isoformat(),
            "instrument": lab.instrument.asset_tag, "sample_imei": old.sample.imei}
    with pytest.raises(Exception, match="reason"):
        correct_result(lab.technician, old.id, item, "  ")
    new = correct_result(lab.technician, old.id, item, "probe recalibrated")
    db.session.refresh(old)
    assert old.superseded_by_id == new.id and new.supersedes_id == old.id
    assert str(old.value) == "0.95"  # nothing edited in place
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())) \
        == "result.correct"


CSV_HEADER = ("test,value,unit,uncertainty,instrument,tested_at,sample_imei,"
              "cond.band,cond.position,cond.mass_g\n")


def _csv(lab, rows: list[str]) -> bytes:
    return (CSV_HEADER + "".join(rows)).encode()


def test_a_good_csv_imports_every_row(lab, api) -> None:
    application = lab.sampled()
    tag, at = lab.instrument.asset_tag, TESTED_AT.isoformat()
    data = _csv(lab, [f"sar.head,0.95,W/kg,0.25,{tag},{at},352099001761481,LTE B3,left cheek,10\n",
                      f"sar.body,1.20,W/kg,0.30,{tag},{at},352099001761481,LTE B1,back 5 mm,10\n"])
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results.csv",
                                        data=data, content_type="text/csv")
    assert response.status_code == 201 and response.get_json()["accepted"] == 2


def test_a_bad_csv_row_is_named_by_line_and_column_and_nothing_is_stored(lab, api) -> None:
    application = lab.sampled()
    tag, at = lab.instrument.asset_tag, TESTED_AT.isoformat()
    data = _csv(lab, [f"sar.head,0.95,W/kg,0.25,{tag},{at},352099001761481,LTE B3,left cheek,10\n",
                      f"sar.body,1.2x,W/kg,0.30,{tag},{at},352099001761481,LTE B1,back 5 mm,10\n"])
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results.csv",
                                        data=data, content_type="text/csv")
    assert response.status_code == 422
    assert "line 3, column 2 (value)" in response.get_json()["details"]
    assert db.session.scalar(select(func.count()).select_from(TestResult)) == 0


def test_a_csv_with_an_unknown_column_names_it(lab, api) -> None:
    application = lab.sampled()
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results.csv",
                                        data=b"test,valeu\nsar.head,1\n", content_type="text/csv")
    assert response.status_code == 422
    assert "line 1, column 2" in response.get_json()["details"]


def test_the_cli_imports_a_csv_with_a_progress_bar(lab, runner, tmp_path) -> None:
    application = lab.sampled()
    tag, at = lab.instrument.asset_tag, TESTED_AT.isoformat()
    path = tmp_path / "rig.csv"
    path.write_bytes(_csv(lab, [f"sar.head,0.95,W/kg,0.25,{tag},{at},352099001761481,"
                                "LTE B3,left cheek,10\n"]))
    result = runner.invoke(args=["import-results", application.number, str(path),
                                 "--as", lab.technician.email])
    assert result.exit_code == 0, result.output
    assert "Imported 1 results" in result.output


def test_a_csv_with_a_nul_character_is_refused_naming_the_line(lab, api) -> None:
    application = lab.sampled()
    data = _csv(lab, ["sar.head,0.95,W/kg,0.25,RF\x00-01,2026-01-01T00:00:00Z,"
                      "352099001761481,B3,cheek,10\n"])
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results.csv",
                                        data=data, content_type="text/csv")
    assert response.status_code == 422
    assert "line 2" in response.get_json()["details"]

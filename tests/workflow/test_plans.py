"""The test plan API: rows merged across markets, following the markets, and the catalogue."""

from __future__ import annotations

import csv
import io


def _plan(api, lab, application):
    response = api(lab.technician).get(f"/api/v1/applications/{application.id}/plan")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _row(plan, test, **conditions):
    return next(i for i in plan["items"] if i["test"] == test
                and all(i["conditions"].get(k) == v for k, v in conditions.items()))


def test_rows_are_merged_across_markets_and_name_every_criterion(lab, api) -> None:
    application = lab.open(markets=("pk-pta", "eu-red"))
    plan = _plan(api, lab, application)
    keys = [(i["test"], tuple(sorted(i["conditions"].items())),
             tuple(sorted((k, v["min"], v["max"]) for k, v in i["ranges"].items())))
            for i in plan["items"]]
    assert len(keys) == len(set(keys))  # one row per (test, conditions)
    sar = _row(plan, "sar.head", mass_g="10")
    assert sar["criteria"] == ["pk-pta:sar.head.10g", "eu-red:sar.head.10g"]
    assert sar["unit"] == "W/kg" and sar["uncertainty_required"] is True
    assert sar["status"] == "missing" and sar["result_id"] is None
    assert sar["open_conditions"] == ["band", "position"]
    lte = _row(plan, "rf.conducted_power", band="LTE B3")
    assert set(lte["criteria"]) == {"pk-pta:rf.lte_power_pc3", "eu-red:rf.lte_power_pc3"}
    assert lte["max_uncertainty"] == "0.7"
    radiated = [i for i in plan["items"] if i["test"] == "emc.radiated"
                and i["ranges"]["frequency_mhz"] == {"min": "30", "max": "230"}]
    assert len(radiated) == 1 and len(radiated[0]["criteria"]) == 2
    assert radiated[0]["max_uncertainty"] is not None
    assert not any(i["test"].startswith("imei.") for i in plan["items"])  # computed, not entered
    assert plan["complete"] is False


def test_the_plan_follows_an_added_market_and_entered_results(lab, api) -> None:
    application = lab.open(markets=("pk-pta",))
    before = _plan(api, lab, application)
    assert all(c.startswith("pk-pta:") for i in before["items"] for c in i["criteria"])
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/markets",
                                        json={"markets": ["pk-pta", "eu-red"]})
    assert response.status_code == 200, response.get_json()
    after = _plan(api, lab, application)
    assert len(after["items"]) > len(before["items"])
    assert "eu-red:rohs.pb" in _row(after, "rohs.pb")["criteria"]
    assert "eu-red:sar.head.10g" in _row(after, "sar.head", mass_g="10")["criteria"]
    lab.tested(application)
    entered = _plan(api, lab, application)
    sar = _row(entered, "sar.head", mass_g="10")
    assert sar["status"] == "entered" and isinstance(sar["result_id"], int)
    assert _row(entered, "rohs.pb")["status"] == "missing"


def test_an_unknown_market_is_refused_naming_the_field(lab, api) -> None:
    application = lab.open()
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/markets",
                                        json={"markets": ["pk-pta", "xx-nope"]})
    assert response.status_code == 422
    assert "markets.1" in response.get_json()["details"]


def test_the_plan_csv_has_a_row_per_item_with_conditions_filled(lab, api) -> None:
    application = lab.open(markets=("pk-pta", "eu-red"))
    plan = _plan(api, lab, application)
    response = api(lab.technician).get(f"/api/v1/applications/{application.id}/plan.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(plan["items"])
    assert rows[0]["value"] == "" and "cond.band" in rows[0]
    assert any(r["test"] == "sar.head" and r["cond.mass_g"] == "10" for r in rows)


def test_the_catalogue_lists_codes_units_and_allowed_values(client) -> None:
    response = client.get("/api/v1/tests")
    assert response.status_code == 200
    tests = {t["code"]: t for t in response.get_json()}
    assert tests["sar.head"]["unit"] == "W/kg"
    band = next(c for c in tests["sar.head"]["conditions"] if c["name"] == "band")
    assert "DCS1800" in band["allowed"] and band["aliases"]["GSM1800"] == "DCS1800"
    detector = next(c for c in tests["emc.radiated"]["conditions"] if c["name"] == "detector")
    assert detector["allowed"] == ["QP", "AV", "PK"]


"""A charger's conducted-emission peak list, certified through the JSON API against CISPR 32.

The limits are recomputed here by a different route (Python's own Decimal logarithm of f/0.15)
so that the test does not take the engine's word for them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Context, Decimal
from pathlib import Path
from typing import Any

import pytest

from labcert.rules import load_registry
from tests.workflow.conftest import result_items

D = Decimal
WIDE = Context(prec=60)
U_CISPR = D("3.4")
CRITERIA = Path(__file__).resolve().parents[2] / "labcert" / "criteria"
# (frequency MHz, QP level, AV level): ten peaks from 0.15 to 30 MHz, four on the slope.
PASSING = [
    ("0.15", "64.0", "53.5"),
    ("0.2", "62.9", "52.0"),
    ("0.3", "58.0", "47.9"),
    ("0.45", "54.2", "44.0"),
    ("0.5", "53.0", "43.5"),
    ("1.2", "48.0", "39.0"),
    ("5", "52.5", "42.0"),
    ("7", "50.0", "41.0"),
    ("18", "45.0", "36.0"),
    ("30", "47.0", "38.0"),
]
U = {("0.2", "AV"): "3.6"}  # one peak measured with U above Ucispr: judged by the excess


def cispr32_limit(mhz: str, detector: str) -> Decimal:
    """Return the class B mains limit at a frequency: table values, log-linear on the slope."""
    f = D(mhz)
    top = D(66) if detector == "QP" else D(56)
    if f <= D("0.5"):
        ratio, span = WIDE.divide(f, D("0.15")), WIDE.divide(D("0.5"), D("0.15"))
        share = WIDE.divide(WIDE.log10(ratio), WIDE.log10(span))
        return WIDE.subtract(top, WIDE.multiply(D(10), share))
    if f <= 5:  # the lower limit applies at the 5 MHz transition
        return top - 10
    return top - 6


def expected_rows(peaks: list[tuple[str, str, str]], detector: str) -> dict[str, tuple]:
    """Return frequency -> (verdict, margin) under CISPR 16-4-2, computed independently."""
    rows = {}
    for mhz, qp, av in peaks:
        level = D(qp if detector == "QP" else av)
        u = D(U.get((mhz, detector), "3.0"))
        excess = max(u - U_CISPR, D(0))
        margin = WIDE.subtract(WIDE.subtract(cispr32_limit(mhz, detector), level), excess)
        rows[mhz] = ("pass" if margin >= 0 else "fail", margin)
    return rows


def eu_example():
    """Return the passing golden example of the eu-red version in force today."""
    criteria_set = load_registry().resolve("eu-red", date.today())
    assert criteria_set.criterion("emc.conducted.qp").limit.curve is not None
    return criteria_set.examples[0]


def peak_items(peaks, instrument) -> list[dict[str, Any]]:
    items = []
    for mhz, qp, av in peaks:
        for detector, level in (("QP", qp), ("AV", av)):
            items.append(
                {
                    "test": "emc.conducted",
                    "value": level,
                    "unit": "dBuV",
                    "uncertainty": U.get((mhz, detector), "3.0"),
                    "conditions": {"frequency_mhz": mhz, "detector": detector},
                    "tested_at": (date.today() - timedelta(days=2)).isoformat() + "T10:00:00Z",
                    "instrument": instrument.asset_tag,
                    "sample_imei": "352099001761481",
                }
            )
    return items


def submitted_through_the_api(lab, api, peaks) -> int:
    """Open, fill and submit an eu-red application through the JSON API; return its id."""
    ex = eu_example()
    tech = api(lab.technician)
    product = {
        "brand": ex.product.brand,
        "model": ex.product.model,
        "technologies": sorted(ex.product.technologies),
        "bands": sorted(ex.product.bands),
        "tacs": list(ex.product.tacs),
        "facts": {"has_internet": True, "charger_included": True},
    }
    created = tech.post(
        "/api/v1/applications",
        json={"product": product, "markets": ["eu-red"], "manufacturer_id": lab.manufacturer.id},
    )
    assert created.status_code == 201, created.get_json()
    application_id = created.get_json()["id"]
    for imei in ex.product.sample_imeis:
        sample = tech.post(
            f"/api/v1/applications/{application_id}/samples",
            json={"imei": imei, "received_at": (date.today() - timedelta(days=5)).isoformat()},
        )
        assert sample.status_code == 201, sample.get_json()
    others = [i for i in result_items(ex, lab.instrument) if i["test"] != "emc.conducted"]
    stored = tech.post(
        f"/api/v1/applications/{application_id}/results",
        json={"results": others + peak_items(peaks, lab.instrument)},
    )
    assert stored.status_code == 201, stored.get_json()
    submitted = tech.post(f"/api/v1/applications/{application_id}/submit")
    assert submitted.status_code == 200, submitted.get_json()
    return application_id


def conducted_outcomes(api, lab, application_id) -> dict[str, dict[str, Any]]:
    response = api(lab.reviewer).get(f"/api/v1/applications/{application_id}/evaluation")
    assert response.status_code == 200, response.get_json()
    (market,) = response.get_json()
    assert market["criteria_set"] == "eu-red@2026.11"
    return {o["criterion"]: o for o in market["outcomes"] if o["test"] == "emc.conducted"}


def check_rows(outcome: dict[str, Any], peaks, detector: str) -> dict[str, Any]:
    """Check every row against the independent limits; return the governing row."""
    expected = expected_rows(peaks, detector)
    rows = {row["conditions"]["frequency_mhz"]: row for row in outcome["results"]}
    assert set(rows) == {mhz for mhz, _, _ in peaks} and outcome["results_judged"] == 10
    for mhz, row in rows.items():
        verdict, margin = expected[mhz]
        assert row["verdict"] == verdict, (mhz, row["reason"])
        assert abs(D(row["margin"]) - margin) < D("1E-30"), (mhz, row["margin"], margin)
        assert abs(D(row["limit"]["max"]) - cispr32_limit(mhz, detector)) < D("1E-30")
        assert row["limit"]["at"] == {"frequency_mhz": mhz}
        assert row["reason"].startswith(f"at {mhz} MHz the limit is ")
    (governing,) = [row for row in rows.values() if row["governing"]]
    worst = min(expected, key=lambda mhz: expected[mhz][1])
    assert governing["conditions"]["frequency_mhz"] == worst
    assert outcome["governing"]["conditions"]["frequency_mhz"] == worst
    assert outcome["limit"]["at"] == {"frequency_mhz": worst}
    assert outcome["verdict"] == ("fail" if expected[worst][0] == "fail" else "pass")
    return governing


def test_a_passing_peak_list_is_certified_with_the_limit_computed_per_frequency(
    lab, api, auth, client
) -> None:
    application_id = submitted_through_the_api(lab, api, PASSING)
    outcomes = conducted_outcomes(api, lab, application_id)
    assert set(outcomes) == {"emc.conducted.qp", "emc.conducted.av"}
    qp = outcomes["emc.conducted.qp"]
    governing = check_rows(qp, PASSING, "QP")
    assert governing["conditions"]["frequency_mhz"] == "0.2"  # 0.71 dB under 63.61
    assert qp["limit"]["shown"] == {"max": "63.61"}
    assert qp["limit_text"] == (
        "≤ 63.61 dBuV at 0.2 MHz (66 → 56 dBuV, log-linear 0.15\N{EN DASH}0.5 MHz)"
    )
    assert qp["reason"] == (
        "worst of 10 results: at 0.2 MHz the limit is 63.61 dBuV (66 → 56 dBuV, log-linear"
        " 0.15\N{EN DASH}0.5 MHz): U(3.0) ≤ U_cispr 3.4: 62.9 dBuV ≤ 63.61 → pass"
    )
    av = outcomes["emc.conducted.av"]
    check_rows(av, PASSING, "AV")
    rows = {row["conditions"]["frequency_mhz"]: row for row in av["results"]}
    assert rows["0.2"]["reason"].endswith(
        "52.0 dBuV ≤ 53.61 \N{MINUS SIGN} excess 0.2 = 53.41 → pass"
    )
    assert rows["5"]["limit"]["on_edge"] is True and rows["5"]["limit"]["max"] == "46"

    for role, url in (("technician", "/lab"), ("reviewer", "/review")):
        user = lab.technician if role == "technician" else lab.reviewer
        assert auth.login(user.email).status_code == 302
        page = client.get(f"{url}/applications/{application_id}").get_data(as_text=True)
        shown = "≤ 63.61 dBuV at 0.2 MHz (66 → 56 dBuV, log-linear 0.15\N{EN DASH}0.5 MHz)"
        assert shown in page, role
        auth.logout()

    approved = api(lab.reviewer).post(f"/api/v1/applications/{application_id}/approve", json={})
    body = approved.get_json()
    assert approved.status_code == 201, body
    assert body["not_issued"] == []
    (certificate,) = body["certificates"]
    assert certificate["criteria_set"] == "eu-red@2026.11"
    pdf = api(lab.reviewer).get(f"/api/v1/certificates/{certificate['number']}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = _pdf_text(pdf.data)
    # The results table shows the computed limit at the governing frequency, not a fixed one
    # (text is squeezed: table columns interleave and "log-linear" may be hyphenated away).
    assert "≤63.61dbuv" in text and "at0.2mhz(66→56dbuv,log" in text
    assert "at0.2mhzthelimitis63.61dbuv(66→56dbuv,log-linear" in text  # the reason column
    assert "≤56dbuv" not in text and "≤46dbuv" not in text  # no fixed 0.5-5 MHz limit
    assert "limit≤63.61dbµv" in text and "63.61056" not in text  # the margin chart, rounded


def test_peaks_over_the_sloped_and_the_lower_transition_limit_fail_the_market(lab, api) -> None:
    failing = [(mhz, {"0.3": "60.5", "5": "57.0"}.get(mhz, qp), av) for mhz, qp, av in PASSING]
    application_id = submitted_through_the_api(lab, api, failing)
    outcomes = conducted_outcomes(api, lab, application_id)
    qp = outcomes["emc.conducted.qp"]
    governing = check_rows(qp, failing, "QP")
    verdicts = {r["conditions"]["frequency_mhz"]: r["verdict"] for r in qp["results"]}
    assert sorted(m for m, v in verdicts.items() if v == "fail") == ["0.3", "5"]
    # 57.0 is 1.0 dB over 56 at 5 MHz (60 dBuV only applies above it); 60.5 is 0.26 dB over.
    assert governing["conditions"]["frequency_mhz"] == "5"
    assert governing["reason"].startswith(
        "at 5 MHz the limit is 56 dBuV (constant 0.5\N{EN DASH}5 MHz; a transition belongs to"
        " the lower segment): U(3.0) ≤ U_cispr 3.4: 57.0 dBuV > 56 → fail"
    )
    assert qp["verdict"] == "fail" and outcomes["emc.conducted.av"]["verdict"] == "pass"
    approved = api(lab.reviewer).post(f"/api/v1/applications/{application_id}/approve", json={})
    body = approved.get_json()
    assert approved.status_code == 201, body
    assert body["certificates"] == []
    (refused,) = body["not_issued"]
    assert refused["market"] == "eu-red" and refused["verdict"] == "fail"
    assert "emc.conducted.qp" in refused["reason"]


@pytest.mark.parametrize("path", sorted(CRITERIA.glob("*@2026.11.yaml")), ids=lambda p: p.name)
def test_criteria_check_runs_the_golden_cases_of_every_set_that_gained_the_limit(
    runner, path
) -> None:
    result = runner.invoke(args=["criteria", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert re.match(r"OK [a-z-]+@2026\.11: \d+ criteria, \d+ examples pass", result.output)


def _pdf_text(pdf: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run([tool, "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8")).lower()


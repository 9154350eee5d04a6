"""The impact of a new EU version on certificates issued through the real workflow.

Each certificate's expected class is written here by hand from how it was tested, not computed
by the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from labcert.extensions import db
from labcert.runtime import service_settings
from labcert.services import certificates, impact
from tests.impact.conftest import certify, eu_items
from tests.impact.versions import ADDED, REMOVED, TIGHTENED, next_version

ESD_8KV = {"test": "emc.esd", "observation": "A",
           "conditions": {"discharge": "contact", "level_kv": 8}}
SPURIOUS_3600 = ("rf.spurious", {"frequency_mhz": 3600})
LOUD_SPURIOUS = {"test": "rf.spurious", "value": "-35.0", "unit": "dBm", "uncertainty": "2.5",
                 "conditions": {"frequency_mhz": 3600}}


@pytest.fixture
def fleet(eu_lab):
    """Six EU certificates; the expected class of each follows from its results."""
    lab = eu_lab
    made = {
        # every criterion of the new version has a passing result
        "unaffected": certify(lab, "A-ALL", eu_items(lab, add=[ESD_8KV])),
        # no result at ±8 kV contact: the added criterion cannot be judged
        "needs_tests": certify(lab, "B-NO8KV", eu_items(lab)),
        # -35 dBm at 3.6 GHz passes -30 dBm but not the tightened -40 dBm
        "would_fail": certify(lab, "C-LOUD", eu_items(lab, drop=[SPURIOUS_3600],
                                                      add=[ESD_8KV, LOUD_SPURIOUS])),
        # both: a failing stored result wins over the missing one
        "would_fail_and_missing": certify(lab, "E-BOTH", eu_items(
            lab, drop=[SPURIOUS_3600], add=[LOUD_SPURIOUS])),
        # issued 2026-11-01, valid 60 months: expires 2031-11-01, before 2031-11-15
        "expires_first": certify(lab, "D-OLD", eu_items(lab),
                                 issued_at=datetime(2026, 11, 1, 9, tzinfo=UTC)),
        "withdrawn": certify(lab, "F-GONE", eu_items(lab)),
    }
    certificates.change_status(lab.reviewer, made["withdrawn"].number, "withdraw",
                               "test: no longer in force", settings=service_settings())
    return made


def test_each_certificate_gets_its_expected_class(fleet, tmp_path) -> None:
    version = next_version(tmp_path)
    report = impact.analyse(version, service_settings().today())
    by_number = {c["number"]: c for c in report["certificates"]}
    expected = {
        fleet["unaffected"].number: "unaffected",
        fleet["needs_tests"].number: "needs_tests",
        fleet["would_fail"].number: "would_fail",
        fleet["would_fail_and_missing"].number: "would_fail",
        fleet["expires_first"].number: "not_applicable_now",
    }
    assert {n: c["impact"] for n, c in by_number.items()} == expected  # the withdrawn one is out
    assert report["counts"] == {"unaffected": 1, "needs_tests": 1, "would_fail": 2,
                                "not_applicable_now": 1}
    assert report["changes"] == {"added": [ADDED], "removed": [REMOVED], "changed": [TIGHTENED]}

    needs = by_number[fleet["needs_tests"].number]
    assert needs["tests"] == [{"test": "emc.esd", "why": "missing", "criteria": [ADDED],
                               "conditions": {"discharge": "contact", "level_kv": "8"}}]
    assert needs["failing"] == []

    fails = by_number[fleet["would_fail"].number]
    assert [f["criterion"] for f in fails["failing"]] == [TIGHTENED]
    assert fails["failing"][0]["governing"]["value"] == "-35.0"
    assert fails["failing"][0]["verdict"] == "fail"
    assert [(t["test"], t["why"]) for t in fails["tests"]] == [("rf.spurious", "re-measure")]

    both = by_number[fleet["would_fail_and_missing"].number]
    assert [(t["test"], t["why"]) for t in both["tests"]] == [
        ("emc.esd", "missing"), ("rf.spurious", "re-measure")]

    old = by_number[fleet["expires_first"].number]
    assert old["criteria_set"] == "eu-red@2025.08" and old["valid_until"] == "2031-11-01"
    assert "before eu-red@2031.11 takes effect on 2031-11-15" in old["reasons"][0]
    assert all(REMOVED not in r for c in report["certificates"] for r in c["reasons"])


def test_the_analysis_loads_in_bulk_whatever_the_number_of_certificates(fleet, tmp_path):
    version = next_version(tmp_path)
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        one_batch = impact.analyse(version, service_settings().today())
        statements_one = len(statements)
        statements.clear()
        impact.analyse(version, service_settings().today(), batch=2)
        statements_three = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert one_batch["total"] == 5
    assert statements_one <= 10, statements
    # three batches of at most two: the per-batch queries three times, never per certificate
    assert statements_three == 1 + 3 * (statements_one - 1)

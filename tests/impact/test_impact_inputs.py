"""A certificate is re-judged from its snapshot's results too, not only the application's rows."""

from __future__ import annotations

from sqlalchemy import delete, select

from labcert.extensions import db
from labcert.models import TestResult
from labcert.rules import load_registry
from labcert.runtime import service_settings
from labcert.services import impact
from tests.impact.conftest import certify, eu_items


def test_a_result_only_the_snapshot_still_names_is_used(eu_lab) -> None:
    certificate = certify(eu_lab, "S-1", eu_items(eu_lab))
    current = load_registry().resolve("eu-red@2026.11", service_settings().today())
    today = service_settings().today()
    (before,) = impact.analyse(current, today)["certificates"]
    assert before["impact"] == "unaffected"
    cyber = db.session.scalar(select(TestResult.id).where(
        TestResult.application_id == certificate.application_id,
        TestResult.test_code == "cyber.en18031"))
    db.session.execute(delete(TestResult).where(TestResult.id == cyber))  # gone from the rows
    db.session.commit()
    governing = [o["governing"]["ref"] for o in certificate.snapshot["evaluation"]["outcomes"]
                 if o["criterion"] == "cyber.en18031"]
    assert governing == [str(cyber)]  # the snapshot still names it as judged
    (after,) = impact.analyse(current, today)["certificates"]
    assert after["impact"] == "unaffected", after["reasons"]

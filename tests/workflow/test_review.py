"""Four-eyes review and optimistic locking, also with two concurrent connections."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Certificate, CertificateCounter, Evaluation, Review
from tests.factories import approve

ON_POSTGRES = os.environ.get("LABCERT_TEST_DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="row locks need PostgreSQL: run with LABCERT_TEST_DATABASE_URL (.ci/run does)")


def test_a_reviewer_who_entered_results_cannot_approve(lab, api) -> None:
    application = lab.submitted()
    lab.technician.role = "reviewer"  # promoted after entering results
    db.session.commit()
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/approve", json={})
    body = response.get_json()
    assert response.status_code == 403
    assert "You entered" in body["message"] and "four-eyes" in body["message"]
    db.session.expire_all()
    assert application.state == "submitted"


def test_approval_records_the_decision_and_the_evaluation_snapshot(lab, api) -> None:
    application = lab.submitted()
    response = api(lab.reviewer).post(f"/api/v1/applications/{application.id}/approve", json={})
    assert response.status_code == 201
    body = response.get_json()
    assert body["state"] == "approved" and body["not_issued"] == []
    assert [c["market"] for c in body["certificates"]] == ["pk-pta"]
    stored = db.session.scalar(select(Evaluation)
                               .where(Evaluation.application_id == application.id))
    assert stored.verdict == "pass" and stored.criteria_set.startswith("pk-pta@")
    assert stored.outcomes["outcomes"] and len(stored.inputs_hash) == 64
    assert db.session.scalar(select(Review.decision)) == "approved"


def test_markets_that_do_not_pass_are_reported_with_the_reason(lab, api) -> None:
    application = lab.tested(lab.open(markets=("pk-pta", "eu-red")))
    api(lab.technician).post(f"/api/v1/applications/{application.id}/submit")
    body = api(lab.reviewer).post(f"/api/v1/applications/{application.id}/approve",
                                  json={}).get_json()
    (not_issued,) = body["not_issued"]
    assert not_issued["market"] == "eu-red" and not_issued["verdict"] == "incomplete"
    assert "No result yet for" in not_issued["reason"]


def test_a_decision_on_a_stale_version_gets_409(lab, api) -> None:
    application = lab.submitted()
    stale = application.version - 1
    response = api(lab.reviewer).post(f"/api/v1/applications/{application.id}/approve",
                                      json={"version": stale})
    assert response.status_code == 409
    assert "changed since you opened it" in response.get_json()["message"]


@needs_postgres
def test_two_reviewers_at_once_one_wins_and_the_other_gets_409(lab, app) -> None:
    application = lab.submitted()
    ids = (application.id, lab.reviewer.id, lab.other_reviewer.id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(reviewer_id: int) -> None:
        with app.app_context():
            from labcert.errors import Conflict
            from labcert.models import User

            reviewer = db.session.get(User, reviewer_id)
            db.session.get(type(application), ids[0]).version  # noqa: B018 - read the version now
            barrier.wait()
            try:
                approve(reviewer, ids[0])
                outcomes.append("approved")
            except Conflict as error:
                outcomes.append("409: " + error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(rid,)) for rid in ids[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o.split(":")[0] for o in outcomes) == ["409", "approved"], outcomes
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


@needs_postgres
def test_concurrent_approvals_get_consecutive_numbers(lab, app) -> None:
    first, second = lab.submitted(), lab.submitted_again()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def decide(application_id: int, reviewer_id: int) -> None:
        with app.app_context():
            from labcert.models import User

            try:
                barrier.wait()
                approve(db.session.get(User, reviewer_id), application_id)
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(first.id, lab.reviewer.id)),
               threading.Thread(target=decide, args=(second.id, lab.other_reviewer.id))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    sequences = sorted(db.session.scalars(select(Certificate.sequence)))
    assert sequences == [1, 2]
    assert db.session.scalar(select(CertificateCounter.last_value)) == 2


def test_a_market_whose_criteria_set_is_retired_gets_409_not_a_crash(lab, api,
                                                                      monkeypatch) -> None:
    from labcert.rules import UnknownCriteriaSet

    application = lab.submitted()

    class Retired:
        def resolve(self, ref, on):
            raise UnknownCriteriaSet(f"criteria set '{ref}' is retired")

    monkeypatch.setattr("labcert.services.evaluations.load_registry", lambda: Retired())
    response = api(lab.reviewer).post(f"/api/v1/applications/{application.id}/approve", json={})
    assert response.status_code == 409
    assert "is retired" in response.get_json()["message"]
    db.session.expire_all()
    assert application.state == "submitted"


def test_a_correction_reports_the_missing_reason_and_a_bad_value_together(lab) -> None:
    from labcert.errors import ValidationFailed
    from labcert.models import TestResult
    from labcert.services.results import correct_result

    lab.tested()
    old = db.session.scalar(select(TestResult).where(TestResult.test_code == "sar.head"))
    with pytest.raises(ValidationFailed) as caught:
        correct_result(lab.technician, old.id, {"test": "sar.head", "value": "zero"}, "")
    assert "reason" in caught.value.details and "results.0.value" in caught.value.details

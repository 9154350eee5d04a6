"""Status lists follow the register within the request that changes it."""

from __future__ import annotations

import os
import threading

import pytest

from labcert.extensions import db
from labcert.lifecycles.certificate import STATUS_LIST_PURPOSE, STORED
from labcert.models import User
from labcert.runtime import service_settings
from labcert.services.certificates import change_status
from tests.factories import approve
from tests.workflow.credential_helpers import bit, index_of


@pytest.fixture
def issued(lab, client):
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    token = client.get(f"/api/v1/certificates/{certificate.number}/credential")
    return certificate.number, token.get_data(as_text=True)


def _verify(client, token: str) -> dict:
    return client.post("/api/v1/verify/credential", json={"credential": token}).get_json()


def _check(answer: dict, name: str) -> dict:
    return next(c for c in answer["checks"] if c["name"] == name)


def test_every_stored_status_says_which_bit_it_sets() -> None:
    assert set(STATUS_LIST_PURPOSE) == set(STORED)
    assert {STATUS_LIST_PURPOSE["suspended"], STATUS_LIST_PURPOSE["withdrawn"]} == {
        "suspension", "revocation"}


def test_suspending_sets_the_bit_at_once_and_reinstating_clears_it(lab, api, client,
                                                                   issued) -> None:
    number, token = issued
    index, reviewer = index_of(token), api(lab.reviewer)
    assert not bit(client, "suspension", index)

    reviewer.post(f"/api/v1/certificates/{number}/suspend", json={"reason": "re-test due"})
    suspended = _verify(client, token)
    assert bit(client, "suspension", index) and not bit(client, "revocation", index)
    assert _check(suspended, "status")["message"].startswith("Suspended:")
    assert suspended["verdict"] == "authentic" and suspended["in_force"] is False

    reviewer.post(f"/api/v1/certificates/{number}/reinstate", json={"reason": "re-test passed"})
    assert not bit(client, "suspension", index)
    assert _verify(client, token)["in_force"] is True


def test_withdrawal_sets_the_revocation_bit(lab, api, client, issued) -> None:
    number, token = issued
    api(lab.reviewer).post(f"/api/v1/certificates/{number}/withdraw",
                           json={"reason": "market surveillance failure"})
    answer = _verify(client, token)
    assert bit(client, "revocation", index_of(token))
    assert _check(answer, "status")["message"].startswith("Revoked:")
    assert "Withdrawn" in _check(answer, "registry")["message"]
    assert "market surveillance failure" in _check(answer, "registry")["message"]


def test_the_list_answers_with_an_etag_that_changes_with_its_bits(lab, api, client,
                                                                  issued) -> None:
    number, _ = issued
    url = "/api/v1/status-lists/suspension-1"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.mimetype == "application/vc+jwt" and first.headers["Cache-Control"] == "no-cache"
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    api(lab.reviewer).post(f"/api/v1/certificates/{number}/suspend", json={"reason": "check"})

    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get("/api/v1/status-lists/revocation-1").headers["ETag"] != etag


def test_a_status_change_through_the_page_flips_the_bit_too(lab, auth, client, issued) -> None:
    number, token = issued
    auth.login(lab.reviewer.email)
    client.post(f"/certificates/{number}/status", data={"action": "suspend",
                                                        "reason": "sample recall"})
    assert bit(client, "suspension", index_of(token))


needs_postgres = pytest.mark.skipif(
    not os.environ.get("LABCERT_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="row locks need PostgreSQL: run with LABCERT_TEST_DATABASE_URL (.ci/run does)")


@needs_postgres
def test_two_suspensions_at_once_in_one_list_both_reach_it(lab, app, client) -> None:
    numbers = [approve(lab.reviewer, application.id).certificates[0].number
               for application in (lab.submitted(), lab.submitted_again())]
    tokens = [client.get(f"/api/v1/certificates/{n}/credential").get_data(as_text=True)
              for n in numbers]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def suspend(number: str) -> None:
        with app.app_context():
            try:
                reviewer = db.session.get(User, lab.reviewer.id)
                barrier.wait()
                change_status(reviewer, number, "suspend", "both at once",
                              settings=service_settings())
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=suspend, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # Each change re-signed the list after the other's row lock was released: no bit is lost.
    assert [bit(client, "suspension", index_of(t)) for t in tokens] == [True, True]

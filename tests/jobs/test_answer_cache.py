"""Public answers kept a few seconds per process: a change made here shows at once, one made
by another process within the cache's seconds, and HTTP caches are told the answer's age."""

from __future__ import annotations

import time

from labcert.runtime import service_settings
from labcert.services import certificates
from tests.factories import approve

EMBEDDED = True


def test_a_change_made_in_this_process_shows_at_once(lab, client) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    assert client.get(f"/api/v1/verify/{number}").get_json()["status"] == "valid"
    certificates.change_status(lab.reviewer, number, "suspend", "re-test",
                                 settings=service_settings())
    assert client.get(f"/api/v1/verify/{number}").get_json()["status"] == "suspended"


def test_another_process_sees_the_change_once_its_answer_is_older_than_its_seconds(
        lab, make_app, api) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    other = make_app(VERIFY_CACHE_SECONDS=1)  # a second host with its own cache
    with other.app_context():
        visitor = other.test_client()
        assert visitor.get(f"/api/v1/verify/{number}").get_json()["status"] == "valid"
        time.sleep(0.2)
        cached = visitor.get(f"/api/v1/verify/{number}")
        assert cached.get_json()["status"] == "valid"  # kept, the change was made elsewhere
        assert cached.headers.get("Age") in (None, "0")  # under a second old
    withdrawn = api(lab.reviewer).post(f"/api/v1/certificates/{number}/withdraw",
                                       json={"reason": "fraud"})  # through the first host
    assert withdrawn.status_code == 200
    with other.app_context():
        assert visitor.get(f"/api/v1/verify/{number}").get_json()["status"] == "valid"
        time.sleep(1.1)
        assert visitor.get(f"/api/v1/verify/{number}").get_json()["status"] == "withdrawn"


def test_a_cached_answer_tells_its_age(lab, make_app) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    slow = make_app(VERIFY_CACHE_SECONDS=30)
    with slow.app_context():
        visitor = slow.test_client()
        visitor.get(f"/api/v1/verify/{number}")
        time.sleep(1.2)
        answer = visitor.get(f"/api/v1/verify/{number}")
        assert int(answer.headers["Age"]) >= 1
        assert answer.headers["Cache-Control"] == "public, max-age=60"


def test_without_the_cache_every_lookup_reads_the_database(lab, make_app) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    uncached = make_app(VERIFY_CACHE_SECONDS=0)
    with uncached.app_context():
        visitor = uncached.test_client()
        assert visitor.get(f"/api/v1/verify/{number}").get_json()["status"] == "valid"
    certificates.change_status(lab.reviewer, number, "suspend", "re-test",
                                 settings=service_settings())
    with uncached.app_context():
        assert visitor.get(f"/api/v1/verify/{number}").get_json()["status"] == "suspended"

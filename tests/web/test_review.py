"""Review pages: the queue, approval, rejection, four-eyes and optimistic locking."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, Evaluation, Review, utcnow
from labcert.services.applications import submit_application
from labcert.services.results import add_results
from labcert.services.review import reject
from tests.factories import approve, make_user
from tests.web.conftest import (
    current_ref,
    make_submitted_application,
    make_tested_application,
    past_timestamp,
    text,
)


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_the_queue_lists_submitted_applications_oldest_first(client, sign_in) -> None:
    newer = make_submitted_application()
    older = make_submitted_application()
    db.session.get(Application, older.id).submitted_at = utcnow() - timedelta(days=3)
    db.session.commit()
    make_tested_application()
    sign_in.new("reviewer")
    page = text(client.get("/review/"))
    assert page.index(older.number) < page.index(newer.number)
    assert page.count("/review/applications/") == 2
    home = text(client.get("/home"))
    assert home.index(older.number) < home.index(newer.number)


def test_the_review_page_shows_the_evaluation_per_market_with_reasons(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    page = text(client.get(f"/review/applications/{application.id}"))
    assert current_ref("eaeu") in page and "a certificate will be issued" in page
    assert "12 mg/kg = 12 ppm ≤ 100 \N{MINUS SIGN} U(4) = 96 → pass" in page
    assert "Submitted for review" in page and "<code>rohs.pb</code>" in page
    assert "You cannot approve" not in page
    assert f'href="/review/applications/{application.id}/approve"' in page


def test_approving_records_the_evaluation_and_leaves_the_queue(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    version = _version(text(client.get(f"/review/applications/{application.id}")))
    response = client.post(f"/review/applications/{application.id}/approve",
                           data={"version": version, "confirm": "yes"})
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == "approved"
    assert db.session.scalars(select(Evaluation)).one().verdict == "pass"
    assert f"Application {application.number} is approved" in text(
        client.get(response.headers["Location"]))
    page = text(client.get(f"/lab/applications/{application.id}"))
    assert "Evaluation recorded at approval" in page


def test_a_reviewer_who_entered_results_is_told_before_and_refused_with_403(
        client, sign_in) -> None:
    technician = make_user("technician")
    reviewer = make_user("reviewer")
    application = make_tested_application(technician)
    add_results(reviewer, application.id, [{
        "test": "emc.esd", "observation": "A", "conditions": {"discharge": "air", "level_kv": "8"},
        "tested_at": past_timestamp(), "sample_imei": application.samples[0].imei}])
    submit_application(technician, application.id)
    sign_in(reviewer)
    page = text(client.get(f"/review/applications/{application.id}"))
    assert "You cannot approve this application." in page
    assert "You entered 1 of its result" in page and "four-eyes" in page
    assert f'href="/review/applications/{application.id}/approve"' not in page
    confirmation = text(client.get(f"/review/applications/{application.id}/approve"))
    assert "You cannot approve this application." in confirmation
    assert "Sign and issue" not in confirmation
    response = client.post(f"/review/applications/{application.id}/approve",
                           data={"version": _version(page), "confirm": "yes"})
    assert response.status_code == 403
    assert "another reviewer must approve it" in text(response)
    assert db.session.get(Application, application.id).state == "submitted"


def test_approving_a_stale_version_is_a_409_with_a_clear_message(client, sign_in) -> None:
    technician = make_user("technician")
    application = make_submitted_application(technician)
    reviewer = sign_in.new("reviewer")
    stale = _version(text(client.get(f"/review/applications/{application.id}")))
    reject(make_user("reviewer"), application.id, ["Photo of the label is missing."])
    submit_application(technician, application.id, acknowledged=[0])
    response = client.post(f"/review/applications/{application.id}/approve",
                           data={"version": stale, "confirm": "yes"})
    page = text(response)
    assert response.status_code == 409
    assert "Your decision was not saved" in page and "changed since you opened it" in page
    assert _version(page) != stale
    assert db.session.get(Application, application.id).state == "submitted"
    assert reviewer.id not in [r.reviewer_id for r in db.session.scalars(select(Review))]


def test_rejecting_needs_reasons_shown_beside_the_field(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    version = _version(text(client.get(f"/review/applications/{application.id}")))
    response = client.post(f"/review/applications/{application.id}/reject",
                           data={"version": version, "reasons": "\n  \n"})
    assert response.status_code == 422
    assert re.search(r'id="reasons-error">\s*<li>Give at least one reason', text(response))


def test_rejecting_sends_the_application_back_with_one_reason_per_line(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    version = _version(text(client.get(f"/review/applications/{application.id}")))
    response = client.post(f"/review/applications/{application.id}/reject", data={
        "version": version, "reasons": "ESD air result missing.\nLabel photo unreadable."})
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == "testing"
    review = db.session.scalars(select(Review)).one()
    assert review.reasons == ["ESD air result missing.", "Label photo unreadable."]


def test_rejecting_an_application_someone_already_approved_is_a_409(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    version = _version(text(client.get(f"/review/applications/{application.id}")))
    approve(make_user("reviewer"), application.id)
    response = client.post(f"/review/applications/{application.id}/reject",
                           data={"version": version, "reasons": "Too late."})
    assert response.status_code == 409
    page = text(response)
    assert "Your decision was not saved" in page and "there is nothing to decide" in page


def test_an_approved_application_lists_its_certificates(client, sign_in) -> None:
    application = make_submitted_application()
    approval = approve(make_user("reviewer"), application.id)
    sign_in.new("technician")
    page = text(client.get(f"/lab/applications/{application.id}"))
    next_step = page.split('id="next-h"', 1)[1].split("</section>", 1)[0]
    assert approval.certificates, "eaeu passes, so one certificate is issued"
    for certificate in approval.certificates:
        assert certificate.number in next_step
    assert "badge-valid" in next_step


def test_approval_shows_what_will_be_signed_and_needs_the_confirmation(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    page = text(client.get(f"/review/applications/{application.id}/approve"))
    assert "1 certificate will be signed" in page
    assert current_ref("eaeu") in page and "pass" in page
    assert "valid until" in page and "Sign and issue 1 certificate" in page
    unconfirmed = client.post(f"/review/applications/{application.id}/approve",
                              data={"version": _version(page)})
    assert unconfirmed.status_code == 302
    assert unconfirmed.headers["Location"].endswith(
        f"/review/applications/{application.id}/approve")
    assert db.session.get(Application, application.id).state == "submitted"
    done = client.post(f"/review/applications/{application.id}/approve",
                       data={"version": _version(page), "confirm": "yes"})
    assert done.status_code == 302
    number = db.session.get(Application, application.id)
    from labcert.models import Certificate

    certificate = db.session.scalars(select(Certificate)).one()
    queue = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f'<a href="/certificates/{certificate.number}">{certificate.number}</a>' in queue
    assert number.state == "approved"

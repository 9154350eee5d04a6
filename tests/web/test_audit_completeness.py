"""A complete, readable audit: failed and throttled sign-ins, refusals (403 four-eyes, 409),
role changes, tokens and keys each leave one chained event; the page tells them as sentences."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import AuditEvent
from labcert.services.audit import verify_chain
from labcert.services.results import add_results
from labcert.services.review import reject
from tests.factories import PASSWORD, approve, make_user
from tests.web.conftest import (
    make_submitted_application,
    make_tested_application,
    past_timestamp,
    text,
)


def last_seq() -> int:
    return db.session.scalar(select(func.max(AuditEvent.seq))) or 0


def events_after(seq: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.seq > seq)
                                   .order_by(AuditEvent.seq)))


def test_a_failed_sign_in_leaves_one_chained_event_without_the_password(client) -> None:
    user = make_user("technician")
    before = last_seq()
    response = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert response.status_code == 200
    [event] = events_after(before)
    assert (event.action, event.entity_id) == ("user.login_failed", str(user.id))
    assert event.data == {"email": user.email, "channel": "web", "reason": "wrong password"}
    assert "not the password" not in str(event.data)
    assert verify_chain().ok
    before = last_seq()
    client.post("/api/v1/tokens", json={"email": "nobody@x.test", "password": "guess guess"})
    [event] = events_after(before)
    assert event.data["reason"] == "unknown account" and event.data["channel"] == "api"


def test_throttled_sign_ins_are_recorded(make_app) -> None:
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    with app.app_context():
        user = make_user("technician")
        client = app.test_client()
        before = last_seq()
        statuses = [client.post("/login", data={"email": user.email, "password": "wrong one 1"})
                    .status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        actions = [e.action for e in events_after(before)]
        assert actions == ["user.login_failed", "user.login_failed", "user.login_throttled"]
        assert events_after(before)[-1].data["email"] == user.email
        assert verify_chain().ok


def test_a_four_eyes_refusal_leaves_one_chained_event(client, sign_in) -> None:
    technician, reviewer = make_user("technician"), make_user("reviewer")
    application = make_tested_application(technician)
    add_results(reviewer, application.id, [{
        "test": "emc.esd", "observation": "A", "conditions": {"discharge": "air", "level_kv": "8"},
        "tested_at": past_timestamp(), "sample_imei": application.samples[0].imei}])
    from labcert.services.applications import submit_application

    submit_application(technician, application.id)
    sign_in(reviewer)
    before = last_seq()
    response = client.post(f"/review/applications/{application.id}/approve",
                           data={"confirm": "yes"})
    assert response.status_code == 403
    [event] = events_after(before)
    assert (event.action, event.actor, event.entity_type, event.entity_id) == (
        "action.refused", reviewer.email, "application", str(application.id))
    assert event.data["status"] == 403 and "four-eyes" in event.data["reason"]
    assert event.data["operation"] == "approve"
    assert verify_chain().ok


def test_a_409_conflict_leaves_one_chained_event(client, api) -> None:
    technician = make_user("technician")
    application = make_submitted_application(technician)
    reviewer = make_user("reviewer")
    reject(reviewer, application.id, ["Label photo missing."])
    caller = api(reviewer)
    before = last_seq()
    response = caller.post(f"/api/v1/applications/{application.id}/reject",
                                  json={"reasons": ["again"]})
    assert response.status_code == 409
    [event] = events_after(before)
    assert event.action == "action.refused" and event.data["status"] == 409
    assert event.entity_id == str(application.id) and event.actor == reviewer.email
    assert verify_chain().ok


def test_a_role_refused_at_the_door_is_recorded_once(client, api) -> None:
    maker = make_user("manufacturer")
    caller = api(maker)
    before = last_seq()
    assert caller.post("/api/v1/instruments", json={}).status_code == 403
    [event] = events_after(before)
    assert event.action == "action.refused" and event.actor == maker.email
    assert event.data["operation"] == "POST /api/v1/instruments"


def test_the_audit_page_tells_sentences_with_raw_json_behind_a_disclosure(client, auth) -> None:
    technician = make_user("technician")
    reviewer = make_user("reviewer", name="Rashid")
    application = make_submitted_application(technician)
    approval = approve(reviewer, application.id)
    number = approval.certificates[0].number
    auth.login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f"Rashid approved {application.number} and issued {number}." in page
    assert "<details><summary>Raw event <code>application.approve</code></summary>" in page
    plain = text(client.get(f"/admin/audit?actor={reviewer.email}"))
    assert "Rashid approved" in plain and "registered sample" not in plain


def test_the_csv_export_has_every_matching_event_with_sentence_and_hashes(client, auth) -> None:
    user = make_user("technician", name="Tariq")
    client.post("/login", data={"email": user.email, "password": "wrong password"})
    auth.login_as("admin")
    for _ in range(3):
        client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.get("/admin/audit.csv?entity_type=user")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    stored = db.session.scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.entity_type == "user"))
    assert len(rows) == stored
    failed = next(r for r in rows if r["action"] == "user.login_failed")
    assert "failed" in failed["sentence"] and len(failed["hash"]) == 64
    assert [int(r["seq"]) for r in rows] == sorted((int(r["seq"]) for r in rows), reverse=True)


def test_labcert_audit_verify_passes_after_all_of_it(runner, client) -> None:
    user = make_user("technician")
    client.post("/login", data={"email": user.email, "password": "wrong password"})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output

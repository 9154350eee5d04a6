"""The audit browser: filter by actor, object and date, page through, verify the chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import AuditEvent
from labcert.services.audit import record
from labcert.services.audit_search import AuditFilter, search_events
from tests.admin.conftest import text
from tests.factories import make_user


def _event(actor, action: str, entity_type: str, entity_id: object, at: str) -> None:
    with time_machine.travel(datetime.fromisoformat(at).replace(tzinfo=UTC), tick=False):
        record(actor, action, entity_type, entity_id, {"note": action})
        db.session.commit()


@pytest.fixture
def trail(app):
    """Three events by two actors on two days, besides the events of making the users."""
    alice, bob = make_user(role="technician", email="alice@lab.test"), make_user(role="reviewer")
    _event(alice, "sample.create", "sample", 7, "2026-03-01T09:00:00")
    _event(bob, "application.approve", "application", 7, "2026-03-02T23:59:00")
    _event(alice, "sample.update", "sample", 8, "2026-03-03T00:00:00")
    return alice, bob


def _actions(**wanted) -> list[str]:
    return [e.action for e in search_events(AuditFilter(**wanted)).items]


def test_events_are_found_by_actor(trail) -> None:
    assert _actions(actor="ALICE@lab") == ["sample.update", "sample.create"]


def test_events_are_found_by_object(trail) -> None:
    assert _actions(entity_type="sample", entity_id="7") == ["sample.create"]
    assert _actions(entity_id="7") == ["application.approve", "sample.create"]


def test_events_are_found_by_whole_utc_days(trail) -> None:
    day = datetime(2026, 3, 2).date()
    assert _actions(date_from=day, date_to=day) == ["application.approve"]
    assert _actions(date_from=day) == ["sample.update", "application.approve"]


def test_the_page_filters_and_pages_newest_first(client, auth, trail) -> None:
    auth.login_as("admin")
    page = text(client.get("/admin/audit?actor=alice&date_from=2026-03-01&date_to=2026-03-03"))
    assert page.index("sample.update") < page.index("sample.create")
    assert "application.approve" not in page and "2 events" in page
    for n in range(60):
        record(None, "bulk.event", "bulk", n)
    db.session.commit()
    first = text(client.get("/admin/audit?entity_type=bulk"))
    assert "60 events, page 1 of 2" in first and "bulk 59" in first and "bulk 9<" not in first
    second = text(client.get("/admin/audit?entity_type=bulk&page=2"))
    assert "bulk 9<" in second and "bulk 59" not in second


def test_an_unreadable_date_is_told_beside_its_field(client, auth, trail) -> None:
    auth.login_as("admin")
    response = client.get("/admin/audit?date_from=yesterday")
    assert response.status_code == 200
    assert 'id="date_from-error"' in text(response)


def test_the_page_verifies_the_chain_when_asked(client, auth, trail) -> None:
    auth.login_as("admin")
    assert "Chain intact" not in text(client.get("/admin/audit"))
    total = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    assert f"Chain intact: all {total} events verified." in text(
        client.get("/admin/audit?actor=alice&verify=1"))


def test_the_page_names_the_first_altered_event(client, auth, trail) -> None:
    auth.login_as("admin")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sample.update"))
    event.data = {"note": "rewritten"}
    db.session.commit()
    page = text(client.get("/admin/audit?verify=1"))
    assert f"Chain broken at event {event.seq}" in page and "was altered" in page


@pytest.mark.parametrize("role", ["technician", "reviewer", "manufacturer", "exporter"])
def test_only_administrators_browse_the_audit_trail(client, auth, role) -> None:
    auth.login_as(role)
    assert client.get("/admin/audit").status_code == 403

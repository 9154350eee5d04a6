"""The audit trail is a hash chain: an edited or a deleted row is found and named."""

from __future__ import annotations

from sqlalchemy import text

from labcert.extensions import db
from labcert.services.accounts import create_user
from labcert.services.audit import verify_chain


def _three_events() -> None:
    for n in range(3):
        create_user(None, email=f"person{n}@example.test", name=f"Person {n}",
                    role="technician", password="long enough password")


def test_an_untouched_chain_verifies(app, runner) -> None:
    _three_events()
    report = verify_chain()
    assert report.ok and report.events == 3
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 events verified" in result.output


def test_an_edited_row_is_named(app, runner) -> None:
    _three_events()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET action = 'user.delete' WHERE seq = 2"))
    db.session.expire_all()
    report = verify_chain()
    assert report.broken_at == 2 and "altered" in report.problem
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "event 2" in result.output


def test_a_deleted_row_in_the_middle_is_named(app) -> None:
    _three_events()
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    db.session.expire_all()
    report = verify_chain()
    assert report.broken_at == 2 and "missing" in report.problem


def test_a_deleted_last_row_is_named(app) -> None:
    _three_events()
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 3"))
    db.session.expire_all()
    report = verify_chain()
    assert report.broken_at == 3 and "missing" in report.problem


def test_a_rehashed_edit_breaks_the_next_link(app) -> None:
    """Editing a row and recomputing its hash still breaks the link from its successor."""
    from labcert.models import AuditEvent
    from labcert.services.audit import event_hash

    _three_events()
    event = db.session.get(AuditEvent, 2)
    event.data = {"email": "someone-else@example.test"}
    event.hash = event_hash(event)
    db.session.commit()
    report = verify_chain()
    assert report.broken_at == 3 and "does not point" in report.problem


def test_a_failed_service_call_writes_no_audit_event(app) -> None:
    from labcert.errors import ValidationFailed
    from labcert.models import AuditEvent

    try:
        create_user(None, email="bad", name="", role="technician", password="short")
    except ValidationFailed as error:
        assert {"email", "name", "password"} <= set(error.details)
    assert db.session.query(AuditEvent).count() == 0

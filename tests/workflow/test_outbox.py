"""The outbox: what happened is recorded in the same transaction as the change, or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import AuditEvent, OutboxEvent
from labcert.runtime import service_settings
from labcert.services import certificates
from labcert.services.review import reject
from tests.factories import approve


def _events() -> list[tuple[str, str]]:
    return [(e.kind, e.entity_id) for e in db.session.scalars(
        select(OutboxEvent).order_by(OutboxEvent.id))]


def test_an_approval_announces_each_certificate_it_issued(lab) -> None:
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    [event] = db.session.scalars(select(OutboxEvent)).all()
    assert (event.kind, event.entity_id) == ("certificate.issued", certificate.number)
    assert event.data["holder_id"] == lab.manufacturer.id and event.actor_id == lab.reviewer.id
    # The embedded default (no broker) relays it in-process right after the commit.
    assert event.relayed_at is not None and event.attempts == 0


def test_status_changes_and_amendments_are_announced_beside_their_audit_events(lab) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    certificates.change_status(lab.reviewer, number, "suspend", "sample failed a re-test",
                               settings=service_settings())
    certificates.change_status(lab.reviewer, number, "reinstate", "re-test passed",
                               settings=service_settings())
    assert _events()[1:] == [("certificate.suspended", number),
                             ("certificate.reinstated", number)]
    audit = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == number).order_by(AuditEvent.seq))]
    assert audit == ["certificate.issue", "certificate.suspend", "certificate.reinstate"]


def test_a_rejection_is_announced_with_its_reasons(lab) -> None:
    application = lab.submitted()
    reject(lab.reviewer, application.id, ["SAR body test missing"])
    [event] = db.session.scalars(select(OutboxEvent)).all()
    assert event.kind == "application.rejected"
    assert event.data["reasons"] == ["SAR body test missing"]


def test_a_refused_change_leaves_no_event(lab) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    before = _events()
    with pytest.raises(Exception, match="Cannot reinstate"):
        certificates.change_status(lab.reviewer, number, "reinstate", "it is valid already",
                                   settings=service_settings())
    assert _events() == before


def test_an_approval_that_fails_while_signing_announces_nothing(lab, monkeypatch) -> None:
    application = lab.submitted()

    def broken(*args, **kwargs):
        raise RuntimeError("the signing device went away")

    monkeypatch.setattr("labcert.services.issuance.render_and_sign", broken)
    with pytest.raises(RuntimeError):
        approve(lab.reviewer, application.id)
    assert _events() == []

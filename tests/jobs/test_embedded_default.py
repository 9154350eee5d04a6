"""The embedded default: no broker and no mail server; jobs run in-process after the commit,
mail goes to the log and to the development outbox page."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import time_machine
from sqlalchemy import select, update

from labcert.extensions import db
from labcert.jobs import compose, relay, reminders, schedule
from labcert.jobs.celery_app import beat_schedule
from labcert.jobs.expiry import record_expiries
from labcert.models import CertificateEvent, MailMessage, OutboxEvent, utcnow
from labcert.runtime import service_settings
from labcert.services import certificates, events, watches
from labcert.services.review import reject
from tests.factories import PASSWORD, approve, make_instrument, make_user

EMBEDDED = True


def _mail() -> list[MailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailMessage).order_by(MailMessage.id)))


def test_an_approval_is_mailed_to_the_log_right_after_the_commit(lab, caplog) -> None:
    caplog.set_level(logging.INFO, logger="labcert.mail")
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    [message] = _mail()
    assert (message.to_address, message.status) == (lab.maker.email, "sent")
    assert number in message.subject and number in message.body_text
    [line] = [r.getMessage() for r in caplog.records if r.name == "labcert.mail"]
    assert lab.maker.email in line and number in line and "no LABCERT_MAIL_SERVER" in line
    event = db.session.scalars(select(OutboxEvent)).one()
    assert event.relayed_at is not None and event.last_error is None


def test_the_development_outbox_page_lists_the_mail_for_administrators(
        lab, client, auth) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    auth.login_as("technician")
    assert client.get("/dev/outbox").status_code == 403
    auth.logout()
    auth.login_as("admin")
    page = client.get("/dev/outbox").get_data(as_text=True)
    assert f"Certificate {number} issued" in page and lab.maker.email in page


def test_the_outbox_page_is_gone_once_a_mail_server_is_configured(make_app) -> None:
    configured = make_app(MAIL_SERVER="127.0.0.1")
    with configured.app_context():
        admin = make_user("admin")
        client = configured.test_client()
        assert client.post("/login", data={"email": admin.email, "password": PASSWORD}
                           ).status_code == 302
        assert client.get("/dev/outbox").status_code == 404


def test_a_crash_between_commit_and_relay_loses_nothing_the_sweeper_relays_it(lab) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    colleague = make_user("manufacturer", organization=lab.manufacturer)
    # A change committed by a process that died before relaying: the row is all there is.
    event = events.happened("certificate.reinstated", "certificate", number,
                            {"reason": "re-test passed"})
    db.session.commit()
    db.session.execute(update(OutboxEvent).where(OutboxEvent.id == event.id).values(
        created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert [m.to_address for m in _mail()] == [lab.maker.email]
    assert relay.sweep().startswith("1 events relayed again")
    assert sorted(m.to_address for m in _mail()[1:]) == sorted([lab.maker.email,
                                                               colleague.email])
    assert relay.sweep().startswith("0 events")  # and only once
    assert len(_mail()) == 3


def test_a_failing_job_leaves_the_change_standing_and_the_event_for_the_sweeper(
        lab, monkeypatch) -> None:
    def broken(drafts):
        raise RuntimeError("template store unavailable")

    monkeypatch.setattr(compose, "render_all", broken)
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    assert certificate.status == "valid"  # the approval stands
    event = db.session.scalars(select(OutboxEvent)).one()
    assert (event.relayed_at, event.attempts) == (None, 1)
    assert "template store unavailable" in event.last_error
    monkeypatch.undo()
    db.session.execute(update(OutboxEvent).values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    relay.sweep()
    assert [m.to_address for m in _mail()] == [lab.maker.email]


def test_the_daily_expiry_job_records_the_event_once_and_tells_holder_and_watchers(
        lab, runner) -> None:
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    number, valid_until = certificate.number, certificate.valid_until
    buyer = make_user("exporter")
    watches.watch(buyer, number)
    with time_machine.travel(valid_until + timedelta(days=1, hours=3), tick=False):
        first = runner.invoke(args=["jobs", "run-due"])
        assert first.exit_code == 0, first.output
        assert f"certificates.expiry: 1 expiries recorded: {number}" in first.output
        again = runner.invoke(args=["jobs", "run-due"])
        assert "certificates.expiry: already ran today" in again.output
        assert record_expiries(service_settings()) == "0 expiries recorded"
    db.session.expire_all()
    expiries = db.session.scalars(select(CertificateEvent).where(
        CertificateEvent.action == "expire")).all()
    assert [(e.from_status, e.to_status) for e in expiries] == [("valid", "expired")]
    assert db.session.get(type(certificate), certificate.id).status == "valid"  # not stored
    expired = [m for m in _mail() if m.kind == "certificate.expired"]
    assert sorted(m.to_address for m in expired) == sorted([lab.maker.email, buyer.email])
    assert all(f"Certificate {number} has expired" == m.subject for m in expired)


def test_a_rejection_on_the_embedded_default_is_logged_with_its_reasons(lab) -> None:
    application = lab.submitted()
    reject(lab.reviewer, application.id, ["Radiated spurious emissions test missing"])
    assert {m.to_address for m in _mail()} == {lab.technician.email, lab.maker.email}
    assert all("Radiated spurious emissions test missing" in m.body_text for m in _mail())


def test_jobs_status_names_the_mode_and_the_oldest_unrelayed_event(lab, runner) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    certificates.change_status(lab.reviewer, number, "suspend", "re-test",
                                 settings=service_settings())
    events.happened("certificate.reinstated", "certificate", number, {})
    db.session.commit()  # committed outside a service: not relayed yet
    result = runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert "Jobs: in-process; mail: log; queue depth: no broker" in result.output
    assert "Outbox: 1 unrelayed, 0 with errors; oldest unrelayed: #3 certificate.reinstated" \
        in result.output
    assert "Mail: 2 sent" in result.output
    data = runner.invoke(args=["jobs", "status", "--json"])
    assert '"unrelayed": 1' in data.output


def test_a_worker_needs_a_broker(runner) -> None:
    result = runner.invoke(args=["worker"])
    assert result.exit_code != 0
    assert "set LABCERT_BROKER_URL" in result.output


def test_technicians_hear_of_instruments_due_for_calibration_within_30_days(lab) -> None:
    soon = make_instrument(asset_tag="PM-SOON", calibration_due=date.today() + timedelta(days=12))
    make_instrument(asset_tag="PM-LATER", calibration_due=date.today() + timedelta(days=45))
    colleague = make_user("technician")
    outcome = reminders.calibration_reminders(service_settings())
    assert outcome == "2 calibration reminders"
    mail = [m for m in _mail() if m.kind == "instrument.calibration_due"]
    assert sorted(m.to_address for m in mail) == sorted([lab.technician.email, colleague.email])
    assert all(m.subject == f"Instrument PM-SOON due for calibration on "
                            f"{soon.calibration_due.isoformat()}" for m in mail)
    assert reminders.calibration_reminders(service_settings()) == "0 calibration reminders"


def test_beat_asks_for_the_daily_jobs_and_runs_the_frequent_ones_on_their_own_clock() -> None:
    schedule_ = beat_schedule()
    assert schedule_["run-due"] == {"task": "labcert.run_due", "schedule": 600.0}
    assert schedule_["outbox.sweep"]["schedule"] == 60
    assert schedule_["verification_log.flush"]["schedule"] == 10
    assert {"certificates.expiry", "certificates.reminders", "instruments.calibration"} <= \
        set(schedule.DAILY)

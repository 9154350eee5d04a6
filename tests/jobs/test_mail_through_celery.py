"""Notifications through a real Celery worker, Redis and an SMTP server on loopback."""

from __future__ import annotations

import time

from labcert.extensions import db
from labcert.models import MailMessage
from labcert.runtime import service_settings
from labcert.services import certificates, notifications, watches
from labcert.services.review import reject
from tests.factories import approve, make_user
from tests.jobs.mailbox import html_of, text_of, wait_for

QUIET = 1.5  # seconds to wait after the expected mail, to see that nothing more comes


def test_an_approval_mails_each_user_of_the_manufacturer_once_with_the_number(
        lab, mailbox, worker) -> None:
    colleague = make_user("manufacturer", organization=lab.manufacturer)
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    wait_for(lambda: len(mailbox.messages) >= 2, what="two mails")
    time.sleep(QUIET)
    assert sorted(m["To"] for m in mailbox.messages) == sorted([lab.maker.email,
                                                                 colleague.email])
    link = f"http://labcert.test/verify/{certificate.number}"
    for message in mailbox.messages:
        assert certificate.number in message["Subject"]
        assert message["From"] == "LabCert <labcert@labcert.test>"
        for body in (text_of(message), html_of(message)):
            assert certificate.number in body and link in body
            assert certificate.valid_until.isoformat() in body and "pk-pta" in body
        assert not [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert lab.other_maker.email not in [m["To"] for m in mailbox.messages]


def test_a_suspension_mails_the_holder_and_every_watcher(lab, mailbox, worker) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    wait_for(lambda: len(mailbox.messages) == 1, what="the issue mail")
    mailbox.messages.clear()
    buyer, customs, bystander = (make_user("exporter") for _ in range(3))
    for watcher in (buyer, customs):
        watches.watch(watcher, number)
    notifications.set_preferences(customs, [])  # everything off: a suspension still comes
    certificates.change_status(lab.reviewer, number, "suspend", "Sample failed the SAR re-test",
                                 settings=service_settings())
    wait_for(lambda: len(mailbox.messages) >= 3, what="three mails")
    time.sleep(QUIET)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(
        [lab.maker.email, buyer.email, customs.email])
    for message in mailbox.messages:
        assert message["Subject"] == f"Certificate {number} suspended"
        assert "Sample failed the SAR re-test" in text_of(message)
    assert "you watch this certificate" in text_of(mailbox.to(buyer.email)[0])
    assert "you watch this certificate" not in text_of(mailbox.to(lab.maker.email)[0])
    assert mailbox.to(bystander.email) == []


def test_a_rejection_mails_the_reasons_to_the_technician_and_the_manufacturer(
        lab, mailbox, worker) -> None:
    application = lab.submitted()
    reasons = ["SAR body test missing", "The label photo is <blurred> & unreadable"]
    reject(lab.reviewer, application.id, reasons)
    wait_for(lambda: len(mailbox.messages) >= 2, what="two mails")
    time.sleep(QUIET)
    assert sorted(m["To"] for m in mailbox.messages) == sorted([lab.technician.email,
                                                                lab.maker.email])
    for message in mailbox.messages:
        assert application.number in message["Subject"]
        assert all(reason in text_of(message) for reason in reasons)
        assert "SAR body test missing" in html_of(message)
        assert "&lt;blurred&gt; &amp; unreadable" in html_of(message)  # escaped in HTML


def test_a_kind_turned_off_is_not_mailed_and_the_others_still_are(lab, mailbox, worker) -> None:
    colleague = make_user("manufacturer", organization=lab.manufacturer)
    kinds = [k for k in notifications.KINDS if k != "certificate.issued"]
    notifications.set_preferences(colleague, kinds)
    approve(lab.reviewer, lab.submitted().id)
    wait_for(lambda: len(mailbox.messages) >= 1, what="the maker's mail")
    time.sleep(QUIET)
    assert [m["To"] for m in mailbox.messages] == [lab.maker.email]
    db.session.expire_all()
    assert [m.status for m in db.session.query(MailMessage)] == ["sent"]


def test_jobs_status_shows_the_queue_depth_while_no_worker_runs(lab, runner) -> None:
    approve(lab.reviewer, lab.submitted().id)
    result = runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert "Jobs: celery; mail: smtp; queue depth: 1" in result.output
    assert "Outbox: 0 unrelayed" in result.output  # handed to the broker

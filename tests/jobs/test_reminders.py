"""Reminders at 60, 30 and 7 days before expiry, with time moved, each mailed once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import time_machine

from labcert.jobs import reminders, schedule
from labcert.runtime import service_settings
from tests.factories import approve
from tests.jobs.mailbox import text_of, wait_for


def _morning(day) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)


def test_reminders_come_at_60_30_and_7_days_once_each_even_when_the_jobs_run_twice(
        lab, mailbox, worker) -> None:
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    number, valid_until = certificate.number, certificate.valid_until
    wait_for(lambda: len(mailbox.messages) == 1, what="the issue mail")
    mailbox.messages.clear()

    def reminders_to_maker() -> list[str]:
        return [m["Subject"] for m in mailbox.to(lab.maker.email)]

    for sent, days in enumerate((60, 30, 7), start=1):
        with time_machine.travel(_morning(valid_until - timedelta(days=days)), tick=True):
            schedule.run_due()  # cron
            schedule.run_due()  # and again the same day: the day's run is claimed
            reminders.certificate_reminders(service_settings())  # the job itself, once more
            wait_for(lambda n=sent: len(reminders_to_maker()) >= n, what=f"the {days}-day mail")
            time.sleep(1.5)
        assert reminders_to_maker()[-1] == \
            f"Certificate {number} expires in {days} days ({valid_until.isoformat()})"
        assert len(reminders_to_maker()) == sent
        assert f"expires in {days} days, on {valid_until.isoformat()}" in \
            text_of(mailbox.to(lab.maker.email)[-1])

    # The days in between, and the day after the last reminder, bring nothing new.
    for days in (59, 29, 6):
        with time_machine.travel(_morning(valid_until - timedelta(days=days)), tick=True):
            schedule.run_due()
            reminders.certificate_reminders(service_settings())
    time.sleep(1.5)
    assert len(reminders_to_maker()) == 3
    assert [m for m in mailbox.messages if m["To"] != lab.maker.email
            and "expires in" in m["Subject"]] == []  # nobody else holds the certificate

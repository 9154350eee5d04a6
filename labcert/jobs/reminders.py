"""Daily reminders: certificates expiring in 60/30/7 days, instruments due for calibration."""

from __future__ import annotations

from labcert.jobs import work
from labcert.jobs.schedule import daily
from labcert.services import mail_drafts
from labcert.services.settings import ServiceSettings


@daily("certificates.reminders")
def certificate_reminders(settings: ServiceSettings) -> str:
    """Mail the holders of certificates reaching 60, 30 or 7 days before expiry."""
    return f"{work.send_drafts(mail_drafts.for_expiring(settings))} expiry reminders"


@daily("instruments.calibration")
def calibration_reminders(settings: ServiceSettings) -> str:
    """Mail the lab's technicians about instruments due for calibration within 30 days."""
    return f"{work.send_drafts(mail_drafts.for_calibration(settings))} calibration reminders"

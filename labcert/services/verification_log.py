"""The verification log: one row per public check (time, certificate, channel, outcome).

Every channel (number, QR, PDF upload, shipment, API) logs through `log_check`, and nothing
personal is stored: no address, no IMEI, no file.
"""

from __future__ import annotations

from labcert.extensions import db
from labcert.models import VerificationLog


def log_check(number: str | None, channel: str, outcome: str) -> None:
    """Record one verification and commit it (a public check changes nothing else)."""
    db.session.add(VerificationLog(certificate_number=number, channel=channel, outcome=outcome))
    db.session.commit()

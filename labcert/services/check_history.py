"""An exporter's history of checks: what each check answered then, and the status now.

Checks reach `verification_log` either at once (no Redis) or through the Redis stream that
the `verification_log.flush` job moves into the table every few seconds; either way a check
run by a signed-in exporter carries their user id (services/verification_log.py). Only the
facts the log keeps are shown: no IMEI, no file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.lifecycles.certificate import IN_FORCE, effective_status
from labcert.models import Certificate, VerificationLog

MAX_PER_PAGE = 100
KINDS = {"page": "number", "qr": "QR code", "page_pdf": "PDF", "page_shipment": "shipment",
         "page_credential": "credential", "api": "number (API)", "api_pdf": "PDF (API)",
         "api_shipment": "shipment (API)"}


@dataclass(frozen=True)
class PastCheck:
    """One check as the history tells it."""

    at: datetime
    kind: str
    number: str | None
    market: str | None
    answer: str
    ok_then: bool
    status_now: str | None


def _answer(channel: str, outcome: str) -> tuple[str, bool]:
    """Tell a logged outcome in words, and whether it was a good answer then."""
    if outcome.startswith("shipment:"):
        covered, _, total = outcome.removeprefix("shipment:").partition("/")
        return f"{covered} of {total} IMEIs covered", covered == total
    if outcome.startswith("qr_not_genuine:"):
        return "QR code not genuine", False
    if outcome == "unknown_number":
        return "not registered", False
    if outcome == "not_a_credential":
        return "not a credential", False
    verdict, _, status = outcome.partition(":")
    if status:  # a PDF or a credential: authentic or not, and the status then
        if verdict != "authentic":
            return "not authentic", False
        return f"authentic, {status}", status == IN_FORCE
    return outcome, outcome == IN_FORCE  # a number or QR lookup: the status then


def checks_by(user_id: int, today: date, page: int = 1,
              per_page: int = 50) -> tuple[list[PastCheck], int]:
    """Return one page of the user's checks, newest first, and how many there are."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    mine = VerificationLog.user_id == user_id
    total = db.session.scalar(select(func.count()).select_from(VerificationLog).where(mine)) or 0
    rows = list(db.session.scalars(select(VerificationLog).where(mine).order_by(
        VerificationLog.at.desc(), VerificationLog.id.desc()).limit(per_page)
        .offset((page - 1) * per_page)))
    numbers = {r.certificate_number for r in rows if r.certificate_number}
    now = {number: effective_status(status, valid_until, today)
           for number, status, valid_until in db.session.execute(
               select(Certificate.number, Certificate.status, Certificate.valid_until)
               .where(Certificate.number.in_(numbers)))} if numbers else {}
    checks = []
    for row in rows:
        answer, ok = _answer(row.channel, row.outcome)
        checks.append(PastCheck(at=row.at, kind=KINDS.get(row.channel, row.channel),
                                number=row.certificate_number, market=row.market,
                                answer=answer, ok_then=ok,
                                status_now=now.get(row.certificate_number or "")))
    return checks, total

"""An exporter's history of checks: what each check answered then, and the status now.

Checks reach `verification_log` either at once (no Redis) or through the Redis stream that
the `verification_log.flush` job moves into the table every few seconds; either way a check
run by a signed-in exporter carries their user id (services/verification_log.py). Only the
facts the log keeps are shown: no IMEI, no file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.lifecycles.certificate import IN_FORCE, effective_status
from labcert.models import Certificate, VerificationLog

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PastCheck:
    """One check as the history tells it; the page words `answer` in the reader's language.

    `answer` is one of: `status` (a number or QR lookup: `status_then`), `unregistered`,
    `qr_not_genuine`, `authentic` (a PDF or credential: `status_then`), `not_authentic`,
    `not_a_credential`, `shipment` (`covered` of `total` IMEIs).
    """

    at: datetime
    channel: str
    number: str | None
    market: str | None
    answer: str
    ok_then: bool
    status_then: str | None
    status_now: str | None
    covered: int = 0
    total: int = 0


def _answer(outcome: str) -> dict[str, Any]:
    """Read a logged outcome: what the answer was, and whether it was a good one."""
    if outcome.startswith("shipment:"):
        covered, _, total = outcome.removeprefix("shipment:").partition("/")
        count, of = int(covered or 0), int(total or 0)
        return {"answer": "shipment", "ok_then": count == of, "covered": count, "total": of,
                "status_then": None}
    if outcome in ("unknown_number", "not_a_credential"):
        return {"answer": "unregistered" if outcome == "unknown_number" else outcome,
                "ok_then": False, "status_then": None}
    verdict, _, status = outcome.partition(":")
    if verdict == "qr_not_genuine":
        return {"answer": verdict, "ok_then": False, "status_then": status}
    if status:  # a PDF or a credential: authentic or not, and the status then
        authentic = verdict == "authentic"
        return {"answer": "authentic" if authentic else "not_authentic",
                "ok_then": authentic and status == IN_FORCE,
                "status_then": status if authentic else None}
    return {"answer": "status", "ok_then": outcome == IN_FORCE, "status_then": outcome}


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
    checks = [PastCheck(at=row.at, channel=row.channel, number=row.certificate_number,
                        market=row.market, status_now=now.get(row.certificate_number or ""),
                        **_answer(row.outcome)) for row in rows]
    return checks, total

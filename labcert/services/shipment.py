"""Shipment checks: is each IMEI covered by a valid certificate for the market?"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.imei import imei_errors, normalise_imei
from labcert.languages import N_
from labcert.lifecycles.certificate import IN_FORCE, RANK
from labcert.models import Certificate, ProductTac
from labcert.rules import UnknownCriteriaSet, load_registry
from labcert.rules.names import market_name
from labcert.services.verification_log import log_check

MAX_IMEIS = 10_000
CHUNK = 900  # bound on IN-list size: SQLite and PostgreSQL both take it, queries stay few


def _certificates_by_tac(tacs: Sequence[str], market: str,
                         today: date) -> dict[str, Certificate]:
    """Return, per TAC, the most favourable certificate for the market (ceil(n/900) queries)."""
    best: dict[str, Certificate] = {}
    for start in range(0, len(tacs), CHUNK):
        rows = db.session.execute(
            select(ProductTac.tac, Certificate)
            .join(Certificate, Certificate.product_id == ProductTac.product_id)
            .where(ProductTac.tac.in_(tacs[start:start + CHUNK]), Certificate.market == market)
        )
        for tac, certificate in rows:
            current = best.get(tac)
            if current is None or RANK[certificate.effective_status(today)] < \
                    RANK[current.effective_status(today)]:
                best[tac] = certificate
    return best


def _line(imei: str, certificate: Certificate | None, market: str, today: date) -> dict[str, Any]:
    """Answer one IMEI; `market` is the market's name, as the reason tells it."""
    problems = imei_errors(imei)
    if problems:
        return {"imei": imei, "luhn_valid": False, "certificate": None, "status": None,
                "covered": False, "reason": problems[0]}
    if certificate is None:
        return {"imei": imei, "luhn_valid": True, "certificate": None, "status": None,
                "covered": False,
                "reason": f"No certificate for {market} covers TAC {imei[:8]}."}
    status = certificate.effective_status(today)
    covered = status == IN_FORCE
    reason = (f"TAC {imei[:8]} is covered by certificate {certificate.number}, valid until "
              f"{certificate.valid_until.isoformat()}." if covered else
              f"Certificate {certificate.number} for TAC {imei[:8]} is {status}.")
    return {"imei": imei, "luhn_valid": True, "certificate": certificate.number,
            "status": status, "covered": covered, "reason": reason,
            "valid_until": certificate.valid_until.isoformat()}


def check_shipment(market: str, imeis: Sequence[Any], today: date,
                   channel: str = "shipment") -> dict[str, Any]:
    """Check up to 10 000 IMEIs against a market with a bounded number of queries."""
    problems = []
    try:
        load_registry().resolve(market, today)
    except UnknownCriteriaSet as error:
        problems.append(("market", error.message))
    if not isinstance(imeis, list | tuple) or not imeis:
        problems.append(("imeis", N_("Send a list of IMEIs (at least one).")))
    elif len(imeis) > MAX_IMEIS:
        problems.append(("imeis", f"At most {MAX_IMEIS} IMEIs per request; split the shipment."))
    elif not all(isinstance(i, str) for i in imeis):
        problems.append(("imeis", N_("Send each IMEI as a string of digits.")))
    if problems:
        raise ValidationFailed.of(problems)
    cleaned = [normalise_imei(i) for i in imeis]
    tacs = sorted({i[:8] for i in cleaned if not imei_errors(i)})
    market_id = market.split("@")[0]
    found = _certificates_by_tac(tacs, market_id, today)
    name = market_name(market)
    lines = [_line(i, found.get(i[:8]), name, today) for i in cleaned]
    covered = sum(1 for line in lines if line["covered"])
    log_check(None, channel, f"shipment:{covered}/{len(lines)}", market=market_id)
    return {"market": market_id, "market_name": name, "total": len(lines),
            "covered": covered, "not_covered": len(lines) - covered, "items": lines}

"""The certificate snapshot: every fact the certificate states, as plain JSON-safe values."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from typing import Any

from labcert.models import Application, User
from labcert.rules import ENGINE_VERSION
from labcert.services.evaluations import MarketEvaluation
from labcert.services.organizations import lab_profile


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later (the last day of the month if it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")


def lab_facts() -> dict[str, Any]:
    """Return the issuing lab's name, address, accreditation and the SHA-256 of its logo."""
    profile = lab_profile()
    logo = profile["logo"]
    return {"name": profile["name"], "address": profile["address"],
            "country": profile["country"],
            "accreditation_number": profile["accreditation_number"],
            "logo_sha256": hashlib.sha256(logo).hexdigest() if logo else None}


def lab_logo_uri(lab: dict[str, Any]) -> str | None:
    """Return the lab's logo as a data: URI if it is the one the snapshot names."""
    profile = lab_profile()
    logo = profile["logo"]
    if not logo or hashlib.sha256(logo).hexdigest() != lab.get("logo_sha256"):
        return None
    return f"data:{profile['logo_mimetype']};base64,{base64.b64encode(logo).decode()}"


def build_snapshot(application: Application, item: MarketEvaluation, *, number: str,
                   revision: int, issued_at: datetime, signatory: User,
                   supersedes: str | None = None, amendment_reason: str | None = None,
                   product_changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Collect what the certificate states; the PDF and the registry are built from this alone."""
    product, holder = application.product, application.manufacturer
    criteria_set = item.criteria_set
    valid_until = add_months(issued_at.date(), criteria_set.validity_months)
    product_facts = {
        "brand": product.brand, "model": product.model, "marketing_name": product.marketing_name,
        "category": product.category, "hardware_version": product.hardware_version,
        "software_version": product.software_version, "technologies": list(product.technologies),
        "bands": list(product.bands), "tacs": list(product.tacs)}
    product_facts.update(product_changes or {})
    standards = list(dict.fromkeys(c.standard for c in criteria_set.criteria if c.standard))
    return {
        "certificate": {"number": number, "revision": revision, "display_number": number,
                        "issued_at": issued_at.isoformat(), "valid_until": valid_until.isoformat(),
                        "supersedes": supersedes, "amendment_reason": amendment_reason},
        "lab": lab_facts(),
        "signatory": {"name": signatory.name, "role": "Authorized signatory (reviewer)"},
        "holder": {"name": holder.name, "address": holder.address, "country": holder.country,
                   "factory_sites": list(holder.factory_sites or [])},
        "product": product_facts,
        "samples": [{"imei": s.imei, "serial": s.serial, "received_at": s.received_at.isoformat(),
                     "condition": s.condition} for s in application.samples],
        "application": {"number": application.number},
        "market": {"id": criteria_set.id, "title": criteria_set.title,
                   "criteria_set": criteria_set.ref, "standards": standards,
                   "decision_rule_text": criteria_set.decision_rule_text},
        "evaluation": item.evaluation.to_dict(),
        "engine_version": ENGINE_VERSION,
    }

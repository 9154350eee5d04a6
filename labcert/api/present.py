"""Turn models into the plain dicts the API schemas dump."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from labcert.models import Application, Certificate, Organization, Sample, TestResult
from labcert.services.paging import Page


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def organization(org: Organization) -> dict[str, Any]:
    """Return an organization, briefly."""
    return {"id": org.id, "name": org.name, "kind": org.kind}


def product(application: Application) -> dict[str, Any]:
    """Return the product facts."""
    item = application.product
    return {"brand": item.brand, "model": item.model, "marketing_name": item.marketing_name,
            "category": item.category, "hardware_version": item.hardware_version,
            "software_version": item.software_version, "technologies": item.technologies,
            "bands": item.bands, "tacs": item.tacs, "facts": item.facts}


def sample(row: Sample) -> dict[str, Any]:
    """Return a sample."""
    return {"id": row.id, "imei": row.imei, "serial": row.serial, "received_at": row.received_at,
            "condition": row.condition}


def result(row: TestResult, imeis: dict[int, str]) -> dict[str, Any]:
    """Return a result with exact decimal strings."""
    return {"id": row.id, "test": row.test_code, "value": _text(row.value),
            "observation": row.observation, "unit": row.unit,
            "uncertainty": _text(row.uncertainty), "uncertainty_pct": _text(row.uncertainty_pct),
            "k": _text(row.k), "conditions": row.conditions,
            "sample_imei": imeis.get(row.sample_id or 0),
            "instrument": row.instrument.asset_tag if row.instrument else None,
            "tested_at": row.tested_at, "entered_by": row.entered_by.email, "source": row.source,
            "supersedes": row.supersedes_id, "superseded_by": row.superseded_by_id,
            "correction_reason": row.correction_reason,
            "uncertainty_from": row.uncertainty_from}


def application_item(application: Application) -> dict[str, Any]:
    """Return an application for a list."""
    return {"id": application.id, "number": application.number, "state": application.state,
            "manufacturer": organization(application.manufacturer),
            "product": product(application), "markets": application.markets,
            "created_at": application.created_at}


def certificate(cert: Certificate, today: date, *, events: bool = False) -> dict[str, Any]:
    """Return a certificate for the API (status is the effective one: expired is derived)."""
    facts = cert.facts
    data = {"number": cert.number, "revision": cert.revision, "market": cert.market,
            "criteria_set": cert.criteria_set, "application_id": cert.application_id,
            "status": cert.effective_status(today), "status_reason": cert.status_reason,
            "issued_at": cert.issued_at, "valid_until": cert.valid_until,
            "pdf_sha256": cert.pdf_sha256, "holder": facts.holder.name,
            "product": {"brand": facts.product.brand, "model": facts.product.model,
                        "marketing_name": facts.product.marketing_name},
            "supersedes": cert.predecessor.number if cert.predecessor else None,
            "superseded_by": cert.successor.number if cert.successor else None}
    if events:
        data["events"] = [{"action": e.action, "from_status": e.from_status,
                           "to_status": e.to_status, "reason": e.reason, "at": e.at,
                           "actor": e.actor.name if e.actor else None} for e in cert.events]
    return data


def page(found: Page[Any], item: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Return one page of a list: the items, the exact total, and where this page is."""
    return {"items": [item(row) for row in found.items], "total": found.total,
            "page": found.page, "per_page": found.per_page}

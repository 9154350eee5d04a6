"""The plain facts a notification tells: a certificate's, an application's, an instrument's."""

from __future__ import annotations

from datetime import date
from typing import Any

from labcert.lifecycles.certificate import WORDS
from labcert.models import Application, Certificate, Instrument
from labcert.services.settings import ServiceSettings


def certificate_context(certificate: Certificate, settings: ServiceSettings) -> dict[str, Any]:
    """Return what a mail says about a certificate (never the PDF itself)."""
    facts = certificate.facts
    status = certificate.effective_status(settings.today())
    product = facts.product
    successor = certificate.successor
    return {
        "number": certificate.number, "revision": certificate.revision,
        "market": certificate.market, "criteria_set": certificate.criteria_set,
        "issued_on": certificate.issued_at.date().isoformat(),
        "valid_until": certificate.valid_until.isoformat(), "status": status,
        "status_sentence": WORDS[status].sentence, "status_reason": certificate.status_reason,
        "superseded_by": successor.number if successor else None,
        "holder": facts.holder.name,
        "product": " ".join(p for p in (product.brand, product.model) if p)
                   + (f" ({product.marketing_name})" if product.marketing_name else ""),
        "verification_url": settings.verification_url(certificate.number),
        "account_url": f"{settings.public_url}/account/notifications",
        "lab_name": facts.lab.name or settings.lab_name,
    }


def rejection_context(application: Application, reasons: list[str],
                      settings: ServiceSettings) -> dict[str, Any]:
    """Return what a rejection mail says: the application and the reviewer's reasons."""
    product = application.product
    return {
        "number": application.number, "reasons": list(reasons),
        "product": f"{product.brand} {product.model}", "markets": ", ".join(application.markets),
        "application_url": f"{settings.public_url}/lab/applications/{application.id}",
        "account_url": f"{settings.public_url}/account/notifications",
        "lab_name": settings.lab_name,
    }


def calibration_context(instrument: Instrument, today: date,
                        settings: ServiceSettings) -> dict[str, Any]:
    """Return what a calibration reminder says about an instrument."""
    return {
        "asset_tag": instrument.asset_tag, "name": instrument.name,
        "calibration_due": instrument.calibration_due.isoformat(),
        "days_left": (instrument.calibration_due - today).days,
        "account_url": f"{settings.public_url}/account/notifications",
        "lab_name": settings.lab_name,
    }

"""Collect what a certificate states, at issuance, into typed certificate facts."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from labcert.certificate_facts import (
    CertificateFacts,
    Holder,
    Identity,
    Lab,
    Market,
    Product,
    SampleFact,
    Signatory,
)
from labcert.models import Application, User
from labcert.rules import ENGINE_VERSION
from labcert.rules.frozen import freeze
from labcert.services import logos
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


def lab_facts(fallback_name: str) -> Lab:
    """Return the issuing lab's name, address, accreditation and the SHA-256 of its logo."""
    profile = lab_profile(fallback_name)
    logo = profile["logo"]
    return Lab(name=profile["name"], address=profile["address"], country=profile["country"],
               accreditation_number=profile["accreditation_number"],
               logo_sha256=hashlib.sha256(logo).hexdigest() if logo else None)


def lab_logo_uri(lab: Lab, fallback_name: str) -> str | None:
    """Return the lab's logo as a data: URI if it is the one the facts name."""
    profile = lab_profile(fallback_name)
    logo = profile["logo"]
    if not logo or hashlib.sha256(logo).hexdigest() != lab.logo_sha256:
        return None
    return logos.data_uri(logo, profile["logo_mimetype"])


def build_facts(application: Application, item: MarketEvaluation, *, number: str,
                issued_at: datetime, signatory: User, lab: Lab) -> CertificateFacts:
    """Collect what a first certificate states; the PDF and the registry are built from this."""
    product, holder = application.product, application.manufacturer
    criteria_set = item.criteria_set
    standards = tuple(dict.fromkeys(c.standard for c in criteria_set.criteria if c.standard))
    return CertificateFacts(
        certificate=Identity(number=number, display_number=number, revision=0,
                             issued_at=issued_at,
                             valid_until=add_months(issued_at.date(),
                                                    criteria_set.validity_months)),
        lab=lab,
        signatory=Signatory(name=signatory.name),
        holder=Holder(name=holder.name, address=holder.address, country=holder.country,
                      factory_sites=tuple(holder.factory_sites or ())),
        product=Product(brand=product.brand, model=product.model,
                        marketing_name=product.marketing_name, category=product.category,
                        hardware_version=product.hardware_version,
                        software_version=product.software_version,
                        technologies=tuple(product.technologies), bands=tuple(product.bands),
                        tacs=tuple(product.tacs)),
        samples=tuple(SampleFact(imei=s.imei, serial=s.serial, received_at=s.received_at,
                                 condition=s.condition) for s in application.samples),
        application_number=application.number,
        market=Market(id=criteria_set.id, title=criteria_set.title,
                      criteria_set=criteria_set.ref, standards=standards,
                      decision_rule_text=criteria_set.decision_rule_text,
                      languages=criteria_set.certificate_languages),
        evaluation=freeze(item.evaluation.to_dict()),
        engine_version=ENGINE_VERSION,
    )

"""Demo applications in every state, and issued certificates, built through the real services."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Application, Organization, User
from labcert.rules import load_registry
from labcert.rules.checks import luhn_check_digit
from labcert.services.applications import cancel_application, create_application, submit_application
from labcert.services.results import add_results
from labcert.services.review import approve, reject
from labcert.services.samples import add_sample
from labcert.services.settings import ServiceSettings

PRODUCTS = (  # (brand, model, marketing name, what happens to the application)
    ("Xiaomi", "23124RN87G", "Redmi 13C", "approved"),
    ("Xiaomi", "2409BRN2CG", "Redmi 14C", "submitted"),
    ("Nokia", "TA-1561", "Nokia C32", "testing"),
    ("Samsung", "SM-A055F", "Galaxy A05", "rejected"),
    ("Vivo", "V2333", "Vivo Y03", "draft"),
    ("Oppo", "CPH2591", "Oppo A18", "cancelled"),
)


def _imei(tac: str, serial: int) -> str:
    body = f"{tac}{serial:06d}"
    return body + str(luhn_check_digit(body))


INSTRUMENT_OF = {"sar": "SAR-01", "rf": "RF-01", "emc": "EMC-01", "rohs": "XRF-01"}


def _items(example: Any, tested_at: datetime, imei: str) -> list[dict[str, Any]]:
    items = []
    for result in example.results:
        item: dict[str, Any] = {"test": result.test, "conditions": dict(result.conditions),
                                "tested_at": tested_at.isoformat(), "sample_imei": imei}
        if result.value is not None:
            tag = INSTRUMENT_OF.get(result.test.split(".")[0], "BAT-01")
            item.update(value=str(result.value), unit=result.unit, instrument=tag)
            if result.uncertainty is not None:
                item["uncertainty"] = str(result.uncertainty)
        else:
            item["observation"] = result.observation
        items.append(item)
    return items


def seed_applications(today: date, *, settings: ServiceSettings | None) -> int:
    """Create the demo applications once; return how many were created.

    Without settings (no usable signing key) approved demo applications issue no certificate.
    """
    maker = db.session.scalar(select(Organization).where(Organization.name ==
                                                         "Air Link Communication Ltd"))
    tech = db.session.scalar(select(User).where(User.email == "tech@lab.example"))
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer@lab.example"))
    if maker is None or tech is None or reviewer is None or db.session.scalar(
            select(func.count()).select_from(Application)
            .where(Application.manufacturer_id == maker.id)):
        return 0
    example = next(e for e in load_registry().resolve("pk-pta", today).examples
                   if e.expect.verdict == "pass")
    tested_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    for index, (brand, model, name, fate) in enumerate(PRODUCTS):
        tac = f"86{index + 1:02d}{zlib.crc32(model.encode()) % 10_000:04d}"
        facts = {"brand": brand, "model": model, "marketing_name": name,
                 "hardware_version": "P1.0", "software_version": "1.0.0",
                 "technologies": sorted(example.product.technologies),
                 "bands": sorted(example.product.bands), "tacs": [tac]}
        application = create_application(tech, product=facts, markets=["pk-pta", "eu-red"],
                                         manufacturer_id=maker.id, today=today)
        if fate in ("draft", "cancelled"):
            if fate == "cancelled":
                cancel_application(tech, application.id, "Manufacturer postponed the model")
            continue
        for serial in (1, 2):
            add_sample(tech, application.id, imei=_imei(tac, serial),
                       received_at=today - timedelta(days=7), condition="new, sealed box")
        add_results(tech, application.id, _items(example, tested_at, _imei(tac, 1)),
                    source="demo")
        if fate == "testing":
            continue
        submit_application(tech, application.id)
        if fate == "rejected":
            reject(reviewer, application.id, ["SAR body-worn test at 5 mm is missing"])
        elif fate == "approved" and settings is not None:
            approve(reviewer, application.id, settings=settings, today=today)
    return len(PRODUCTS)

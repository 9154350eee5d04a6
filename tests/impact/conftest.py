"""EU certificates built through the real workflow: open, sample, results, submit, approve."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from labcert.models import Certificate
from labcert.rules import load_registry
from labcert.rules.catalogue import CRITERIA_DIR
from labcert.rules.checks import luhn_check_digit
from labcert.runtime import service_settings
from labcert.services import review
from labcert.services.applications import create_application, submit_application
from labcert.services.results import add_results
from labcert.services.samples import add_sample
from tests.impact.versions import NEXT, write_next_version
from tests.workflow.conftest import Lab, lab, result_items  # noqa: F401  (the fixture)

BASE = "compliant smartphone with EN 18031 passes"
_serial = iter(range(100_000, 999_999))


def eu_example() -> Any:
    """Return the golden passing example of the EU set in force (eu-red@2026.11)."""
    criteria_set = load_registry().resolve("eu-red@2026.11", date.today())
    return next(e for e in criteria_set.examples if e.name == BASE)


def eu_items(staff: Lab, *, drop: Iterable[tuple[str, Any]] = (),
             add: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Return the golden EU results as API items, without `drop` (test, condition subset)."""
    items, dropped = [], 0
    drop = list(drop)
    for item in result_items(eu_example(), staff.instrument):
        if any(item["test"] == test and all(str(item["conditions"].get(k)) == str(v)
                                            for k, v in where.items())
               for test, where in drop):
            dropped += 1
            continue
        items.append(item)
    assert dropped == len(drop), "a result to drop is not in the golden example"
    tested_at = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0).isoformat()
    instrument = {"instrument": staff.instrument.asset_tag}
    return items + [{"tested_at": tested_at, **(instrument if "value" in extra else {}), **extra}
                    for extra in add]


def measured(*items: dict[str, Any]) -> list[dict[str, Any]]:
    """Return result items measured two days ago."""
    tested_at = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0).isoformat()
    return [{"tested_at": tested_at, **item} for item in items]


def new_imei() -> str:
    """Return a valid IMEI on the golden TAC, new each call."""
    body = f"35209900{next(_serial):06d}"
    return body + str(luhn_check_digit(body))


def certify(staff: Lab, model: str, items: list[dict[str, Any]], *,
            issued_at: datetime | None = None, holder: Any = None) -> Certificate:
    """Open an EU application, test, submit and approve it; return the certificate."""
    ex = eu_example()
    product = {"brand": ex.product.brand, "model": model, "category": "smartphone",
               "technologies": sorted(ex.product.technologies),
               "bands": sorted(ex.product.bands), "tacs": list(ex.product.tacs),
               "facts": {"has_internet": True}}
    application = create_application(staff.technician, product=product, markets=["eu-red"],
                                     manufacturer_id=(holder or staff.manufacturer).id)
    imei = new_imei()
    add_sample(staff.technician, application.id, imei=imei,
               received_at=date.today() - timedelta(days=5))
    add_results(staff.technician, application.id,
                [{**item, "sample_imei": imei} for item in items])  # traceability at entry
    submit_application(staff.technician, application.id)
    settings = service_settings()
    if issued_at is not None:
        settings = dataclasses.replace(settings, clock=lambda: issued_at)
    approval = review.approve(staff.reviewer, application.id, settings=settings,
                              today=settings.today())
    assert len(approval.certificates) == 1, approval.not_issued
    return approval.certificates[0]


@pytest.fixture
def eu_lab(lab: Lab) -> Lab:  # noqa: F811
    """Return the small lab of the workflow tests."""
    return lab


@pytest.fixture
def published_next(tmp_path, monkeypatch):
    """Put the test version eu-red@2031.11 in the registry as a published version."""
    for path in CRITERIA_DIR.glob("*@*.yaml"):
        if path.name != "eu-red@2027.01.yaml":  # the draft would sit between the two
            shutil.copy(path, tmp_path / path.name)
    write_next_version(tmp_path)
    monkeypatch.setattr("labcert.rules.registry.CRITERIA_DIR", tmp_path)
    load_registry.cache_clear()
    yield load_registry().resolve(NEXT, service_settings().today())
    load_registry.cache_clear()

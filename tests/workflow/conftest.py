"""A small lab, and applications built through the real services from the golden examples."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from labcert.models import Application, Instrument, Organization, User
from labcert.rules import load_registry
from labcert.services.applications import create_application, submit_application
from labcert.services.results import add_results
from labcert.services.samples import add_sample
from tests.factories import make_instrument, make_organization, make_user

TESTED_AT = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)


def example(market: str = "pk-pta", name_part: str = "passes"):
    """Return the first golden example of a set whose name contains `name_part`."""
    criteria_set = load_registry().resolve(market, date.today())
    return next(e for e in criteria_set.examples if name_part in e.name)


def result_items(ex: Any, instrument: Instrument | None,
                 imei: str | None = None) -> list[dict[str, Any]]:
    """Turn a golden example's results into API items measured now with `instrument`.

    Every item names a sample: `imei`, else the example's first sample IMEI.
    """
    imei = imei or ex.product.sample_imeis[0]
    items = []
    for res in ex.results:
        item: dict[str, Any] = {"test": res.test, "conditions": dict(res.conditions),
                                "tested_at": TESTED_AT.isoformat(), "sample_imei": imei}
        if res.value is not None:
            item.update(value=str(res.value), unit=res.unit)
        else:
            item["observation"] = res.observation
        if res.uncertainty is not None:
            item["uncertainty"] = str(res.uncertainty)
        if instrument is not None and res.value is not None:
            item["instrument"] = instrument.asset_tag
        items.append(item)
    return items


@dataclass
class Lab:
    """The people and things of a small lab."""

    technician: User
    reviewer: User
    other_reviewer: User
    manufacturer: Organization
    maker: User
    other_maker: User
    instrument: Instrument

    def open(self, markets: tuple[str, ...] = ("pk-pta",), **product: Any) -> Application:
        """Open an application for the golden pk-pta product."""
        ex = example()
        facts = {"brand": ex.product.brand, "model": ex.product.model,
                 "technologies": sorted(ex.product.technologies),
                 "bands": sorted(ex.product.bands), "tacs": list(ex.product.tacs)}
        facts.update(product)
        return create_application(self.technician, product=facts, markets=list(markets),
                                  manufacturer_id=self.manufacturer.id)

    def sampled(self, application: Application | None = None, **kwargs: Any) -> Application:
        """Open an application (unless given) and register the golden samples."""
        application = application or self.open(**kwargs)
        for imei in example().product.sample_imeis:
            add_sample(self.technician, application.id, imei=imei,
                       received_at=date.today() - timedelta(days=5))
        return application

    def tested(self, application: Application | None = None) -> Application:
        """Add the golden samples and passing results."""
        application = self.sampled(application)
        ex = example()
        add_results(self.technician, application.id, result_items(ex, self.instrument))
        return application

    def submitted(self) -> Application:
        """Return a tested application sent to review."""
        return submit_application(self.technician, self.tested().id)

    def submitted_again(self) -> Application:
        """Return a second submitted application for the golden product (new samples)."""
        application = self.open()
        for imei in ("352099001761499", "864592050123463"):
            add_sample(self.technician, application.id, imei=imei,
                       received_at=date.today() - timedelta(days=5))
        add_results(self.technician, application.id,
                    result_items(example(), self.instrument, "352099001761499"))
        return submit_application(self.technician, application.id)


@pytest.fixture
def lab(app: Any) -> Lab:
    """Return a lab with a technician, two reviewers, a manufacturer and an instrument."""
    manufacturer = make_organization(name="Air Link Communication Ltd", kind="manufacturer")
    make_organization(name="LabCert Test Laboratory", kind="lab", address="Lahore",
                      accreditation_number="PNAC-TL-TEST")
    return Lab(technician=make_user("technician"), reviewer=make_user("reviewer"),
               other_reviewer=make_user("reviewer"), manufacturer=manufacturer,
               maker=make_user("manufacturer", organization=manufacturer),
               other_maker=make_user("manufacturer"), instrument=make_instrument())

"""Factories for the lab and review pages, built through the services (never raw rows)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from labcert.models import Application, Organization, Sample, User
from labcert.rules import load_registry
from labcert.rules.checks import luhn_check_digit
from labcert.services.applications import create_application, submit_application
from labcert.services.results import add_results
from labcert.services.samples import add_sample
from tests.factories import PASSWORD, make_instrument, make_organization, make_user

TAC = "35840212"
_serial = itertools.count(1)

# The eaeu criteria set passes with these ten results (its golden example).
EAEU_PASSING = [
    {"test": "rohs.pb", "value": "420", "unit": "ppm", "uncertainty": "50",
     "conditions": {"material": "solder"}},
    {"test": "rohs.hg", "value": "2", "unit": "ppm", "uncertainty": "1",
     "conditions": {"material": "solder"}},
    {"test": "rohs.cd", "value": "12", "unit": "mg/kg", "uncertainty": "4",
     "conditions": {"material": "solder"}},
    {"test": "rohs.cr6", "value": "8", "unit": "ppm", "uncertainty": "3",
     "conditions": {"material": "screw coating"}},
    {"test": "rohs.pbb", "value": "3", "unit": "ppm", "uncertainty": "2",
     "conditions": {"material": "housing"}},
    {"test": "rohs.pbde", "value": "9", "unit": "ppm", "uncertainty": "3",
     "conditions": {"material": "housing"}},
    {"test": "emc.radiated", "value": "34.1", "unit": "dBuV/m", "uncertainty": "5.2",
     "conditions": {"frequency_mhz": "96", "detector": "QP", "distance_m": "3"}},
    {"test": "emc.radiated", "value": "41.5", "unit": "dBuV/m", "uncertainty": "5.2",
     "conditions": {"frequency_mhz": "640", "detector": "QP", "distance_m": "3"}},
    {"test": "emc.esd", "observation": "B",
     "conditions": {"discharge": "contact", "level_kv": "4"}},
    {"test": "emc.esd", "observation": "A", "conditions": {"discharge": "air", "level_kv": "8"}},
]


def current_ref(market: str) -> str:
    """Return 'id@version' of the market's criteria set in force today (versions come and go)."""
    return load_registry().resolve(market, date.today()).ref


def new_imei(tac: str = TAC) -> str:
    """Return a fresh IMEI with a valid check digit."""
    body = f"{tac}{next(_serial):06d}"
    return body + str(luhn_check_digit(body))


def with_wrong_check_digit(imei: str) -> str:
    """Return the IMEI with its check digit changed."""
    return imei[:14] + str((int(imei[14]) + 1) % 10)


def past_timestamp(days_ago: int = 1) -> str:
    """Return an ISO timestamp in the past, in UTC."""
    return (datetime.now(UTC) - timedelta(days=days_ago)).replace(microsecond=0).isoformat()


def make_application(technician: User | None = None, *, manufacturer: Organization | None = None,
                     markets: list[str] | None = None, **product: Any) -> Application:
    """Open a draft application through the service."""
    technician = technician or make_user("technician")
    manufacturer = manufacturer or make_organization(kind="manufacturer")
    facts = {"brand": "Indus", "model": f"IM-{next(_serial)}", "category": "smartphone",
             "technologies": ["gsm", "lte", "wlan", "bluetooth"],
             "bands": ["GSM900", "LTE B3"], "tacs": [TAC]}
    facts.update(product)
    return create_application(technician, product=facts, markets=markets or ["eaeu"],
                              manufacturer_id=manufacturer.id)


def make_sample(application: Application, technician: User, imei: str | None = None) -> Sample:
    """Register a sample through the service."""
    return add_sample(technician, application.id, imei=imei or new_imei(),
                      received_at=date.today(), serial=f"SN{next(_serial)}")


def enter_passing_results(application: Application, technician: User, imei: str,
                          items: list[dict[str, Any]] | None = None) -> list[int]:
    """Enter the results that make the eaeu evaluation pass."""
    instrument = make_instrument()
    rows = [{**item, "sample_imei": imei, "tested_at": past_timestamp(),
             **({"instrument": instrument.asset_tag} if "value" in item else {})}
            for item in (items or EAEU_PASSING)]
    return add_results(technician, application.id, rows, source="api")


def make_tested_application(technician: User | None = None, **kwargs: Any) -> Application:
    """Return an application in testing with a sample and passing eaeu results."""
    technician = technician or make_user("technician")
    application = make_application(technician, **kwargs)
    sample = make_sample(application, technician)
    enter_passing_results(application, technician, sample.imei)
    return application


def make_submitted_application(technician: User | None = None, **kwargs: Any) -> Application:
    """Return a submitted application that passes eaeu."""
    technician = technician or make_user("technician")
    application = make_tested_application(technician, **kwargs)
    return submit_application(technician, application.id)


class SignIn:
    """Switch the signed-in user of the test client (sign out first, then in)."""

    def __init__(self, auth: Any) -> None:
        self._auth = auth

    def __call__(self, user: User) -> User:
        """Sign in as `user`."""
        self._auth.logout()
        response = self._auth.login(user.email, PASSWORD)
        assert response.status_code == 302
        return user

    def new(self, role: str, **overrides: Any) -> User:
        """Create a user with `role` and sign in as them."""
        return self(make_user(role=role, **overrides))


@pytest.fixture
def sign_in(auth: Any) -> SignIn:
    """Return a helper that signs in as a given user or a new user of a role."""
    return SignIn(auth)


def text(response: Any) -> str:
    """Return the response body as text."""
    return response.get_data(as_text=True)

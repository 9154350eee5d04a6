"""Factories shaped make_x(**overrides); passwords are hashed once per run."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from werkzeug.security import generate_password_hash

from labcert.extensions import db
from labcert.models import Instrument, Organization, User

PASSWORD = "correct horse battery"
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def make_organization(**overrides: Any) -> Organization:
    """Create an organization (a manufacturer unless told otherwise)."""
    n = next(_seq)
    values: dict[str, Any] = {"name": f"Org {n}", "kind": "manufacturer",
                              "address": f"{n} Industrial Road, Lahore", "country": "PK"}
    values.update(overrides)
    org = Organization(**values)
    db.session.add(org)
    db.session.commit()
    return org


def make_user(role: str = "technician", **overrides: Any) -> User:
    """Create a user; manufacturer and exporter users get an organization of their kind."""
    n = next(_seq)
    values: dict[str, Any] = {"email": f"{role}{n}@example.test", "name": f"{role.title()} {n}",
                              "role": role, "password_hash": PASSWORD_HASH}
    if role in ("manufacturer", "exporter") and "organization" not in overrides:
        values["organization"] = make_organization(kind=role)
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.commit()
    return user


def every_test_code() -> list[str]:
    """Return every catalogue code a result can be entered for (measurements, observations)."""
    from labcert.rules import load_catalogue

    return [t.code for t in load_catalogue() if t.kind != "computed"]


def make_instrument(**overrides: Any) -> Instrument:
    """Create an instrument calibrated until a year from now, declared for every test."""
    n = next(_seq)
    values: dict[str, Any] = {"asset_tag": f"INS-{n}", "name": f"Instrument {n}",
                              "calibrated_at": date.today() - timedelta(days=30),
                              "calibration_due": date.today() + timedelta(days=335),
                              "tests": every_test_code(), "budgets": {}}
    values.update(overrides)
    instrument = Instrument(**values)
    db.session.add(instrument)
    db.session.commit()
    return instrument


def approve(reviewer: User, application_id: int, **kwargs: Any) -> Any:
    """Approve through the service with the app's settings (as the pages and the API do)."""
    from labcert.runtime import service_settings
    from labcert.services import review

    return review.approve(reviewer, application_id, settings=service_settings(), **kwargs)

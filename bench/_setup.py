"""Shared set-up for benchmarks: a fresh migrated SQLite lab in a temporary folder."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from labcert import create_app
from labcert.extensions import db
from labcert.models import Instrument, Organization, User


def fresh_app(**overrides: Any) -> Flask:
    """Return an app on a new SQLite file, migrated, with an app context pushed."""
    folder = Path(tempfile.mkdtemp(prefix="labcert-bench-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
                      "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING", **overrides})
    app.instance_path = str(folder)
    app.app_context().push()
    upgrade()
    return app


def people() -> dict[str, Any]:
    """Create a lab, a manufacturer, a technician, a reviewer and an instrument."""
    secret = generate_password_hash("bench-password", method="pbkdf2:sha256:1000")
    lab = Organization(name="Bench Lab", kind="lab")
    maker = Organization(name="Bench Maker", kind="manufacturer")
    tech = User(email="tech@bench", name="Tech", role="technician", password_hash=secret,
                organization=lab)
    reviewer = User(email="rev@bench", name="Reviewer", role="reviewer", password_hash=secret,
                    organization=lab)
    from labcert.rules import load_catalogue

    instrument = Instrument(asset_tag="RF-01", name="Tester",
                            calibrated_at=date.today() - timedelta(days=30),
                            calibration_due=date.today() + timedelta(days=300),
                            tests=[t.code for t in load_catalogue() if t.kind != "computed"],
                            budgets={})
    db.session.add_all([lab, maker, tech, reviewer, instrument])
    db.session.commit()
    return {"maker": maker, "tech": tech, "reviewer": reviewer, "instrument": instrument}

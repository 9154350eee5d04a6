"""The demo lab: organizations, one user per role, instruments (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from labcert.extensions import db
from labcert.models import Instrument, Organization, User
from labcert.services.audit import record
from labcert.services.unit_of_work import transactional

LAB = {"name": "LabCert Demo Testing Laboratory", "kind": "lab",
       "address": "Plot 12, Sundar Industrial Estate, Raiwind Road, Lahore, Pakistan",
       "country": "PK", "accreditation_number": "PNAC-TL-0000 (demonstration only)"}
MANUFACTURER = {"name": "Air Link Communication Ltd", "kind": "manufacturer",
                "address": "152-M, Quaid-e-Azam Industrial Estate, Kot Lakhpat, Lahore, Pakistan",
                "country": "PK", "factory_sites": ["Kot Lakhpat assembly plant, Lahore"]}
OTHER_MANUFACTURER = {"name": "Indus Mobile Assembly (Pvt) Ltd", "kind": "manufacturer",
                      "address": "Korangi Industrial Area, Karachi, Pakistan", "country": "PK",
                      "factory_sites": ["Korangi plant 2, Karachi"]}
EXPORTER = {"name": "Karachi Export House", "kind": "exporter",
            "address": "I.I. Chundrigar Road, Karachi, Pakistan", "country": "PK"}


@dataclass(frozen=True)
class DemoLogin:
    """A demo account and its password, to print."""

    role: str
    email: str
    password: str
    organization: str


DEMO_USERS = (
    ("admin", "admin@lab.example", "Imran Qureshi", "demo-admin-2026", LAB),
    ("technician", "tech@lab.example", "Bilal Ahmed", "demo-tech-2026", LAB),
    ("reviewer", "reviewer@lab.example", "Ayesha Khan", "demo-review-2026", LAB),
    ("manufacturer", "maker@airlink.example", "Sana Malik", "demo-maker-2026", MANUFACTURER),
    ("manufacturer", "maker@indus.example", "Omar Farooq", "demo-indus-2026", OTHER_MANUFACTURER),
    ("exporter", "export@khi.example", "Hassan Raza", "demo-export-2026", EXPORTER),
)

DEMO_INSTRUMENTS = (
    ("SAR-01", "DASY8 SAR measurement system", 200, 165),
    ("RF-01", "R&S CMW500 radio communication tester", 120, 245),
    ("EMC-01", "R&S ESW EMI test receiver", 300, 65),
    ("XRF-01", "Thermo Niton XL5 XRF analyser", 90, 275),
    ("OLD-01", "Legacy spectrum analyser (calibration expired)", 500, -135),
    ("BAT-01", "Battery cycler and drop tester", 60, 300),
)
_SAR = ("sar.head", "sar.body", "sar.limb")
_RF = ("rf.conducted_power", "rf.eirp", "rf.spurious", "rf.frequency_error", "rf.eirp_2g4",
       "rf.psd_2g4", "rf.refsens")
_EMC = ("emc.radiated", "emc.conducted", "emc.esd", "emc.rf_immunity")
_ROHS = ("rohs.pb", "rohs.hg", "rohs.cd", "rohs.cr6", "rohs.pbb", "rohs.pbde", "rohs.dehp",
         "rohs.bbp", "rohs.dbp", "rohs.dibp")
# What each demo instrument is declared for, and its uncertainty budgets (k = 2).
DEMO_TESTS: dict[str, tuple[tuple[str, ...], dict[str, dict[str, str]]]] = {
    "SAR-01": (_SAR, {code: {"percent": "22"} for code in _SAR}),
    "RF-01": (_RF, {"rf.conducted_power": {"value": "0.6", "unit": "dBm"},
                    "rf.refsens": {"value": "0.7", "unit": "dBm"}}),
    "EMC-01": (_EMC, {"emc.radiated": {"value": "5.2", "unit": "dBuV/m"},
                      "emc.conducted": {"value": "3.4", "unit": "dBuV"}}),
    "XRF-01": (_ROHS, {}),
    "OLD-01": (("rf.spurious",), {}),
    "BAT-01": (("battery.cycle_retention", "durability.free_fall"), {}),
}


def _organization(spec: dict[str, object]) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.name == spec["name"]))
    if org is None:
        org = Organization(**spec)
        db.session.add(org)
        db.session.flush()
        record(None, "organization.create", "organization", org.id, {"name": org.name})
    return org


@transactional
def seed_demo(today: date) -> list[DemoLogin]:
    """Create what is missing of the demo lab; never duplicate, never change passwords."""
    logins = []
    for role, email, name, password, org_spec in DEMO_USERS:
        org = _organization(org_spec)
        if db.session.scalar(select(User).where(User.email == email)) is None:
            user = User(email=email, name=name, role=role, organization=org,
                        password_hash=generate_password_hash(password))
            db.session.add(user)
            db.session.flush()
            record(None, "user.create", "user", user.id, {"email": email, "role": role})
        logins.append(DemoLogin(role, email, password, org.name))
    for tag, name, calibrated_days_ago, due_in_days in DEMO_INSTRUMENTS:
        tests, budgets = DEMO_TESTS[tag]
        instrument = db.session.scalar(select(Instrument).where(Instrument.asset_tag == tag))
        if instrument is None:
            instrument = Instrument(asset_tag=tag, name=name,
                                    calibrated_at=today - timedelta(days=calibrated_days_ago),
                                    calibration_due=today + timedelta(days=due_in_days),
                                    tests=list(tests), budgets=dict(budgets))
            db.session.add(instrument)
            db.session.flush()
            record(None, "instrument.create", "instrument", instrument.id, {"asset_tag": tag})
        elif not instrument.tests:  # seeded before instruments declared their tests
            instrument.tests, instrument.budgets = list(tests), dict(budgets)
            record(None, "instrument.tests", "instrument", instrument.id,
                   {"tests": list(tests), "budgets": dict(budgets)})
    return logins

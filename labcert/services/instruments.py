"""Instruments and their calibration; a measurement after the due date is refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from labcert.errors import NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Instrument, User
from labcert.rules import load_registry
from labcert.rules.inputs import suggest
from labcert.rules.model import MEASUREMENT, OBSERVATION
from labcert.rules.numbers import fmt, parse_decimal
from labcert.rules.units import UnitError, check_compatible, is_log
from labcert.services.audit import record
from labcert.services.unit_of_work import transactional


def all_instruments() -> list[Instrument]:
    """List instruments by asset tag."""
    return list(db.session.scalars(select(Instrument).order_by(Instrument.asset_tag)))


def find_instrument(asset_tag: str) -> Instrument | None:
    """Return the instrument with this asset tag, if any."""
    return db.session.scalar(select(Instrument).where(Instrument.asset_tag == asset_tag.strip()))


def get_instrument(instrument_id: int) -> Instrument:
    """Return the instrument with this id, or refuse with 404."""
    item = db.session.get(Instrument, instrument_id)
    if item is None:
        raise NotFound(f"No instrument with id {instrument_id}.")
    return item


def calibration_problem(instrument: Instrument, tested_at: datetime) -> str | None:
    """Say why a measurement at `tested_at` cannot rest on this instrument, if it cannot."""
    if tested_at.date() > instrument.calibration_due:
        return (f"Instrument {instrument.asset_tag} ({instrument.name}) was due for calibration "
                f"on {instrument.calibration_due.isoformat()}, before this measurement "
                f"({tested_at.date().isoformat()}); recalibrate it or use another instrument.")
    if tested_at.date() < instrument.calibrated_at:
        return (f"Instrument {instrument.asset_tag} was calibrated on "
                f"{instrument.calibrated_at.isoformat()}, after this measurement; check the date.")
    return None


def _date_problems(calibrated_at: date | None, due: date | None) -> list[tuple[str, str]]:
    problems = []
    if calibrated_at is None:
        problems.append(("calibrated_at", "Enter the date of the last calibration."))
    if due is None:
        problems.append(("calibration_due", "Enter the date the next calibration is due."))
    if calibrated_at and due and due <= calibrated_at:
        problems.append(("calibration_due", "The due date must come after the calibration date."))
    return problems


def suitability_problem(instrument: Instrument, test: str) -> str | None:
    """Say why a result of `test` cannot rest on this instrument, if it is not declared for it."""
    if test in (instrument.tests or ()):
        return None
    declared = ", ".join(instrument.tests or ()) or "none yet"
    return (f"Instrument {instrument.asset_tag} is not declared suitable for {test} (declared: "
            f"{declared}); use another instrument or add {test} on the instrument page.")


def budget_for(instrument: Instrument, test: str) -> dict[str, str] | None:
    """Return the instrument's uncertainty budget (k = 2) for a test code, if it has one."""
    budget = (instrument.budgets or {}).get(test)
    return dict(budget) if budget else None


def _check_tests(tests: Any) -> tuple[list[str], list[tuple[str, str]]]:
    catalogue = load_registry().catalogue
    codes = [t.code for t in catalogue if t.kind in (MEASUREMENT, OBSERVATION)]
    if tests is None:
        return [], []
    if not isinstance(tests, list | tuple):
        return [], [("tests", "Give the test codes as a list, e.g. [\"sar.head\"].")]
    problems, out = [], []
    for index, code in enumerate(tests):
        code = str(code).strip()
        if code not in codes:
            problems.append((f"tests.{index}", f"Unknown test code '{code}'"
                                               f"{suggest(code, codes)} (see GET /api/v1/tests)."))
        elif code not in out:
            out.append(code)
    return out, problems


def _check_budgets(budgets: Any, tests: list[str]) -> tuple[dict[str, Any],
                                                            list[tuple[str, str]]]:
    """Check budgets: {code: {"value": "0.4", "unit": "W/kg"} | {"percent": "12"}}."""
    if not budgets:
        return {}, []
    if not isinstance(budgets, dict):
        return {}, [("budgets", "Give budgets as an object of test code to "
                                "{\"value\", \"unit\"} or {\"percent\"}.")]
    catalogue = load_registry().catalogue
    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for code, spec in budgets.items():
        key = f"budgets.{code}"
        test = catalogue.get(code)
        if code not in tests or test is None or test.kind != MEASUREMENT:
            problems.append((key, f"A budget needs a measurement test the instrument is declared "
                                  f"for ({', '.join(tests) or 'none declared'})."))
            continue
        if not isinstance(spec, dict) or not ({"value", "percent"} & set(spec)):
            problems.append((key, "Give {\"value\": \"0.4\", \"unit\": \"W/kg\"} or "
                                  "{\"percent\": \"12\"}."))
            continue
        try:
            if "percent" in spec:
                number = parse_decimal(spec["percent"])
                entry = {"percent": fmt(number)}
            else:
                number = parse_decimal(spec["value"])
                unit = str(spec.get("unit") or test.unit)
                # U of a level in dBm or dBuV is stated in dB: the same unit for the engine
                unit = test.unit if unit == "dB" and is_log(test.unit) else unit
                unit = check_compatible(unit, test.unit, code)
                entry = {"value": fmt(number), "unit": unit}
        except (ValueError, UnitError) as exc:
            problems.append((key, str(exc)))
            continue
        if number <= Decimal(0):
            problems.append((key, "An uncertainty budget must be greater than 0."))
            continue
        out[code] = entry
    return out, problems


@transactional
def declare_tests(actor: User, instrument_id: int, *, tests: Any,
                  budgets: Any = None) -> Instrument:
    """Set the test codes an instrument is suitable for and its uncertainty budgets."""
    instrument = get_instrument(instrument_id)
    codes, problems = _check_tests(tests)
    checked, budget_problems = _check_budgets(budgets, codes)
    if problems or budget_problems:
        raise ValidationFailed.of(problems + budget_problems)
    before = {"tests": instrument.tests, "budgets": instrument.budgets}
    instrument.tests, instrument.budgets = codes, checked
    record(actor, "instrument.tests", "instrument", instrument.id,
           {"before": before, "tests": codes, "budgets": checked})
    return instrument


@transactional
def create_instrument(actor: User, *, asset_tag: str, name: str, calibrated_at: date | None,
                      calibration_due: date | None, tests: Any = None,
                      budgets: Any = None) -> Instrument:
    """Register an instrument with its calibration dates, the tests it serves and budgets."""
    asset_tag, name = asset_tag.strip(), name.strip()
    problems = _date_problems(calibrated_at, calibration_due)
    codes, test_problems = _check_tests(tests)
    checked, budget_problems = _check_budgets(budgets, codes)
    problems += test_problems + budget_problems
    if not asset_tag or len(asset_tag) > 50:
        problems.append(("asset_tag", "Enter the asset tag (up to 50 characters)."))
    elif find_instrument(asset_tag) is not None:
        problems.append(("asset_tag", f"Asset tag {asset_tag} is already registered."))
    if not name or len(name) > 200:
        problems.append(("name", "Enter the instrument's name (up to 200 characters)."))
    if problems:
        raise ValidationFailed.of(problems)
    instrument = Instrument(asset_tag=asset_tag, name=name, calibrated_at=calibrated_at,
                            calibration_due=calibration_due, tests=codes, budgets=checked)
    db.session.add(instrument)
    db.session.flush()
    record(actor, "instrument.create", "instrument", instrument.id,
           {"asset_tag": asset_tag, "calibrated_at": calibrated_at,
            "calibration_due": calibration_due, "tests": codes, "budgets": checked})
    return instrument


@transactional
def record_calibration(actor: User, instrument_id: int, *, calibrated_at: date | None,
                       calibration_due: date | None) -> Instrument:
    """Record a new calibration of an instrument."""
    instrument = get_instrument(instrument_id)
    problems = _date_problems(calibrated_at, calibration_due)
    if problems:
        raise ValidationFailed.of(problems)
    before = {"calibrated_at": instrument.calibrated_at,
              "calibration_due": instrument.calibration_due}
    instrument.calibrated_at, instrument.calibration_due = calibrated_at, calibration_due
    record(actor, "instrument.calibrate", "instrument", instrument.id,
           {"before": before, "calibrated_at": calibrated_at, "calibration_due": calibration_due})
    return instrument

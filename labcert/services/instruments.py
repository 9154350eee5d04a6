"""Instruments and their calibration; a measurement after the due date is refused."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from labcert.errors import NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Instrument, User
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


@transactional
def create_instrument(actor: User, *, asset_tag: str, name: str, calibrated_at: date | None,
                      calibration_due: date | None) -> Instrument:
    """Register an instrument with its calibration dates."""
    asset_tag, name = asset_tag.strip(), name.strip()
    problems = _date_problems(calibrated_at, calibration_due)
    if not asset_tag or len(asset_tag) > 50:
        problems.append(("asset_tag", "Enter the asset tag (up to 50 characters)."))
    elif find_instrument(asset_tag) is not None:
        problems.append(("asset_tag", f"Asset tag {asset_tag} is already registered."))
    if not name or len(name) > 200:
        problems.append(("name", "Enter the instrument's name (up to 200 characters)."))
    if problems:
        raise ValidationFailed.of(problems)
    instrument = Instrument(asset_tag=asset_tag, name=name, calibrated_at=calibrated_at,
                            calibration_due=calibration_due)
    db.session.add(instrument)
    db.session.flush()
    record(actor, "instrument.create", "instrument", instrument.id,
           {"asset_tag": asset_tag, "calibrated_at": calibrated_at,
            "calibration_due": calibration_due})
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

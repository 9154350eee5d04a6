"""Samples: the devices received, each with an IMEI that passes Luhn and is new to the lab."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.imei import imei_errors, normalise_imei
from labcert.models import Sample, User
from labcert.services.applications import get_application
from labcert.services.audit import record
from labcert.services.states import move, require_editable
from labcert.services.unit_of_work import transactional


@transactional
def add_sample(actor: User, application_id: int, *, imei: str, received_at: date | None,
               serial: str = "", condition: str = "", today: date | None = None) -> Sample:
    """Register a received device; the first sample moves a draft application to testing."""
    today = today or date.today()
    application = get_application(actor, application_id)
    require_editable(application, "samples")
    imei = normalise_imei(imei or "")
    problems = [("imei", m) for m in imei_errors(imei)]
    if not problems:
        existing = db.session.scalar(select(Sample).where(Sample.imei == imei))
        if existing is not None:
            problems.append(("imei", f"IMEI {imei} is already registered in the lab "
                                     f"(application {existing.application.number})."))
        elif imei[:8] not in application.product.tacs:
            problems.append(("imei", f"The TAC {imei[:8]} (first 8 digits) is not one the "
                                     f"product declares ({', '.join(application.product.tacs)})."))
    if received_at is None:
        problems.append(("received_at", "Enter the date the sample was received."))
    elif received_at > today:
        problems.append(("received_at", "The received date cannot be in the future."))
    if len(serial) > 100:
        problems.append(("serial", "Use at most 100 characters."))
    if len(condition) > 200:
        problems.append(("condition", "Use at most 200 characters."))
    if problems:
        raise ValidationFailed.of(problems)
    sample = Sample(application=application, imei=imei, serial=serial.strip(),
                    received_at=received_at, condition=condition.strip(), created_by_id=actor.id)
    db.session.add(sample)
    if application.state == "draft":
        move(application, "testing")
    db.session.flush()
    record(actor, "sample.add", "application", application.id,
           {"sample_id": sample.id, "imei": imei, "serial": sample.serial})
    return sample

"""Samples: the devices received, each with an IMEI that passes Luhn and is new to the lab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.imei import imei_errors, normalise_imei
from labcert.models import Application, Sample, User
from labcert.services.applications import get_application
from labcert.services.audit import record
from labcert.services.states import move, require_editable
from labcert.services.unit_of_work import transactional

MAX_BATCH = 1000


@dataclass(frozen=True)
class SampleIn:
    """One device to register; `where` names it in messages ("line 3", "samples[2]")."""

    imei: str
    received_at: date | None
    serial: str = ""
    condition: str = ""
    where: str = ""


def _problems(application: Application, item: SampleIn, today: date,
              registered: dict[str, str], earlier: dict[str, str]) -> list[tuple[str, str]]:
    """Say what is wrong with one sample; `registered` maps IMEIs in the lab to applications,
    `earlier` maps IMEIs met before in the same batch to where they were."""
    imei = normalise_imei(item.imei or "")
    problems = [("imei", m) for m in imei_errors(imei)]
    if not problems:
        if imei in registered:
            problems.append(("imei", f"IMEI {imei} is already registered in the lab "
                                     f"(application {registered[imei]})."))
        elif imei in earlier:
            problems.append(("imei", f"IMEI {imei} is listed twice (also {earlier[imei]})."))
        elif imei[:8] not in application.product.tacs:
            problems.append(("imei", f"The TAC {imei[:8]} (first 8 digits) is not one the "
                                     f"product declares ({', '.join(application.product.tacs)})."))
    if item.received_at is None:
        problems.append(("received_at", "Enter the date the sample was received."))
    elif item.received_at > today:
        problems.append(("received_at", "The received date cannot be in the future."))
    if len(item.serial) > 100:
        problems.append(("serial", "Use at most 100 characters."))
    if len(item.condition) > 200:
        problems.append(("condition", "Use at most 200 characters."))
    return problems


def _registered(imeis: Sequence[str]) -> dict[str, str]:
    """Map the IMEIs already in the lab to the number of their application."""
    wanted = [i for i in {normalise_imei(x or "") for x in imeis} if len(i) == 15]
    if not wanted:
        return {}
    rows = db.session.execute(select(Sample.imei, Application.number)
                              .join(Application, Sample.application_id == Application.id)
                              .where(Sample.imei.in_(wanted)))
    return {row[0]: row[1] for row in rows}


def _store(actor: User, application: Application, item: SampleIn) -> Sample:
    sample = Sample(application=application, imei=normalise_imei(item.imei),
                    serial=item.serial.strip(), received_at=item.received_at,
                    condition=item.condition.strip(), created_by_id=actor.id)
    db.session.add(sample)
    return sample


@transactional
def add_sample(actor: User, application_id: int, *, imei: str, received_at: date | None,
               serial: str = "", condition: str = "", today: date | None = None) -> Sample:
    """Register a received device; the first sample moves a draft application to testing."""
    today = today or date.today()
    application = get_application(actor, application_id)
    require_editable(application, "samples")
    item = SampleIn(imei=imei, received_at=received_at, serial=serial, condition=condition)
    problems = _problems(application, item, today, _registered([imei]), {})
    if problems:
        raise ValidationFailed.of(problems)
    sample = _store(actor, application, item)
    if application.state == "draft":
        move(application, "testing")
    db.session.flush()
    record(actor, "sample.add", "application", application.id,
           {"sample_id": sample.id, "imei": sample.imei, "serial": sample.serial})
    return sample


@transactional
def add_samples(actor: User, application_id: int, items: Sequence[SampleIn],
                today: date | None = None) -> list[Sample]:
    """Register many devices at once: all or nothing; every item's problems are named with
    its `where` and field ("line 3.imei", "samples[2].received_at"), so the whole list can be
    fixed in one go."""
    today = today or date.today()
    application = get_application(actor, application_id)
    require_editable(application, "samples")
    if not items:
        raise ValidationFailed.of([("samples", "List at least one IMEI, one per line.")])
    if len(items) > MAX_BATCH:
        raise ValidationFailed.of([("samples", f"At most {MAX_BATCH} samples at a time; "
                                               f"this list has {len(items)}.")])
    registered = _registered([i.imei for i in items])
    earlier: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for number, item in enumerate(items, start=1):
        where = item.where or f"item {number}"
        problems += [(f"{where}.{field}", message)
                     for field, message in _problems(application, item, today, registered,
                                                     earlier)]
        earlier.setdefault(normalise_imei(item.imei or ""), where)
    if problems:
        refused = len({where.split(".")[0] for where, _ in problems})
        raise ValidationFailed.of(problems, f"{refused} of {len(items)} samples cannot be "
                                            "registered; nothing was saved.")
    samples = [_store(actor, application, item) for item in items]
    if application.state == "draft":
        move(application, "testing")
    db.session.flush()
    record(actor, "sample.add_many", "application", application.id,
           {"count": len(samples), "imeis": [s.imei for s in samples]})
    return samples

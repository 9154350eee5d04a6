"""Test results: all-or-nothing batches, the instrument gate, corrections that supersede."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Application, Instrument, Sample, TestResult, User, utcnow
from labcert.rules import InputError, Result, load_registry, parse_results
from labcert.rules.model import MEASUREMENT
from labcert.rules.result_inputs import parse_each
from labcert.rules.units import UnitError, factor, is_log
from labcert.services.applications import get_application
from labcert.services.audit import record
from labcert.services.evaluations import resolve_market
from labcert.services.instruments import budget_for, calibration_problem, suitability_problem
from labcert.services.states import move, require_editable
from labcert.services.unit_of_work import transactional

Problems = list[tuple[str, str]]


def allowed_test_codes(application: Application, today: date) -> list[str]:
    """Return the catalogue codes the application's markets ask for."""
    for market in application.markets:
        resolve_market(market, today)  # a retired set is a clear 409, not a crash
    return load_registry().test_codes_for(application.markets, today)


def _parse(items: Sequence[dict[str, Any]]) -> list[Result]:
    try:
        return parse_results(list(items), load_registry().catalogue)
    except InputError as error:
        raise ValidationFailed("Some results are not valid; nothing was stored.",
                               error.details) from None


def _parse_each(items: Sequence[dict[str, Any]]) -> tuple[list[tuple[int, Result]], Problems]:
    """Parse every item: the ones that parse, and every problem of the others."""
    try:
        good, errors = parse_each(list(items), load_registry().catalogue)
    except InputError as error:
        return [], [(k, m) for k, messages in error.details.items() for m in messages]
    return good, [(key, message) for key, messages in errors.items() for message in messages]


def _check(application: Application, parsed: Sequence[Result], now: datetime,
           offset: int = 0, indexes: Sequence[int] | None = None
           ) -> tuple[Problems, dict[str, int], dict[str, Instrument]]:
    """Check what needs the database: test codes, samples, instruments, dates."""
    allowed = set(allowed_test_codes(application, now.date()))
    samples = {s.imei: s.id for s in db.session.scalars(
        select(Sample).where(Sample.application_id == application.id))}
    tags = {r.instrument for r in parsed if r.instrument}
    instruments = {i.asset_tag: i for i in db.session.scalars(
        select(Instrument).where(Instrument.asset_tag.in_(tags)))} if tags else {}
    problems: Problems = []
    markets = ", ".join(application.markets)
    catalogue = load_registry().catalogue
    numbered = zip(indexes, parsed, strict=True) if indexes is not None else \
        enumerate(parsed, start=offset)
    for index, result in numbered:
        key = f"results.{index}"
        if result.test not in allowed:
            problems.append((f"{key}.test", f"Test {result.test} is not asked for by this "
                                            f"application's markets ({markets})."))
        if not result.sample_imei:
            problems.append((f"{key}.sample_imei", "Name the sample (IMEI) the result was "
                                                   f"measured on: one of {application.number}'s "
                                                   "samples (register it first)."))
        elif result.sample_imei not in samples:
            problems.append((f"{key}.sample_imei", f"IMEI {result.sample_imei} is not a sample "
                                                   f"of application {application.number}."))
        if result.tested_at is None:
            problems.append((f"{key}.tested_at", "Say when the test was made (ISO 8601)."))
        elif result.tested_at > now:
            problems.append((f"{key}.tested_at", "The test time cannot be in the future."))
        test = catalogue.get(result.test)
        measured = test is not None and test.kind == MEASUREMENT
        if measured and not result.instrument:
            problems.append((f"{key}.instrument", "Name the instrument (asset tag) the "
                                                  "measurement was made with."))
        if result.instrument:
            instrument = instruments.get(result.instrument)
            if instrument is None:
                problems.append((f"{key}.instrument",
                                 f"No instrument with asset tag {result.instrument}."))
                continue
            problem = (calibration_problem(instrument, result.tested_at)
                       if result.tested_at is not None else None)
            problem = problem or suitability_problem(instrument, result.test)
            if problem:
                problems.append((f"{key}.instrument", problem))
    return problems, samples, instruments


def _uncertainty(result: Result, instrument: Instrument | None) -> dict[str, Any]:
    """Return U as entered, or the instrument's budget for the test when none was entered."""
    entered = {"uncertainty": result.uncertainty, "uncertainty_pct": result.uncertainty_pct,
               "uncertainty_from": None}
    if result.value is None or result.uncertainty is not None or \
            result.uncertainty_pct is not None or instrument is None:
        return entered
    budget = budget_for(instrument, result.test)
    if budget is None:
        return entered
    if "percent" in budget:
        if is_log(result.unit or ""):
            return entered  # a relative U means nothing in dB; the result stays without U
        return {"uncertainty": None, "uncertainty_pct": Decimal(budget["percent"]),
                "uncertainty_from": instrument.asset_tag}
    value, unit = Decimal(budget["value"]), budget["unit"]
    if unit != result.unit:
        try:
            value = value * factor(unit, result.unit or unit)
        except UnitError:
            return entered
    return {"uncertainty": value, "uncertainty_pct": None,
            "uncertainty_from": instrument.asset_tag}


def _row(application: Application, result: Result, actor: User, source: str, now: datetime,
         samples: dict[str, int], instruments: dict[str, Instrument]) -> dict[str, Any]:
    instrument = instruments[result.instrument] if result.instrument else None
    return {
        "application_id": application.id,
        "sample_id": samples.get(result.sample_imei or ""),
        "test_code": result.test, "value": result.value, "observation": result.observation,
        "unit": result.unit, **_uncertainty(result, instrument), "k": result.k or Decimal(2),
        "conditions": {str(k): str(v) for k, v in dict(result.conditions or {}).items()},
        "instrument_id": instrument.id if instrument else None,
        "tested_at": result.tested_at, "entered_by_id": actor.id, "entered_at": now,
        "source": source, "is_external": False,
    }


def _batch_hash(rows: list[dict[str, Any]]) -> str:
    text = json.dumps(rows, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def check_batch(actor: User, application_id: int, items: Sequence[dict[str, Any]],
                now: datetime | None = None) -> tuple[Application, list[Result], Any, Any]:
    """Run every check of a batch without storing it; raise ValidationFailed listing all."""
    application = get_application(actor, application_id)
    require_editable(application, "results")
    if not items:
        raise ValidationFailed.of([("results", "Send at least one result.")])
    good, problems = _parse_each(items)  # every problem in one pass: input and database
    parsed = [result for _, result in good]
    checked, samples, instruments = _check(application, parsed, now or utcnow(),
                                           indexes=[index for index, _ in good])
    problems = sorted(problems + checked, key=lambda p: _order(p[0]))
    if problems:
        raise ValidationFailed.of(problems, f"{len({p[0].split('.')[1] for p in problems})} of "
                                            f"{len(items)} results are not valid; nothing was "
                                            "stored.")
    return application, parsed, samples, instruments


def _order(key: str) -> tuple[int, str]:
    parts = key.split(".")
    return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1, key)


@transactional
def add_results(actor: User, application_id: int, items: Sequence[dict[str, Any]], *,
                source: str = "api") -> list[int]:
    """Store a batch of results: if one item is invalid, nothing is stored and all are reported."""
    now = utcnow()
    application, parsed, samples, instruments = check_batch(actor, application_id, items, now)
    rows = [_row(application, r, actor, source, now, samples, instruments) for r in parsed]
    ids = list(db.session.scalars(insert(TestResult).returning(TestResult.id,
                                                               sort_by_parameter_order=True),
                                  rows))
    if application.state == "draft":
        move(application, "testing")
    else:
        application.updated_at = now  # bumps the version: a reviewer's stale page is refused
    record(actor, "results.add", "application", application.id,
           {"count": len(ids), "first_id": ids[0], "last_id": ids[-1], "source": source,
            "sha256": _batch_hash(rows)})
    return ids


@transactional
def correct_result(actor: User, result_id: int, item: dict[str, Any], reason: str) -> TestResult:
    """Replace a result by a new one that supersedes it; the reason is required."""
    old = db.session.get(TestResult, result_id)
    if old is None:
        raise NotFound(f"No result with id {result_id}.")
    application = get_application(actor, old.application_id)
    require_editable(application, "corrections")
    if old.superseded_by_id is not None:
        raise Conflict(f"Result {old.id} was already corrected by result {old.superseded_by_id}; "
                       "correct that one instead.")
    problems = [] if reason.strip() else [("reason", "Say why the result is corrected.")]
    try:
        parsed = _parse([item])
    except ValidationFailed as error:  # report the reason and the value problems together
        raise ValidationFailed.of(problems + [(k, m) for k, msgs in error.details.items()
                                              for m in msgs]) from None
    if problems:
        raise ValidationFailed.of(problems)
    now = utcnow()
    check, samples, instruments = _check(application, parsed, now)
    if parsed[0].test != old.test_code:
        check.append(("results.0.test", f"A correction keeps the test code ({old.test_code})."))
    if check:
        raise ValidationFailed.of(check)
    new = TestResult(**_row(application, parsed[0], actor, "form", now, samples, instruments),
                     supersedes_id=old.id, correction_reason=reason.strip())
    db.session.add(new)
    db.session.flush()
    old.superseded_by_id = new.id
    application.updated_at = now
    record(actor, "result.correct", "application", application.id,
           {"old_id": old.id, "new_id": new.id, "reason": reason.strip()})
    return new


def results_of(application: Application, *, include_superseded: bool = True) -> list[TestResult]:
    """List an application's results in entry order."""
    stmt = select(TestResult).where(TestResult.application_id == application.id)
    if not include_superseded:
        stmt = stmt.where(TestResult.superseded_by_id.is_(None))
    return list(db.session.scalars(stmt.order_by(TestResult.id)))

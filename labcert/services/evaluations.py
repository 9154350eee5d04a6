"""Evaluate an application against each of its markets with the pure rule engine."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from labcert.errors import Conflict
from labcert.extensions import db
from labcert.models import Application, Sample, TestResult
from labcert.models import Evaluation as StoredEvaluation
from labcert.rules import (
    ENGINE_VERSION,
    CriteriaSet,
    Evaluation,
    ProductFacts,
    Result,
    UnknownCriteriaSet,
    evaluate,
    load_registry,
)


@dataclass(frozen=True)
class MarketEvaluation:
    """One market's evaluation with the criteria set it used."""

    market: str
    criteria_set: CriteriaSet
    evaluation: Evaluation

    def to_dict(self) -> dict[str, Any]:
        """Return the API shape plus the market id."""
        return {"market": self.market, **self.evaluation.to_dict()}


def product_facts(application: Application, samples: list[Sample]) -> ProductFacts:
    """Build the rule engine's product facts from the stored product and samples."""
    product = application.product
    return ProductFacts(
        brand=product.brand, model=product.model, marketing_name=product.marketing_name,
        category=product.category, hardware_version=product.hardware_version,
        software_version=product.software_version, technologies=frozenset(product.technologies),
        bands=frozenset(product.bands), tacs=tuple(product.tacs),
        sample_imeis=tuple(s.imei for s in samples), extra=dict(product.facts or {}))


def engine_result(row: TestResult, imeis: dict[int, str], tags: dict[int, str]) -> Result:
    """Turn a stored result into the rule engine's input."""
    return Result(test=row.test_code, value=row.value, observation=row.observation,
                  unit=row.unit, uncertainty=row.uncertainty, uncertainty_pct=row.uncertainty_pct,
                  k=row.k, conditions=dict(row.conditions or {}),
                  sample_imei=imeis.get(row.sample_id or 0),
                  instrument=tags.get(row.instrument_id or 0), tested_at=row.tested_at,
                  ref=str(row.id), is_superseded=row.superseded_by_id is not None)


def inputs_of(application: Application) -> tuple[ProductFacts, list[Result]]:
    """Load the facts and current results the engine needs (two queries).

    A follow-up application (a re-test after a criteria revision) is judged on its own results
    plus the earlier ones it carries over (two more queries).
    """
    samples = list(db.session.scalars(select(Sample).where(
        Sample.application_id == application.id).order_by(Sample.id)))
    rows = list(db.session.scalars(select(TestResult).where(
        TestResult.application_id == application.id).order_by(TestResult.id)))
    imeis = {s.id: s.imei for s in samples}
    if application.follow_up:
        carried = carried_results(application)
        rows = carried + rows
        ids = {r.sample_id for r in carried if r.sample_id}
        if ids:
            imeis.update(db.session.execute(select(Sample.id, Sample.imei).where(
                Sample.id.in_(ids))).all())
    tags = {r.instrument_id: r.instrument.asset_tag for r in rows if r.instrument_id}
    return product_facts(application, samples), [engine_result(r, imeis, tags) for r in rows]


def carried_results(application: Application) -> list[TestResult]:
    """Return the earlier results a follow-up application carries over (none otherwise)."""
    ids = [int(i) for i in (application.follow_up or {}).get("carried", [])]
    if not ids:
        return []
    return list(db.session.scalars(select(TestResult).where(TestResult.id.in_(ids))
                                   .order_by(TestResult.id)))


def resolve_market(market: str, on: date) -> CriteriaSet:
    """Return the criteria set in force for a market; a retired or missing one is a 409."""
    try:
        return load_registry().resolve(market, on)
    except UnknownCriteriaSet as error:
        raise Conflict(f"Market {market} cannot be evaluated on {on.isoformat()}: "
                       f"{error.message}. Ask an administrator about the criteria set.",
                       {"markets": [error.message]}) from None


def evaluate_application(application: Application,
                         on: date | None = None) -> list[MarketEvaluation]:
    """Evaluate the application for every target market, as of `on` (default today)."""
    on = on or date.today()
    facts, results = inputs_of(application)
    out = []
    for market in application.markets:
        criteria_set = resolve_market(market, on)
        out.append(MarketEvaluation(market, criteria_set,
                                    evaluate(criteria_set, facts, results, on)))
    return out


def shown_evaluations(application: Application) -> list[dict[str, Any]]:
    """Return each market's evaluation as people see it: as approved once approved, else live.

    Pages and the API both show this, so an approved application is never re-judged against a
    criteria set that changed (or was retired) after the approval.
    """
    if application.state == "approved":
        stored = list(db.session.scalars(select(StoredEvaluation).where(
            StoredEvaluation.application_id == application.id).order_by(StoredEvaluation.id)))
        if stored:
            return [{"market": row.market, **row.outcomes} for row in stored]
    return [item.to_dict() for item in evaluate_application(application)]


def _canonical_facts(facts: ProductFacts) -> dict[str, Any]:
    return {"brand": facts.brand, "model": facts.model, "category": facts.category,
            "hardware_version": facts.hardware_version, "software_version": facts.software_version,
            "technologies": sorted(facts.technologies), "bands": sorted(facts.bands),
            "tacs": sorted(facts.tacs), "sample_imeis": sorted(facts.sample_imeis),
            "extra": {k: str(v) for k, v in sorted(dict(facts.extra).items())}}


def _canonical_result(result: Result) -> dict[str, Any]:
    return {"ref": result.ref, "test": result.test, "value": result.value,
            "observation": result.observation, "unit": result.unit,
            "uncertainty": result.uncertainty, "uncertainty_pct": result.uncertainty_pct,
            "k": result.k, "conditions": dict(sorted(dict(result.conditions).items())),
            "superseded": result.is_superseded}


def inputs_hash(facts: ProductFacts, results: list[Result]) -> str:
    """Hash what the engine saw, so a stored evaluation can be tied to its inputs."""
    body = {"facts": _canonical_facts(facts), "engine": ENGINE_VERSION,
            "results": [_canonical_result(r) for r in results]}
    text = json.dumps(body, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()

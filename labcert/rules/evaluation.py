"""Frozen results of an evaluation: one outcome per criterion and the market verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .explain import limit_text
from .frozen import EMPTY, FrozenDict
from .model import Criterion, DecisionRule, Limit
from .serialize import limit_to_dict, num


@dataclass(frozen=True, slots=True)
class Governing:
    """Hold the result that decided a criterion, in the criterion's unit."""

    value: Decimal | None
    unit: str | None
    uncertainty: Decimal | None
    observation: str | None = None
    ref: str | None = None
    conditions: FrozenDict[str] = EMPTY
    sample_imei: str | None = None
    k: Decimal | None = None  # coverage factor as stated; U is used as given whatever k is

    def to_dict(self) -> dict[str, Any]:
        """Return the governing result as JSON-safe data."""
        return {
            "value": num(self.value),
            "unit": self.unit,
            "uncertainty": num(self.uncertainty),
            "k": num(self.k),
            "observation": self.observation,
            "ref": self.ref,
            "conditions": dict(self.conditions),
            "sample_imei": self.sample_imei,
        }


@dataclass(frozen=True, slots=True)
class Outcome:
    """Hold one criterion's verdict with its governing result and a one-line reason."""

    criterion: str
    definition: Criterion
    verdict: str
    reason: str
    governing: Governing | None
    results_judged: int

    @property
    def title(self) -> str:
        """Return the criterion's title."""
        return self.definition.title

    @property
    def test(self) -> str:
        """Return the criterion's test code."""
        return self.definition.test

    @property
    def rule(self) -> DecisionRule:
        """Return the decision rule applied."""
        return self.definition.rule

    @property
    def limit(self) -> Limit:
        """Return the criterion's limit."""
        return self.definition.limit

    @property
    def unit(self) -> str | None:
        """Return the unit the limit and governing value are in."""
        return self.definition.unit

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome in the API shape."""
        criterion = self.definition
        return {
            "criterion": self.criterion,
            "title": criterion.title,
            "test": criterion.test,
            "verdict": self.verdict,
            "rule": criterion.rule.name,
            "limit": limit_to_dict(criterion.limit),
            "limit_text": limit_text(criterion.limit, criterion.unit),
            "unit": criterion.unit,
            "governing": None if self.governing is None else self.governing.to_dict(),
            "reason": self.reason,
            "standard": criterion.standard,
            "confirmed": criterion.confirmed,
            "required": criterion.required,
            "results_judged": self.results_judged,
        }


@dataclass(frozen=True, slots=True)
class MissingCriterion:
    """Name an applicable criterion that has no result to judge, and what it needs."""

    criterion: str
    test: str
    required: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Hold the evaluation of one product against one criteria set version on one date."""

    criteria_set: str
    verdict: str
    verdict_reason: str
    outcomes: tuple[Outcome, ...]  # one per judged criterion, in the set's order
    missing: tuple[str, ...]  # test codes of required criteria that have no result
    missing_criteria: tuple[MissingCriterion, ...]  # every unjudged criterion, with its need
    not_applicable: tuple[str, ...]  # criterion ids whose applies_if does not hold
    not_in_force: tuple[str, ...]  # criterion ids whose effective_from is after the date
    engine_version: str
    evaluated_on: date
    accept_conditional_pass: bool

    def outcome(self, criterion_id: str) -> Outcome:
        """Return the outcome for a criterion id, or raise KeyError."""
        for outcome in self.outcomes:
            if outcome.criterion == criterion_id:
                return outcome
        raise KeyError(criterion_id)

    def verdicts(self) -> dict[str, str]:
        """Return each judged criterion's verdict by criterion id."""
        return {o.criterion: o.verdict for o in self.outcomes}

    def to_dict(self) -> dict[str, Any]:
        """Return the evaluation as JSON-safe data in the API shape (Decimals as exact text)."""
        return {
            "criteria_set": self.criteria_set,
            "verdict": self.verdict,
            "verdict_reason": self.verdict_reason,
            "outcomes": [o.to_dict() for o in self.outcomes],
            "missing": list(self.missing),
            "missing_criteria": [
                {
                    "criterion": m.criterion,
                    "test": m.test,
                    "required": m.required,
                    "reason": m.reason,
                }
                for m in self.missing_criteria
            ],
            "not_applicable": list(self.not_applicable),
            "not_in_force": list(self.not_in_force),
            "accept_conditional_pass": self.accept_conditional_pass,
            "engine_version": self.engine_version,
            "evaluated_on": self.evaluated_on.isoformat(),
        }

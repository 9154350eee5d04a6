"""Frozen results of an evaluation: one outcome per criterion and the market verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .frozen import EMPTY, FrozenDict
from .model import Criterion, DecisionRule, Limit


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
        from .serialize import evaluation_to_dict

        return evaluation_to_dict(self)

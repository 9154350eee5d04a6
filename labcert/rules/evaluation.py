"""Frozen results of an evaluation: one outcome per criterion and the market verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from typing import Any, NamedTuple

from .explain import limit_text
from .facts import Result
from .frozen import EMPTY, FrozenDict
from .limits import ComputedLimit, computed_limit_text, computed_to_dict, reason_at, shown_limit
from .model import Criterion, DecisionRule, Limit
from .numbers import ENGINE_CONTEXT
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


class Row(NamedTuple):
    """Hold one judged result of a criterion the lab reports as a list (e.g. a peak list)."""

    # A NamedTuple, not a dataclass: the engine makes one per listed result in its hot loop.

    result: Result
    value: Decimal | None  # in the criterion's unit; None when it could not be converted
    uncertainty: Decimal | None
    verdict: str
    margin: Decimal | None  # inside the decision zone, after any excess U; negative outside
    computed: ComputedLimit | None = None
    error: str = ""
    governing: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """Hold one criterion's verdict with its governing result and a one-line reason."""

    criterion: str
    definition: Criterion
    verdict: str
    reason: str
    governing: Governing | None
    results_judged: int
    computed: ComputedLimit | None = None  # the governing result's limit, if computed
    listed: tuple[tuple[Any, ...], ...] = ()  # Row fields per result (see rows), kept as tuples
    governing_row: int | None = None  # the index in `listed` of the governing result

    @property
    def rows(self) -> tuple[Row, ...]:
        """Return every judged result of a reported list (criterion.reported_per), in order."""
        index = self.governing_row
        return tuple(
            Row(*fields)._replace(governing=True) if i == index else Row(*fields)
            for i, fields in enumerate(self.listed)
        )

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
        """Return the outcome in the API shape; a computed limit replaces the criterion's."""
        criterion = self.definition
        governing = self.governing
        with localcontext(ENGINE_CONTEXT):  # the shown limit and row reasons stay exact
            limit, text = _limit_data(
                criterion,
                self.computed,
                governing.value if governing else None,
                governing.uncertainty if governing else None,
            )
            rows = [_row_to_dict(criterion, row) for row in self.rows]
        data = {
            "criterion": self.criterion,
            "title": criterion.title,
            "test": criterion.test,
            "verdict": self.verdict,
            "rule": criterion.rule.name,
            "limit": limit,
            "limit_text": text,
            "unit": criterion.unit,
            "governing": None if self.governing is None else self.governing.to_dict(),
            "reason": self.reason,
            "standard": criterion.standard,
            "confirmed": criterion.confirmed,
            "required": criterion.required,
            "results_judged": self.results_judged,
        }
        if criterion.reported_per:
            data["reported_per"] = criterion.reported_per
            data["results"] = rows
        return data


def _limit_data(
    criterion: Criterion, computed: ComputedLimit | None, y: Decimal | None, u: Decimal | None
) -> tuple[dict[str, Any], str]:
    if computed is None:
        return limit_to_dict(criterion.limit), limit_text(criterion.limit, criterion.unit)
    shown = shown_limit(computed.limit, criterion.rule, y, u)
    return (
        computed_to_dict(computed, shown, criterion.unit),
        computed_limit_text(computed, shown, criterion.unit),
    )


def _row_to_dict(criterion: Criterion, row: Row) -> dict[str, Any]:
    result = row.result
    if row.value is None:
        limit, text = _limit_data(criterion, None, None, None)
        reason = f"{row.error} → {row.verdict}"
        value, unit = result.value, result.unit
    else:
        limit, text = _limit_data(criterion, row.computed, row.value, row.uncertainty)
        reason = reason_at(criterion, result, row.value, row.uncertainty, row.verdict, row.computed)
        value, unit = row.value, criterion.unit
    return {
        "ref": result.ref,
        "conditions": dict(result.conditions),
        "value": num(value),
        "unit": unit,
        "uncertainty": num(row.uncertainty if row.value is not None else result.uncertainty),
        "verdict": row.verdict,
        "margin": num(row.margin),
        "limit": limit,
        "limit_text": text,
        "reason": reason,
        "governing": row.governing,
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

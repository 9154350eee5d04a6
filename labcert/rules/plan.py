"""The test plan: every (test, conditions) row some applicable criterion needs, across markets.

A pure function of the markets' criteria sets, the product facts and the current results: one
measurement serves every market that asks for it, so rows with the same test and conditions are
merged and name every criterion they serve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .applicability import applies
from .criteria_set import CriteriaSet
from .facts import ProductFacts, Result
from .matching import Matcher, conditions_match, normalise
from .model import COMPUTED, MEASUREMENT, Catalogue, Criterion
from .numbers import fmt
from .vocabulary import UnknownValue, canonical, has_vocabulary

Key = tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


@dataclass
class PlanRow:
    """One row of the plan: a test under fixed conditions and the criteria it serves."""

    test: str
    title: str
    kind: str
    conditions: dict[str, str]
    ranges: dict[str, tuple[Decimal | None, Decimal | None]]
    open_conditions: tuple[str, ...]
    unit: str | None
    observations: tuple[str, ...] | None
    criteria: list[str] = field(default_factory=list)
    required: bool = False
    uncertainty_required: bool = False
    max_uncertainty: Decimal | None = None
    result_ids: list[str] = field(default_factory=list)
    hint: dict[str, str] = field(default_factory=dict)  # open conditions a criterion constrains

    @property
    def key(self) -> str:
        """Return a stable text key of the row, e.g. 'sar.head|mass_g=10'."""
        parts = [self.test, *(f"{k}={v}" for k, v in sorted(self.conditions.items())),
                 *(f"{k}={_range_text(v)}" for k, v in sorted(self.ranges.items()))]
        return "|".join(parts)

    @property
    def status(self) -> str:
        """Return 'entered' when a current result matches the row, else 'missing'."""
        return "entered" if self.result_ids else "missing"

    @property
    def result_id(self) -> int | None:
        """Return the latest matching result's id, if any."""
        if not self.result_ids:
            return None
        ref = self.result_ids[-1]
        return int(ref) if ref.isdigit() else None

    def matches(self, result: Result) -> bool:
        """Tell whether a result is a measurement of this row (test and every fixed condition)."""
        if result.test != self.test or result.is_superseded:
            return False
        values = result.normalised
        for name, text in self.conditions.items():
            want_text, want_number = normalise(text)
            got = values.get(name)
            if got is None:
                return False
            if got[0] != want_text and (want_number is None or got[1] != want_number):
                return False
        for name, (low, high) in self.ranges.items():
            got = values.get(name)
            number = got[1] if got else None
            if number is None or (low is not None and number < low) or (
                    high is not None and number > high):
                return False
        return True

    def to_dict(self) -> dict[str, Any]:
        """Return the row in the API shape (plus what a worksheet needs to show it)."""
        return {
            "key": self.key,
            "test": self.test,
            "title": self.title,
            "kind": self.kind,
            "conditions": dict(self.conditions),
            "ranges": {k: {"min": _num(lo), "max": _num(hi)} for k, (lo, hi) in
                       self.ranges.items()},
            "open_conditions": list(self.open_conditions),
            "criteria": list(self.criteria),
            "required": self.required,
            "unit": self.unit,
            "observations": list(self.observations) if self.observations else None,
            "uncertainty_required": self.uncertainty_required,
            "max_uncertainty": _num(self.max_uncertainty),
            "status": self.status,
            "result_id": self.result_id,
            "result_ids": [int(r) for r in self.result_ids if r.isdigit()],
            "hint": dict(self.hint),
        }


@dataclass(frozen=True)
class Plan:
    """The rows of an application's plan, in catalogue order."""

    rows: tuple[PlanRow, ...]

    @property
    def complete(self) -> bool:
        """Tell whether every required row has a result."""
        return all(row.status == "entered" for row in self.rows if row.required)

    def missing(self) -> list[PlanRow]:
        """Return the required rows without a result."""
        return [row for row in self.rows if row.required and row.status == "missing"]

    def to_dict(self) -> dict[str, Any]:
        """Return the plan in the API shape."""
        return {"items": [row.to_dict() for row in self.rows], "complete": self.complete}

    def rows_serving(self, result: Result) -> list[PlanRow]:
        """Return the rows a result is a measurement of."""
        return [row for row in self.rows if row.matches(result)]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def _range_text(bounds: tuple[Decimal | None, Decimal | None]) -> str:
    low, high = bounds
    return f"{_num(low) or ''}..{_num(high) or ''}"


def _product_values(name: str, product: ProductFacts) -> list[str]:
    """Return the values of a condition the product declares (its bands, canonical)."""
    if name != "band":
        return []
    out = []
    for band in sorted(product.bands):
        try:
            out.append(canonical("band", band))
        except UnknownValue:
            out.append(band)
    return list(dict.fromkeys(out))


def _expansions(criterion: Criterion, product: ProductFacts) -> tuple[
        list[dict[str, str]], dict[str, tuple[Decimal | None, Decimal | None]], dict[str, str]]:
    """Return the fixed-condition variants a criterion needs, its ranges and open hints."""
    variants: list[dict[str, str]] = [{}]
    ranges: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    hints: dict[str, str] = {}
    for name, matcher in criterion.conditions.items():
        values = _values_for(name, matcher, product)
        if matcher.op == "range":
            ranges[name] = (matcher.low, matcher.high)
            continue
        if not values:
            hints[name] = matcher.describe(name)
            continue
        variants = [{**v, name: value} for v in variants for value in values]
    return variants, ranges, hints


def _values_for(name: str, matcher: Matcher, product: ProductFacts) -> list[str]:
    if matcher.op == "equals":
        return [str(matcher.raw)]
    declared = _product_values(name, product)
    if matcher.op == "in":
        chosen = [v for v in declared if matcher.matches(normalise(v))]
        return chosen or [str(matcher.raw[0])]
    if matcher.op == "prefix":
        return [v for v in declared if matcher.matches(normalise(v))]
    return []


def _allowance(criterion: Criterion) -> Decimal | None:
    rule = criterion.rule
    if rule.name == "cispr":
        return rule.u_cispr
    if rule.name == "shared_risk":
        return rule.max_uncertainty
    return None


def build_plan(markets: Sequence[tuple[str, CriteriaSet]], product: ProductFacts,
               results: Sequence[Result], on: date, catalogue: Catalogue) -> Plan:
    """Derive the merged plan of every applicable criterion in force on `on` across markets."""
    rows: dict[Key, PlanRow] = {}
    for market, criteria_set in markets:
        for criterion in criteria_set.criteria:
            if criterion.kind == COMPUTED or not criterion.in_force(on):
                continue
            if criterion.applies_if and not applies(criterion.applies_if, product):
                continue
            test = catalogue[criterion.test]
            variants, ranges, hints = _expansions(criterion, product)
            for fixed in variants:
                key: Key = (criterion.test, tuple(sorted(fixed.items())),
                            tuple(sorted((k, _range_text(v)) for k, v in ranges.items())))
                row = rows.get(key)
                if row is None:
                    open_names = tuple(n for n in test.conditions
                                       if n not in fixed and n not in ranges)
                    row = rows[key] = PlanRow(
                        test=test.code, title=test.title, kind=test.kind, conditions=fixed,
                        ranges=dict(ranges), open_conditions=open_names,
                        unit=criterion.unit if criterion.kind == MEASUREMENT else None,
                        observations=test.observations)
                row.criteria.append(f"{market}:{criterion.id}")
                row.required = row.required or criterion.required
                row.hint.update(hints)
                if criterion.kind == MEASUREMENT:
                    row.uncertainty_required = (row.uncertainty_required
                                                or criterion.rule.needs_uncertainty)
                    allowance = _allowance(criterion)
                    if allowance is not None and (row.max_uncertainty is None
                                                  or allowance < row.max_uncertainty):
                        row.max_uncertainty = allowance
    order = {code: index for index, code in enumerate(catalogue.codes())}
    ordered = sorted(rows.values(), key=lambda r: order.get(r.test, len(order)))
    for result in results:
        if result.is_superseded:
            continue
        for row in ordered:
            if row.matches(result) and result.ref is not None:
                row.result_ids.append(result.ref)
    return Plan(tuple(ordered))


def canonical_or_same(name: str, value: str) -> str:
    """Return a vocabulary's canonical value, or the value itself when unknown or free text."""
    if not has_vocabulary(name):
        return value
    try:
        return canonical(name, value)
    except UnknownValue:
        return value


def serving_criteria(markets: Sequence[tuple[str, CriteriaSet]], product: ProductFacts,
                     result: Result, on: date) -> list[str]:
    """Return 'market:criterion' for every applicable criterion in force the result can serve."""
    served = []
    for market, criteria_set in markets:
        for criterion in criteria_set.by_test.get(result.test, ()):
            if criterion.kind == COMPUTED or not criterion.in_force(on):
                continue
            if criterion.applies_if and not applies(criterion.applies_if, product):
                continue
            if conditions_match(criterion.conditions, result.normalised):
                served.append(f"{market}:{criterion.id}")
    return served

"""Frozen dataclasses for the test catalogue and criteria sets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .curves import Curve, Relaxation
from .frozen import EMPTY, FrozenDict
from .matching import Matcher

MEASUREMENT, OBSERVATION, COMPUTED = "measurement", "observation", "computed"
NUMERIC_LIMITS = ("max", "min", "range")
SET_LIMITS = ("equals", "in")


@dataclass(frozen=True, slots=True)
class ConditionDef:
    """Describe a condition a result may carry, such as band, position or mass_g."""

    name: str
    title: str
    type: str  # "text" | "number" | "choice"
    choices: tuple[str, ...] | None = None
    unit: str = ""  # of a number condition, for display (e.g. "MHz")


@dataclass(frozen=True, slots=True)
class TestDef:
    """Describe one catalogue test code: what is measured or observed and what a result carries."""

    __test__ = False  # not a pytest test class

    code: str
    title: str
    kind: str
    quantity: str
    unit: str | None
    conditions: tuple[str, ...] = ()
    optional_conditions: tuple[str, ...] = ()
    observations: tuple[str, ...] | None = None
    description: str = ""

    def allows_condition(self, name: str) -> bool:
        """Tell whether a result for this test may carry the named condition."""
        return name in self.conditions or name in self.optional_conditions


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Hold every test code once, in catalogue order, with the condition definitions."""

    tests: FrozenDict[TestDef]
    condition_defs: FrozenDict[ConditionDef] = EMPTY

    def get(self, code: str, default: TestDef | None = None) -> TestDef | None:
        """Return the test definition for code, or default when the code is unknown."""
        return self.tests.get(code, default)

    def __getitem__(self, code: str) -> TestDef:
        return self.tests[code]

    def __contains__(self, code: object) -> bool:
        return code in self.tests

    def __iter__(self) -> Iterator[TestDef]:
        return iter(self.tests.values())

    def codes(self) -> list[str]:
        """Return every test code in catalogue order."""
        return list(self.tests)


@dataclass(frozen=True, slots=True)
class Limit:
    """Hold a criterion's limit: max, min, range, equals or in, with inclusive ties.

    A max or min may instead follow a curve over a result condition (low/high are then None),
    and relaxations may move a numeric limit outwards while a condition lies in a range.
    """

    kind: str
    low: Decimal | None = None
    high: Decimal | None = None
    values: tuple[str, ...] = ()
    inclusive: bool = True
    curve: Curve | None = None
    relaxations: tuple[Relaxation, ...] = ()
    varies: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        # Read once per judged result in the engine's loop: a plain attribute, not a property.
        object.__setattr__(self, "varies", self.curve is not None or bool(self.relaxations))

    @property
    def is_numeric(self) -> bool:
        """Tell whether the limit compares numbers (max, min, range)."""
        return self.kind in NUMERIC_LIMITS


@dataclass(frozen=True, slots=True)
class DecisionRule:
    """Name a decision rule from the closed registry with its parameters."""

    name: str
    max_uncertainty: Decimal | None = None
    on_excess: str | None = None
    test_tolerance: Decimal | None = None
    u_cispr: Decimal | None = None

    @property
    def needs_uncertainty(self) -> bool:
        """Tell whether a result without uncertainty is indeterminate under this rule."""
        return self.name in ("guarded", "shared_risk", "cispr")

    def parameters(self) -> dict[str, Decimal | str]:
        """Return the rule's parameters that are set, by name."""
        items = {
            "max_uncertainty": self.max_uncertainty,
            "on_excess": self.on_excess,
            "test_tolerance": self.test_tolerance,
            "u_cispr": self.u_cispr,
        }
        return {key: value for key, value in items.items() if value is not None}


OBSERVATION_RULE = DecisionRule("observation")
COMPUTED_RULE = DecisionRule("computed")


@dataclass(frozen=True, slots=True)
class Applicability:
    """Hold one applies_if test on a product fact, e.g. technologies contains lte."""

    fact: str
    op: str
    value: Any
    folded: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, tuple | list | set | frozenset):
            folded: Any = frozenset(v.casefold() if isinstance(v, str) else v for v in value)
        else:
            folded = value.casefold() if isinstance(value, str) else value
        object.__setattr__(self, "folded", folded)


@dataclass(frozen=True, slots=True)
class Source:
    """Say where a figure comes from: a reference and MARKETS source ids."""

    ref: str
    ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Criterion:
    """Hold one criterion of a criteria set."""

    id: str
    title: str
    test: str
    kind: str
    limit: Limit
    unit: str | None
    rule: DecisionRule
    conditions: FrozenDict[Matcher] = EMPTY
    applies_if: tuple[Applicability, ...] = ()
    required: bool = True
    standard: str = ""
    source: Source = Source("")
    confirmed: bool = True
    effective_from: date | None = None
    note: str = ""
    reported_per: str | None = field(init=False, compare=False, default=None)

    def __post_init__(self) -> None:
        # The condition a lab reports one result per value of (a peak list over frequency_mhz):
        # the one the limit varies over, else one the criterion matches by a numeric range.
        if self.limit.curve is not None:
            per: str | None = self.limit.curve.over
        else:
            per = next((n for n, m in self.conditions.items() if m.op == "range"), None)
        object.__setattr__(self, "reported_per", per)

    def in_force(self, on: date) -> bool:
        """Tell whether the criterion applies on the given date."""
        return self.effective_from is None or self.effective_from <= on


@dataclass(frozen=True, slots=True)
class Expectation:
    """Hold what a golden example expects: overall verdict and optional details."""

    verdict: str
    outcomes: FrozenDict[str] = EMPTY
    reasons: FrozenDict[str] = EMPTY
    missing: tuple[str, ...] | None = None
    not_applicable: tuple[str, ...] | None = None
    not_in_force: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """Hold one golden case: inputs and the expected evaluation."""

    name: str
    on: date
    product: Any  # ProductFacts
    results: tuple[Any, ...]  # Result
    expect: Expectation

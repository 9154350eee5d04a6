"""Match result conditions against a criterion's conditions (closed set of matchers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from .numbers import fmt, parse_decimal

MATCHERS = ("equals", "in", "range", "prefix")

Normalised = tuple[str, Decimal | None]
R = TypeVar("R")


@lru_cache(maxsize=8192)
def normalise(raw: str) -> Normalised:
    """Return a condition value as (case-folded text, number or None) for comparison.

    Cached: the same few hundred condition values (bands, frequencies, detectors) recur in every
    application, and a re-evaluation of thousands of certificates builds them again each time.
    """
    text = " ".join(str(raw).split())
    try:
        number: Decimal | None = parse_decimal(text)
    except ValueError:
        number = None
    return text.casefold(), number


@dataclass(frozen=True, slots=True)
class Matcher:
    """Hold one criterion condition: equals a value, one of values, a numeric range or a prefix."""

    op: str
    values: tuple[Normalised, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    raw: Any = None
    texts: frozenset[str] = field(init=False, repr=False, compare=False)
    numbers: frozenset[Decimal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A value matches as text, or as a number when both sides are numbers ("10" == "10.0").
        object.__setattr__(self, "texts", frozenset(t for t, _ in self.values))
        object.__setattr__(self, "numbers", frozenset(n for _, n in self.values if n is not None))

    def matches(self, value: Normalised | None) -> bool:
        """Tell whether a normalised result condition value satisfies this matcher."""
        if value is None:
            return False
        text, number = value
        op = self.op
        if op == "equals" or op == "in":
            return text in self.texts or (number is not None and number in self.numbers)
        if op == "range":
            if number is None:
                return False
            return (self.low is None or number >= self.low) and (
                self.high is None or number <= self.high
            )
        return text.startswith(self.values[0][0])  # prefix

    def describe(self, name: str) -> str:
        """Return the matcher as short text, e.g. 'mass_g = 10'."""
        if self.op == "equals":
            return f"{name} = {self.raw}"
        if self.op == "in":
            return f"{name} in {', '.join(map(str, self.raw))}"
        if self.op == "prefix":
            return f"{name} starts with '{self.raw}'"
        low = "" if self.low is None else f"{fmt(self.low)} ≤ "
        high = "" if self.high is None else f" ≤ {fmt(self.high)}"
        return f"{low}{name}{high}"

    def to_data(self) -> Any:
        """Return the matcher as JSON-safe data in the criteria-file shape."""
        if self.op == "range":
            data = {}
            if self.low is not None:
                data["min"] = fmt(self.low)
            if self.high is not None:
                data["max"] = fmt(self.high)
            return data
        if self.op == "prefix":
            return {"prefix": self.raw}
        if self.op == "in":
            return list(self.raw)
        return self.raw


def scalar_text(value: Any) -> str:
    """Return a condition value from data as text (numbers as exact text)."""
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def make_matcher(spec: Any) -> Matcher:
    """Build a matcher from criteria-file data: scalar, list, {min, max} or {prefix}."""
    if isinstance(spec, Mapping):
        if set(spec) == {"prefix"}:
            prefix = str(spec["prefix"])
            return Matcher("prefix", ((prefix.casefold(), None),), raw=prefix)
        low = parse_decimal(spec["min"]) if spec.get("min") is not None else None
        high = parse_decimal(spec["max"]) if spec.get("max") is not None else None
        return Matcher("range", low=low, high=high)
    if isinstance(spec, list | tuple):
        texts = tuple(scalar_text(v) for v in spec)
        return Matcher("in", tuple(normalise(t) for t in texts), raw=texts)
    text = scalar_text(spec)
    return Matcher("equals", (normalise(text),), raw=text)


def conditions_match(matchers: Mapping[str, Matcher], values: Mapping[str, Normalised]) -> bool:
    """Tell whether every criterion condition is met by a result's normalised conditions."""
    return all(matcher.matches(values.get(name)) for name, matcher in matchers.items())


def select(matchers: Mapping[str, Matcher], candidates: Sequence[R]) -> list[R]:
    """Return the candidates (results with .normalised) that meet every condition."""
    if not matchers:
        return list(candidates)
    items = tuple(matchers.items())
    selected = []
    for candidate in candidates:  # the engine's hottest loop: plain loops, no calls per condition
        values = candidate.normalised
        for name, matcher in items:
            if not matcher.matches(values.get(name)):
                break
        else:
            selected.append(candidate)
    return selected

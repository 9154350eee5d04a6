"""Decide whether a criterion applies to a product (closed registries of facts and operators)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .facts import ProductFacts
from .model import Applicability


@dataclass(frozen=True, slots=True)
class FactDef:
    """Describe a product fact that applies_if may test."""

    type: str  # "set" | "text" | "bool"
    default: Any = None


# Defaults of boolean facts are the conservative reading: a product that does not say it is
# foldable is held to the stricter non-foldable drop test; one that does not deny internet
# access is held to EN 18031; one that does not say it ships without a charger has it tested.
FACTS: dict[str, FactDef] = {
    "technologies": FactDef("set"),
    "bands": FactDef("set"),
    "category": FactDef("text", ""),
    "brand": FactDef("text", ""),
    "model": FactDef("text", ""),
    "foldable": FactDef("bool", False),
    "has_internet": FactDef("bool", True),
    "processes_personal_data": FactDef("bool", True),
    "user_replaceable_battery": FactDef("bool", False),
    "charger_included": FactDef("bool", True),
}


def fold(value: Any) -> Any:
    """Return a fact or applies_if value in the form compared: case-folded text, frozen sets."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, tuple | list | set | frozenset):
        return frozenset(fold(v) for v in value)
    return value


# operator -> (fact types it accepts, whether the value is a list, test on folded fact and value)
OPERATORS: dict[str, tuple[tuple[str, ...], bool, Callable[[Any, Any], bool]]] = {
    "equals": (("text", "bool"), False, lambda fact, value: fact == value),
    "not_equals": (("text", "bool"), False, lambda fact, value: fact != value),
    "in": (("text",), True, lambda fact, values: fact in values),
    "not_in": (("text",), True, lambda fact, values: fact not in values),
    "contains": (("set",), False, lambda fact, value: value in fact),
    "not_contains": (("set",), False, lambda fact, value: value not in fact),
    "contains_any": (("set",), True, lambda fact, values: not fact.isdisjoint(values)),
}


def fact_value(product: ProductFacts, name: str) -> Any:
    """Return the named fact of the product, folded, or the fact's default when it is silent."""
    folded = product.folded.get(name)
    if folded is not None:
        return folded
    value = product.extra.get(name)
    return FACTS[name].default if value is None else fold(value)


def applies(tests: tuple[Applicability, ...], product: ProductFacts) -> bool:
    """Tell whether every applies_if test holds for the product."""
    for test in tests:  # noqa: SIM110 - evaluated for every criterion of every evaluation
        if not OPERATORS[test.op][2](fact_value(product, test.fact), test.folded):
            return False
    return True


def describe(test: Applicability) -> str:
    """Return an applies_if test as text, e.g. 'technologies contains lte'."""
    value = ", ".join(map(str, test.value)) if isinstance(test.value, tuple) else test.value
    return f"{test.fact} {test.op.replace('_', ' ')} {value}"

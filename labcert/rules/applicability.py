"""Decide whether a criterion applies to a product (closed registries of facts and operators)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
CORE_FACTS = ("technologies", "bands", "category", "brand", "model")


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _contains(fact: Any, value: Any) -> bool:
    return _fold(value) in {_fold(v) for v in fact}


def _contains_any(fact: Any, values: Iterable[Any]) -> bool:
    have = {_fold(v) for v in fact}
    return any(_fold(v) in have for v in values)


def _in(fact: Any, values: Iterable[Any]) -> bool:
    return _fold(fact) in {_fold(v) for v in values}


# operator -> (fact types it accepts, whether the value is a list, function)
OPERATORS: dict[str, tuple[tuple[str, ...], bool, Callable[[Any, Any], bool]]] = {
    "equals": (("text", "bool"), False, lambda f, v: _fold(f) == _fold(v)),
    "not_equals": (("text", "bool"), False, lambda f, v: _fold(f) != _fold(v)),
    "in": (("text",), True, _in),
    "not_in": (("text",), True, lambda f, v: not _in(f, v)),
    "contains": (("set",), False, _contains),
    "not_contains": (("set",), False, lambda f, v: not _contains(f, v)),
    "contains_any": (("set",), True, _contains_any),
}


def fact_value(product: ProductFacts, name: str) -> Any:
    """Return the named fact of the product, or the fact's default when the product is silent."""
    if name in CORE_FACTS:
        return getattr(product, name)
    value = product.extra.get(name)
    return FACTS[name].default if value is None else value


def applies(tests: tuple[Applicability, ...], product: ProductFacts) -> bool:
    """Tell whether every applies_if test holds for the product."""
    return all(OPERATORS[t.op][2](fact_value(product, t.fact), t.value) for t in tests)


def describe(test: Applicability) -> str:
    """Return an applies_if test as text, e.g. 'technologies contains lte'."""
    value = ", ".join(map(str, test.value)) if isinstance(test.value, tuple) else test.value
    return f"{test.fact} {test.op.replace('_', ' ')} {value}"

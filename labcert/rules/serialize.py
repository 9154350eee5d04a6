"""Turn limits, decision rules and criteria into JSON-safe data (Decimals as exact text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .applicability import describe
from .explain import limit_text
from .frozen import thaw
from .model import Criterion, DecisionRule, Limit
from .numbers import fmt


def num(value: Decimal | None) -> str | None:
    """Return a number as exact text, or None."""
    return None if value is None else fmt(value)


def limit_to_dict(limit: Limit) -> dict[str, Any]:
    """Return {'max': x}, {'min': x}, {'range': [low, high]}, {'equals': v} or {'in': [...]}.

    A curve takes the place of x in its file shape ({'over', 'segments', 'edges'}), and
    relaxations are listed under 'relaxations'.
    """
    if limit.curve is not None:
        data: dict[str, Any] = {limit.kind: limit.curve.to_data()}
    elif limit.kind == "max":
        data = {"max": num(limit.high)}
    elif limit.kind == "min":
        data = {"min": num(limit.low)}
    elif limit.kind == "range":
        data = {"range": [num(limit.low), num(limit.high)]}
    elif limit.kind == "equals":
        data = {"equals": limit.values[0]}
    else:
        data = {"in": list(limit.values)}
    if limit.is_numeric and not limit.inclusive:
        data["inclusive"] = False
    if limit.relaxations:
        data["relaxations"] = [r.to_data() for r in limit.relaxations]
    return data


def rule_to_dict(rule: DecisionRule) -> dict[str, Any]:
    """Return the rule's name and parameters."""
    data: dict[str, Any] = {"name": rule.name}
    for key, value in rule.parameters().items():
        data[key] = fmt(value) if isinstance(value, Decimal) else value
    return data


def criterion_to_dict(criterion: Criterion) -> dict[str, Any]:
    """Return one criterion as JSON-safe data for the API."""
    return {
        "id": criterion.id,
        "title": criterion.title,
        "test": criterion.test,
        "kind": criterion.kind,
        "limit": limit_to_dict(criterion.limit),
        "limit_text": limit_text(criterion.limit, criterion.unit),
        "unit": criterion.unit,
        "rule": rule_to_dict(criterion.rule),
        "conditions": {name: m.to_data() for name, m in criterion.conditions.items()},
        "applies_if": [
            {"fact": a.fact, "op": a.op, "value": thaw(a.value), "text": describe(a)}
            for a in criterion.applies_if
        ],
        "required": criterion.required,
        "standard": criterion.standard,
        "source": {"ref": criterion.source.ref, "ids": list(criterion.source.ids)},
        "confirmed": criterion.confirmed,
        "effective_from": criterion.effective_from.isoformat()
        if criterion.effective_from
        else None,
        "note": criterion.note or None,
        "reported_per": criterion.reported_per,
    }

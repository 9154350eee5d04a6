"""Turn criteria sets and evaluations into JSON-safe data (Decimals as exact text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .applicability import describe
from .evaluation import Evaluation, Governing, Outcome
from .explain import limit_text
from .frozen import thaw
from .model import CriteriaSet, Criterion, DecisionRule, Limit
from .numbers import fmt


def _num(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def limit_to_dict(limit: Limit) -> dict[str, Any]:
    """Return {'max': x}, {'min': x}, {'range': [low, high]}, {'equals': v} or {'in': [...]}."""
    if limit.kind == "max":
        data: dict[str, Any] = {"max": _num(limit.high)}
    elif limit.kind == "min":
        data = {"min": _num(limit.low)}
    elif limit.kind == "range":
        data = {"range": [_num(limit.low), _num(limit.high)]}
    elif limit.kind == "equals":
        data = {"equals": limit.values[0]}
    else:
        data = {"in": list(limit.values)}
    if limit.is_numeric and not limit.inclusive:
        data["inclusive"] = False
    return data


def rule_to_dict(rule: DecisionRule) -> dict[str, Any]:
    """Return the rule's name and parameters."""
    data: dict[str, Any] = {"name": rule.name}
    for key, value in rule.parameters().items():
        data[key] = fmt(value) if isinstance(value, Decimal) else value
    return data


def governing_to_dict(governing: Governing | None) -> dict[str, Any] | None:
    """Return the governing result as JSON-safe data, or None."""
    if governing is None:
        return None
    return {
        "value": _num(governing.value),
        "unit": governing.unit,
        "uncertainty": _num(governing.uncertainty),
        "k": _num(governing.k),
        "observation": governing.observation,
        "ref": governing.ref,
        "conditions": dict(governing.conditions),
        "sample_imei": governing.sample_imei,
    }


def outcome_to_dict(outcome: Outcome) -> dict[str, Any]:
    """Return one outcome in the API shape."""
    criterion = outcome.definition
    return {
        "criterion": outcome.criterion,
        "title": criterion.title,
        "test": criterion.test,
        "verdict": outcome.verdict,
        "rule": criterion.rule.name,
        "limit": limit_to_dict(criterion.limit),
        "limit_text": limit_text(criterion.limit, criterion.unit),
        "unit": criterion.unit,
        "governing": governing_to_dict(outcome.governing),
        "reason": outcome.reason,
        "standard": criterion.standard,
        "confirmed": criterion.confirmed,
        "required": criterion.required,
        "results_judged": outcome.results_judged,
    }


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """Return the evaluation in the API shape; not_applicable holds criterion ids."""
    return {
        "criteria_set": evaluation.criteria_set,
        "verdict": evaluation.verdict,
        "verdict_reason": evaluation.verdict_reason,
        "outcomes": [outcome_to_dict(o) for o in evaluation.outcomes],
        "missing": list(evaluation.missing),
        "missing_criteria": [
            {"criterion": m.criterion, "test": m.test, "required": m.required, "reason": m.reason}
            for m in evaluation.missing_criteria
        ],
        "not_applicable": list(evaluation.not_applicable),
        "not_in_force": list(evaluation.not_in_force),
        "accept_conditional_pass": evaluation.accept_conditional_pass,
        "engine_version": evaluation.engine_version,
        "evaluated_on": evaluation.evaluated_on.isoformat(),
    }


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
    }


def criteria_set_summary(cs: CriteriaSet) -> dict[str, Any]:
    """Return the short description of a set used in lists."""
    return {
        "id": cs.id,
        "version": cs.version,
        "ref": cs.ref,
        "market": cs.market,
        "title": cs.title,
        "effective_from": cs.effective_from.isoformat(),
    }


def criteria_set_to_dict(cs: CriteriaSet) -> dict[str, Any]:
    """Return a whole set with all criteria as JSON-safe data for the API."""
    data = criteria_set_summary(cs)
    data.update(
        {
            "regime": list(cs.regime),
            "supersedes": cs.supersedes,
            "status": cs.status,
            "validity_months": cs.validity_months,
            "validity_note": cs.validity_note or None,
            "accept_conditional_pass": cs.accept_conditional_pass,
            "decision_rule": rule_to_dict(cs.default_rule),
            "decision_rule_text": cs.decision_rule_text,
            "criteria": [criterion_to_dict(c) for c in cs.criteria],
        }
    )
    return data

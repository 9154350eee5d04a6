"""Factories shaped make_x(**overrides) for rule-engine tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from labcert.rules import CriteriaSet, Criterion, DecisionRule, Limit, ProductFacts, Result
from labcert.rules.frozen import FrozenDict
from labcert.rules.matching import make_matcher
from labcert.rules.model import MEASUREMENT

D = Decimal
ON = date(2025, 9, 1)


def make_product(**overrides: Any) -> ProductFacts:
    facts: dict[str, Any] = {
        "brand": "Indus",
        "model": "IM-5G1",
        "category": "smartphone",
        "technologies": frozenset({"gsm", "lte", "wlan"}),
        "bands": frozenset({"GSM900", "LTE B3"}),
        "tacs": ("35209900",),
        "sample_imeis": ("352099001761481",),
    }
    facts.update(overrides)
    return ProductFacts(**facts)


def make_result(**overrides: Any) -> Result:
    fields: dict[str, Any] = {
        "test": "sar.head",
        "value": D("0.83"),
        "unit": "W/kg",
        "uncertainty": D("0.25"),
        "conditions": {"band": "LTE B3", "position": "left cheek", "mass_g": "10"},
    }
    fields.update(overrides)
    return Result(**fields)


def make_criterion(**overrides: Any) -> Criterion:
    conditions = overrides.pop("conditions", {"mass_g": 10})
    fields: dict[str, Any] = {
        "id": "sar.head.10g",
        "title": "SAR head, 10 g",
        "test": "sar.head",
        "kind": MEASUREMENT,
        "limit": Limit("max", high=D("2.0")),
        "unit": "W/kg",
        "rule": DecisionRule("guarded"),
        "conditions": FrozenDict({k: make_matcher(v) for k, v in conditions.items()}),
        "standard": "EN 50360:2017+A1:2023",
    }
    fields.update(overrides)
    return Criterion(**fields)


def make_set(*criteria: Criterion, **overrides: Any) -> CriteriaSet:
    fields: dict[str, Any] = {
        "id": "test-set",
        "version": "1",
        "market": "Testland",
        "title": "Test set",
        "effective_from": date(2025, 1, 1),
        "default_rule": DecisionRule("guarded"),
        "decision_rule_text": "Guarded acceptance.",
        "validity_months": 12,
        "accept_conditional_pass": False,
        "criteria": criteria or (make_criterion(),),
    }
    fields.update(overrides)
    return CriteriaSet(**fields)

"""Strict per-set checks of results before they are stored (e.g. uncertainty the rule needs)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import localcontext

from .criteria_set import CriteriaSet
from .decision import excess
from .engine import value_in_unit
from .facts import Result
from .matching import conditions_match
from .model import MEASUREMENT
from .numbers import ENGINE_CONTEXT, fmt
from .units import UnitError


def validate_for(criteria_set: CriteriaSet, results: Sequence[Result]) -> dict[str, list[str]]:
    """Return 'results.<i>.<field>' -> messages for results the set's rules cannot judge."""
    errors: dict[str, list[str]] = {}
    with localcontext(ENGINE_CONTEXT):
        for index, result in enumerate(results):
            if result.is_superseded:
                continue
            for criterion in criteria_set.by_test.get(result.test, ()):
                if criterion.kind != MEASUREMENT or not conditions_match(
                    criterion.conditions, result.normalised
                ):
                    continue
                rule = criterion.rule
                key = f"results.{index}.uncertainty"
                if (
                    rule.needs_uncertainty
                    and result.uncertainty is None
                    and result.uncertainty_pct is None
                ):
                    message = (
                        f"uncertainty required: criterion {criterion.id} uses the {rule.name} rule"
                    )
                elif rule.name == "shared_risk" and rule.on_excess == "invalid":
                    try:
                        _, u = value_in_unit(criterion, result)
                    except UnitError as exc:
                        errors.setdefault(f"results.{index}.unit", []).append(str(exc))
                        continue
                    if u is None or not excess(rule, u):
                        continue
                    message = (
                        f"U {fmt(u)} {criterion.unit} exceeds the maximum"
                        f" {fmt(rule.max_uncertainty)} {criterion.unit} of criterion {criterion.id}"
                        f" ({criterion.standard}): the result would be invalid"
                    )
                else:
                    continue
                if message not in errors.get(key, ()):
                    errors.setdefault(key, []).append(message)
    return errors

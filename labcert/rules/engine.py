"""Evaluate a product and its results against one criteria set version on a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, localcontext
from typing import Any

from .applicability import applies
from .checks import CHECKS
from .criteria_set import CriteriaSet
from .decision import (
    CONDITIONAL_FAIL,
    CONDITIONAL_PASS,
    FAIL,
    INDETERMINATE,
    PASS,
    RULES,
    SEVERITY,
    distance,
)
from .evaluation import Evaluation, Governing, MissingCriterion, Outcome
from .explain import context, missing_reason, observation_reason
from .facts import ProductFacts, Result
from .limits import ComputedLimit, limit_at, reason_at
from .matching import select
from .model import COMPUTED, MEASUREMENT, Criterion
from .numbers import ENGINE_CONTEXT, HUNDRED
from .units import UnitError, factor

ENGINE_VERSION = "1.1.0"  # 1.1: limits computed from a result's conditions (curves, relaxations)
# (severity, margin, result, y, U, verdict, computed limit) of the worst result so far
_Worst = tuple[int, Decimal, Result, Decimal, Decimal | None, str, ComputedLimit | None]


def evaluate(
    criteria_set: CriteriaSet,
    product: ProductFacts,
    results: Sequence[Result],
    on: date,
) -> Evaluation:
    """Judge every criterion in force and applicable on the date and give the market verdict."""
    on = on.date() if isinstance(on, datetime) else on
    by_test: dict[str, list[Result]] = {}
    for result in results:
        if not result.is_superseded:
            by_test.setdefault(result.test, []).append(result)
    outcomes: list[Outcome] = []
    missing: list[MissingCriterion] = []
    not_applicable: list[str] = []
    not_in_force: list[str] = []
    with localcontext(ENGINE_CONTEXT):
        for criterion in criteria_set.criteria:
            if not criterion.in_force(on):
                not_in_force.append(criterion.id)
                continue
            if criterion.applies_if and not applies(criterion.applies_if, product):
                not_applicable.append(criterion.id)
                continue
            outcome = _judge_criterion(criterion, product, by_test.get(criterion.test, ()))
            if outcome is None:
                missing.append(
                    MissingCriterion(
                        criterion.id, criterion.test, criterion.required, missing_reason(criterion)
                    )
                )
            else:
                outcomes.append(outcome)
    verdict, reason = _overall(criteria_set.accept_conditional_pass, outcomes, missing)
    return Evaluation(
        criteria_set=criteria_set.ref,
        verdict=verdict,
        verdict_reason=reason,
        outcomes=tuple(outcomes),
        missing=tuple(dict.fromkeys(m.test for m in missing if m.required)),
        missing_criteria=tuple(missing),
        not_applicable=tuple(not_applicable),
        not_in_force=tuple(not_in_force),
        engine_version=ENGINE_VERSION,
        evaluated_on=on,
        accept_conditional_pass=criteria_set.accept_conditional_pass,
    )


def _judge_criterion(
    criterion: Criterion, product: ProductFacts, candidates: Sequence[Result]
) -> Outcome | None:
    if criterion.kind == COMPUTED:
        check = CHECKS[criterion.test](product)
        if check is None:
            return None
        verdict = PASS if check.verdict in criterion.limit.values else FAIL
        return Outcome(criterion.id, criterion, verdict, check.reason, None, check.checked)
    matched = select(criterion.conditions, candidates)
    if not matched:
        return None
    if criterion.kind == MEASUREMENT:
        return _measured(criterion, matched)
    return _observed(criterion, matched)


def value_in_unit(criterion: Criterion, result: Result) -> tuple[Decimal, Decimal | None]:
    """Return the result's value and absolute U in the criterion's unit (raise UnitError)."""
    y = result.value
    if y is None:
        raise UnitError("the result has no value")
    if result.unit is None:
        raise UnitError(f"the result has no unit ({criterion.unit} required)")
    if result.unit != criterion.unit:
        scale = factor(result.unit, criterion.unit)
        y = y * scale
        u = None if result.uncertainty is None else result.uncertainty * scale
    else:
        u = result.uncertainty
    if result.uncertainty_pct is not None:
        u = result.uncertainty_pct * abs(y) / HUNDRED
    return y, u


def _measured(criterion: Criterion, matched: Sequence[Result]) -> Outcome:
    rule_fn = RULES[criterion.rule.name]
    limit, rule, unit = criterion.limit, criterion.rule, criterion.unit
    varies = limit.varies
    # One plain tuple per result of a reported list (Outcome.rows reads them as Rows later).
    rows: list[tuple[Any, ...]] | None = [] if criterion.reported_per else None
    worst: _Worst | None = None
    errors: list[tuple[Result, str]] = []
    for result in matched:
        if result.unit == unit and result.value is not None and result.uncertainty_pct is None:
            y, u = result.value, result.uncertainty  # the common case: no conversion at all
        else:
            try:
                y, u = value_in_unit(criterion, result)
            except UnitError as exc:
                errors.append((result, str(exc)))
                if rows is not None:
                    rows.append((result, None, None, INDETERMINATE, None, None, str(exc)))
                continue
        computed = None
        applied = limit
        if varies:  # the limit depends on the result's conditions: compute it first, exactly
            computed = limit_at(limit, result.normalised)
            if computed is None:  # unreachable: the criterion's range condition selected it
                message = f"no {criterion.reported_per} to compute the limit at"
                errors.append((result, message))
                continue
            applied = computed.limit
        verdict, margin = rule_fn(rule, applied, distance(applied, y), u)
        if rows is not None:
            rows.append((result, y, u, verdict, margin, computed))
        severity = SEVERITY[verdict]
        if worst is None or severity > worst[0] or (severity == worst[0] and margin < worst[1]):
            worst = (severity, margin, result, y, u, verdict, computed)
    if errors and (worst is None or worst[0] < SEVERITY[INDETERMINATE]):
        result, message = errors[0]
        reason = f"{context(criterion, result, len(matched))}{message} → indeterminate"
        governing = Governing(
            result.value,
            result.unit,
            result.uncertainty,
            None,
            result.ref,
            result.conditions,
            result.sample_imei,
            result.k,
        )
        return Outcome(
            criterion.id,
            criterion,
            INDETERMINATE,
            reason,
            governing,
            len(matched),
            None,
            *_listing(rows, result),
        )
    assert worst is not None
    _, _, result, y, u, verdict, computed = worst
    reason = context(criterion, result, len(matched)) + reason_at(
        criterion, result, y, u, verdict, computed
    )
    governing = Governing(
        y, unit, u, None, result.ref, result.conditions, result.sample_imei, result.k
    )
    return Outcome(
        criterion.id,
        criterion,
        verdict,
        reason,
        governing,
        len(matched),
        computed,
        *_listing(rows, result),
    )


def _listing(
    rows: list[tuple[Any, ...]] | None, governing: Result
) -> tuple[tuple[tuple[Any, ...], ...], int | None]:
    """Return the rows of a reported list and the index of the governing result's row."""
    if not rows:
        return (), None
    index = next(i for i, row in enumerate(rows) if row[0] is governing)
    return tuple(rows), index


def _observed(criterion: Criterion, matched: Sequence[Result]) -> Outcome:
    allowed = {v.casefold() for v in criterion.limit.values}
    worst: tuple[int, Result, str] | None = None
    for result in matched:
        observed = result.observation
        if observed is None:
            verdict = INDETERMINATE
        else:
            verdict = PASS if observed.casefold() in allowed else FAIL
        if worst is None or SEVERITY[verdict] > worst[0]:
            worst = (SEVERITY[verdict], result, verdict)
    assert worst is not None
    _, result, verdict = worst
    if result.observation is None:
        reason = "the result has no observation → indeterminate"
    else:
        reason = observation_reason(criterion, result.observation, verdict)
    governing = Governing(
        None, None, None, result.observation, result.ref, result.conditions, result.sample_imei
    )
    reason = context(criterion, result, len(matched)) + reason
    return Outcome(criterion.id, criterion, verdict, reason, governing, len(matched))


def _overall(
    accept_conditional_pass: bool, outcomes: list[Outcome], missing: list[MissingCriterion]
) -> tuple[str, str]:
    """Return the market verdict and its reason (RULES.md 'Overall verdict per market')."""
    failing = [
        o
        for o in outcomes
        if o.verdict in (FAIL, CONDITIONAL_FAIL)
        or (o.verdict == CONDITIONAL_PASS and not accept_conditional_pass)
    ]
    if failing:
        listed = ", ".join(
            f"{o.criterion} ({o.verdict}"
            + (", not accepted by this set)" if o.verdict == CONDITIONAL_PASS else ")")
            for o in failing
        )
        return FAIL, f"{len(failing)} failing: {listed}"
    indeterminate = [o.criterion for o in outcomes if o.verdict == INDETERMINATE]
    required = [m for m in missing if m.required]
    if indeterminate or required:
        parts = []
        if required:
            parts.append("no result for " + ", ".join(m.criterion for m in required))
        if indeterminate:
            parts.append("indeterminate: " + ", ".join(indeterminate))
        return "incomplete", "; ".join(parts)
    conditional = sum(o.verdict == CONDITIONAL_PASS for o in outcomes)
    accepted = f" ({conditional} conditional_pass accepted)" if conditional else ""
    return PASS, f"all {len(outcomes)} judged criteria pass{accepted}"

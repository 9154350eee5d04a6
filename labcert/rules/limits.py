"""The limit one result is judged against when a criterion's limit depends on its conditions.

The limit is computed first and exactly (see curves.py), then judged with the criterion's own
decision rule; the reason shows it rounded to two decimals, or to as many more as it takes for
every comparison in the reason to read as the exact one decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from .curves import DASH, Relaxation, Segment
from .decision import excess
from .explain import limit_text, measurement_reason
from .facts import Result
from .matching import Normalised
from .model import Criterion, DecisionRule, Limit
from .numbers import ENGINE_CONTEXT, fmt
from .serialize import limit_to_dict

DISPLAY_PLACES = 2
_ROUNDING = Context(prec=ENGINE_CONTEXT.prec, rounding=ROUND_HALF_EVEN)  # rounds, no traps


@dataclass(frozen=True, slots=True)
class ComputedLimit:
    """Hold the plain limit one result was judged against and how it came from the criterion's."""

    limit: Limit  # kind, low/high, inclusive: no curve, no relaxations
    over: str | None = None  # the condition the curve is read at
    at: Decimal | None = None
    segment: Segment | None = None
    on_edge: bool = False  # `at` is the shared end of two segments
    over_unit: str = ""
    relaxed: tuple[tuple[Relaxation, Decimal], ...] = ()  # applied, with the condition's value
    base_low: Decimal | None = None  # before the relaxations
    base_high: Decimal | None = None


def limit_at(limit: Limit, values: Mapping[str, Normalised]) -> ComputedLimit | None:
    """Return the limit for a result's normalised conditions, or None if the curve has no value."""
    low, high = limit.low, limit.high
    curve, at, found = limit.curve, None, None
    if curve is not None:
        value = values.get(curve.over)
        at = value[1] if value is not None else None
        found = None if at is None else curve.segment_at(at)
        if found is None:
            return None
        if limit.kind == "max":
            high = found[0].value_at(at)
        else:
            low = found[0].value_at(at)
    base_low, base_high = low, high
    relaxed = []
    for relaxation in limit.relaxations:
        value = values.get(relaxation.condition)
        if value is not None and value[1] is not None and relaxation.when.matches(value):
            if low is not None:
                low = ENGINE_CONTEXT.add(low, relaxation.low)
            if high is not None:
                high = ENGINE_CONTEXT.add(high, relaxation.high)
            relaxed.append((relaxation, value[1]))
    return ComputedLimit(
        limit=Limit(limit.kind, low=low, high=high, inclusive=limit.inclusive),
        over=curve.over if curve else None,
        at=at,
        segment=found[0] if found else None,
        on_edge=bool(found and found[1]),
        over_unit=curve.over_unit if curve else "",
        relaxed=tuple(relaxed),
        base_low=base_low,
        base_high=base_high,
    )


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def _shown_bound(exact: Decimal | None, y: Decimal, shifts: Iterable[Decimal]) -> Decimal | None:
    if exact is None or int(exact.as_tuple().exponent) >= -DISPLAY_PLACES:
        return exact
    sub = ENGINE_CONTEXT.subtract  # exact: every operand is bounded (numbers.py)
    wanted = [(s, _sign(sub(sub(y, exact), s))) for s in shifts]
    for places in range(DISPLAY_PLACES, -int(exact.as_tuple().exponent)):
        rounded = exact.quantize(Decimal(1).scaleb(-places), context=_ROUNDING)
        if all(_sign(sub(sub(y, rounded), s)) == sign for s, sign in wanted):
            return rounded
    return exact


def shown_limit(limit: Limit, rule: DecisionRule, y: Decimal | None, u: Decimal | None) -> Limit:
    """Return the limit rounded for display so that y compares with it as with the exact one."""
    if y is None:
        return limit
    shifts = {Decimal(0)}
    if u is not None:
        shifts |= {u, -u}
        if rule.name in ("cispr", "shared_risk"):
            extra = excess(rule, u)
            shifts |= {extra, -extra}
    low = _shown_bound(limit.low, y, shifts)
    high = _shown_bound(limit.high, y, shifts)
    return Limit(limit.kind, low=low, high=high, inclusive=limit.inclusive)


def _bound_of(limit: Limit) -> Decimal:
    bound = limit.high if limit.kind == "max" else limit.low
    return bound if bound is not None else Decimal(0)


def _unit(unit: str | None) -> str:
    return f" {unit}" if unit and unit != "1" else ""


def computed_text(computed: ComputedLimit, shown: Limit, unit: str | None) -> str:
    """Explain the computed limit, e.g. 'at 0.3 MHz the limit is 60.24 dBuV (66 → 56 …)'."""
    parts = []
    if computed.segment is not None and computed.at is not None:
        if computed.relaxed:  # the comparison is with the relaxed value; this one is context
            base = Limit(computed.limit.kind, low=computed.base_low, high=computed.base_high)
            value = _bound_of(base).quantize(Decimal(1).scaleb(-DISPLAY_PLACES), context=_ROUNDING)
        else:
            value = _bound_of(shown)
        where = _segment_text(computed, unit)
        if computed.on_edge:
            side = "lower" if computed.segment.high == computed.at else "upper"
            where += f"; a transition belongs to the {side} segment"
        parts.append(
            f"at {fmt(computed.at)}{_unit(computed.over_unit)} the limit is"
            f" {fmt(value)}{_unit(unit)} ({where})"
        )
    for relaxation, value in computed.relaxed:
        side, moved, new = (
            ("lower", relaxation.low, shown.low)
            if relaxation.low
            else ("upper", relaxation.high, shown.high)
        )
        ref = f", {relaxation.ref}" if relaxation.ref else ""
        parts.append(
            f"with {relaxation.condition} {fmt(value)}{_unit(relaxation.over_unit)}"
            f" ({relaxation.when.describe(relaxation.condition)}{ref}) the {side} limit is"
            f" relaxed by {fmt(abs(moved))}{_unit(unit)} to"
            f" {fmt(new if new is not None else Decimal(0))}{_unit(unit)}"
        )
    return "; ".join(parts)


def _segment_text(computed: ComputedLimit, unit: str | None) -> str:
    segment = computed.segment
    assert segment is not None
    if segment.interpolation is None:  # the value is the limit just named: give the span only
        return f"constant {fmt(segment.low)}{DASH}{fmt(segment.high)}{_unit(computed.over_unit)}"
    return segment.describe(unit, computed.over_unit)


def computed_limit_text(computed: ComputedLimit, shown: Limit, unit: str | None) -> str:
    """Return the limit as the results table shows it, e.g. '≤ 60.24 dBuV at 0.3 MHz (…)'."""
    where = ""
    if computed.at is not None and computed.segment is not None:
        at = f"{fmt(computed.at)}{_unit(computed.over_unit)}"
        where = f" at {at} ({_segment_text(computed, unit)})"
    for relaxation, value in computed.relaxed:
        moved = relaxation.low or relaxation.high
        side = "lower" if relaxation.low else "upper"
        ref = f", {relaxation.ref}" if relaxation.ref else ""
        where += (
            f" with {relaxation.condition} {fmt(value)}{_unit(relaxation.over_unit)}"
            f" ({side} limit relaxed by {fmt(abs(moved))}{_unit(unit)}{ref})"
        )
    return limit_text(shown, unit) + where


def computed_to_dict(computed: ComputedLimit, shown: Limit, unit: str | None) -> dict[str, Any]:
    """Return the computed limit in the API shape: exact values, shown values and the basis."""
    data = limit_to_dict(computed.limit)
    data["shown"] = limit_to_dict(shown)
    if computed.over is not None and computed.at is not None and computed.segment is not None:
        data["at"] = {computed.over: fmt(computed.at)}
        data["segment"] = computed.segment.to_data()
        data["on_edge"] = computed.on_edge
    if computed.relaxed:
        data["relaxed"] = [
            {**relaxation.to_data(), "value": fmt(value)} for relaxation, value in computed.relaxed
        ]
    data["text"] = computed_text(computed, shown, unit)
    return data


def reason_at(
    criterion: Criterion,
    result: Result,
    y: Decimal,
    u: Decimal | None,
    verdict: str,
    computed: ComputedLimit | None,
) -> str:
    """Explain one result's verdict, naming the computed limit first when there is one."""
    if computed is None:
        return measurement_reason(criterion, result, y, u, verdict)
    shown = shown_limit(computed.limit, criterion.rule, y, u)
    text = measurement_reason(criterion, result, y, u, verdict, shown)
    return f"{computed_text(computed, shown, criterion.unit)}: {text}"

"""Build a criterion's limit from schema-checked data, checking curves against the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .curves import Curve, Relaxation, Segment
from .inputs import unknown
from .matching import Matcher, make_matcher, scalar_text
from .model import MEASUREMENT, Catalogue, Limit, TestDef
from .numbers import ZERO, fmt

Problems = list[tuple[str, str]]


def build_limit(
    spec: dict[str, Any],
    test: TestDef,
    catalogue: Catalogue,
    conditions: Mapping[str, Matcher],
    path: str,
    problems: Problems,
) -> Limit:
    """Return the Limit of a criterion; append (path, reason) for every problem found."""
    inclusive = spec.get("inclusive", True)
    where = f"{path}.limit"
    relaxations = tuple(
        relaxation
        for index, raw in enumerate(spec.get("relaxations", ()))
        if (
            relaxation := _relaxation(
                raw, test, catalogue, f"{where}.relaxations[{index}]", problems
            )
        )
        is not None
    )
    if "max" in spec or "min" in spec:
        kind = "max" if "max" in spec else "min"
        bound = spec[kind]
        curve = None
        if isinstance(bound, Mapping):
            curve = _curve(bound, test, catalogue, conditions, f"{where}.{kind}", problems)
            bound = None
        limit = Limit(
            kind,
            low=bound if kind == "min" else None,
            high=bound if kind == "max" else None,
            inclusive=inclusive,
            curve=curve,
            relaxations=relaxations,
        )
    elif "range" in spec:
        low, high = spec["range"]
        limit = Limit("range", low=low, high=high, inclusive=inclusive, relaxations=relaxations)
    else:
        limit = _observed(spec, test, where, problems)
    if test.kind == MEASUREMENT and not limit.is_numeric:
        problems.append((where, f"{test.code} is a measurement: use max, min or range"))
    return limit


def _observed(spec: dict[str, Any], test: TestDef, where: str, problems: Problems) -> Limit:
    kind = "equals" if "equals" in spec else "in"
    raw = [spec["equals"]] if kind == "equals" else spec["in_"]
    allowed = {o.casefold(): o for o in test.observations or ()}
    values = []
    for index, value in enumerate(raw):
        at = f"{where}.equals" if kind == "equals" else f"{where}.in[{index}]"
        canonical = allowed.get(scalar_text(value).casefold())
        if canonical is None:
            allowed_text = ", ".join(test.observations or ()) or "a measurement"
            problems.append((at, f"'{value}' is not a result of {test.code} ({allowed_text})"))
        values.append(canonical or scalar_text(value))
    return Limit(kind, values=tuple(values))


def _number_condition(
    name: str, test: TestDef, catalogue: Catalogue, where: str, problems: Problems
) -> str | None:
    """Return the condition's unit if the test's results carry it as a number, else None."""
    if not test.allows_condition(name):
        known = (*test.conditions, *test.optional_conditions)
        problems.append((where, unknown(f"condition of {test.code}", name, known)))
        return None
    definition = catalogue.condition_defs[name]
    if definition.type != "number":
        problems.append((where, f"{name} is not a number condition: a limit cannot vary over it"))
        return None
    return definition.unit


def _curve(
    spec: dict[str, Any],
    test: TestDef,
    catalogue: Catalogue,
    conditions: Mapping[str, Matcher],
    where: str,
    problems: Problems,
) -> Curve | None:
    over = spec["over"]
    unit = _number_condition(over, test, catalogue, f"{where}.over", problems)
    if unit is None:
        return None
    declared = conditions.get(over)
    if declared is None or declared.op != "range" or None in (declared.low, declared.high):
        problems.append(
            (
                f"{where}.over",
                f"a limit over {over} needs the range it covers among the conditions, "
                f"e.g. conditions: {{{over}: {{min: …, max: …}}}}",
            )
        )
        return None
    segments = []
    for index, raw in enumerate(spec["segments"]):
        if "value" in raw:
            segment = Segment(raw["from_"], raw["to"], raw["value"], raw["value"])
        else:
            segment = Segment(
                raw["from_"], raw["to"], raw["at_from"], raw["at_to"], raw["interpolation"]
            )
        segments.append(segment)
        if index == 0:
            _meet(segment.low, declared.low, f"{where}.segments[0].from", "starts", over, problems)
        else:
            previous = segments[index - 1].high
            if segment.low != previous:
                gap = "a gap" if segment.low > previous else "an overlap"
                problems.append(
                    (
                        f"{where}.segments[{index}].from",
                        f"{fmt(segment.low)} leaves {gap} after the previous segment's end "
                        f"{fmt(previous)}: segments must meet end to start",
                    )
                )
    last = f"{where}.segments[{len(segments) - 1}].to"
    _meet(segments[-1].high, declared.high, last, "ends", over, problems)
    return Curve(over, tuple(segments), spec["edges"], unit)


def _meet(
    value: Decimal, declared: Decimal | None, where: str, verb: str, over: str, problems: Problems
) -> None:
    if declared is not None and value != declared:
        problems.append(
            (
                where,
                f"the curve {verb} at {fmt(value)} but the criterion's {over} range {verb} at "
                f"{fmt(declared)}: the segments must cover the declared range exactly",
            )
        )


def _relaxation(
    spec: dict[str, Any], test: TestDef, catalogue: Catalogue, where: str, problems: Problems
) -> Relaxation | None:
    ((name, raw),) = spec["when"].items()
    unit = _number_condition(name, test, catalogue, f"{where}.when.{name}", problems)
    if unit is None:
        return None
    matcher = make_matcher(raw)
    if matcher.op != "range":
        problems.append((f"{where}.when.{name}", "give the range it applies in: {min, max}"))
        return None
    return Relaxation(
        name, matcher, spec.get("low", ZERO), spec.get("high", ZERO), spec["ref"], unit
    )

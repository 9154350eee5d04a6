"""Load a criteria file: check its shape, then every name against the catalogue and registries."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from .applicability import FACTS, OPERATORS
from .catalogue import load_catalogue, schema_errors
from .criteria_set import CriteriaSet
from .errors import CriteriaError
from .examples import build_examples
from .frozen import FrozenDict
from .inputs import TECHNOLOGIES, suggest, unknown
from .limit_loader import build_limit
from .matching import make_matcher
from .model import (
    COMPUTED,
    COMPUTED_RULE,
    MEASUREMENT,
    OBSERVATION_RULE,
    Applicability,
    Catalogue,
    Criterion,
    DecisionRule,
    Source,
    TestDef,
)
from .schemas import CriteriaSetSchema
from .units import UnitError, check_compatible
from .yamlload import load_yaml

Problems = list[tuple[str, str]]


def make_rule(spec: dict[str, Any]) -> DecisionRule:
    """Build a DecisionRule from a schema-checked mapping."""
    return DecisionRule(
        name=spec["type"],
        max_uncertainty=spec.get("max_uncertainty"),
        on_excess=spec.get("on_excess"),
        test_tolerance=spec.get("test_tolerance"),
        u_cispr=spec.get("u_cispr"),
    )


def _conditions(
    spec: dict[str, Any], test: TestDef, catalogue: Catalogue, path: str, problems: Problems
) -> FrozenDict[Any]:
    matchers = {}
    known = (*test.conditions, *test.optional_conditions)
    for name, raw in spec.items():
        where = f"{path}.conditions.{name}"
        if not test.allows_condition(name):
            problems.append((where, unknown(f"condition of {test.code}", name, known)))
            continue
        definition = catalogue.condition_defs[name]
        matcher = make_matcher(raw)
        if definition.type == "number" and (
            matcher.op == "prefix" or any(n is None for _, n in matcher.values)
        ):
            problems.append((where, f"{name} is a number condition: use numbers or {{min, max}}"))
        elif definition.type != "number" and matcher.op == "range":
            problems.append(
                (where, f"{name} is not a number condition: {{min, max}} does not apply")
            )
        elif definition.type == "choice" and matcher.op != "prefix":
            choices = {c.casefold() for c in definition.choices or ()}
            for text, _ in matcher.values:
                if text not in choices:
                    problems.append(
                        (where, f"'{text}' is not one of {', '.join(definition.choices or ())}")
                    )
        matchers[name] = matcher
    return FrozenDict(matchers)


def _applies_if(
    specs: list[dict[str, Any]], path: str, problems: Problems
) -> tuple[Applicability, ...]:
    tests = []
    for index, spec in enumerate(specs):
        where = f"{path}.applies_if[{index}]"
        fact, op, value = spec["fact"], spec["op"], spec["value"]
        if fact not in FACTS:
            problems.append((f"{where}.fact", unknown("fact", fact, list(FACTS))))
            continue
        if op not in OPERATORS:
            problems.append((f"{where}.op", unknown("operator", op, list(OPERATORS))))
            continue
        types, is_list, _ = OPERATORS[op]
        kind = FACTS[fact].type
        if kind not in types:
            problems.append(
                (f"{where}.op", f"operator '{op}' does not apply to the {kind} fact '{fact}'")
            )
            continue
        values = value if is_list else [value]
        if is_list and (not isinstance(value, list) or not value):
            problems.append((f"{where}.value", f"operator '{op}' needs a non-empty list"))
            continue
        expected = bool if kind == "bool" else str
        bad = [v for v in values if not isinstance(v, expected)]
        if bad:
            problems.append(
                (
                    f"{where}.value",
                    f"{bad[0]!r} is not a {'boolean' if kind == 'bool' else 'text'} value",
                )
            )
            continue
        if fact == "technologies":
            problems.extend(
                (f"{where}.value", unknown("technology", v, TECHNOLOGIES))
                for v in values
                if v.lower() not in TECHNOLOGIES
            )
        tests.append(Applicability(fact, op, tuple(values) if is_list else value))
    return tuple(tests)


def _criterion(
    spec: dict[str, Any], path: str, catalogue: Catalogue, default: DecisionRule, problems: Problems
) -> Criterion | None:
    test = catalogue.get(spec["test"])
    if test is None:
        problems.append(
            (
                f"{path}.test",
                f"unknown test code '{spec['test']}'{suggest(spec['test'], catalogue.codes())}",
            )
        )
        return None
    conditions = _conditions(spec["conditions"], test, catalogue, path, problems)
    limit = build_limit(spec["limit"], test, catalogue, conditions, path, problems)
    unit = spec["unit"]
    if test.kind == MEASUREMENT:
        rule = make_rule(spec["decision_rule"]) if "decision_rule" in spec else default
        if not unit:
            problems.append((f"{path}.unit", f"required: {test.code} is measured in {test.unit}"))
        else:
            try:
                unit = check_compatible(unit, test.unit, test.code)
            except UnitError as exc:
                problems.append((f"{path}.unit", str(exc)))
    else:
        rule = COMPUTED_RULE if test.kind == COMPUTED else OBSERVATION_RULE
        if unit:
            problems.append((f"{path}.unit", f"{test.code} is a {test.kind} test and has no unit"))
        if "decision_rule" in spec:
            problems.append((f"{path}.decision_rule", "decision rules apply to measurements only"))
        unit = None
    return Criterion(
        id=spec["id"],
        title=spec["title"],
        test=test.code,
        kind=test.kind,
        limit=limit,
        unit=unit,
        rule=rule,
        conditions=conditions,
        applies_if=_applies_if(spec["applies_if"], path, problems),
        required=spec["required"],
        standard=spec["standard"],
        source=Source(spec["source"]["ref"], tuple(spec["source"]["ids"])),
        confirmed=spec["confirmed"],
        effective_from=spec.get("effective_from"),
        note=spec["note"].strip(),
    )


def load_criteria_file(path: str | Path, catalogue: Catalogue | None = None) -> CriteriaSet:
    """Load, check and return one criteria set version; raise CriteriaError naming file and path."""
    catalogue = catalogue or load_catalogue()
    file = str(path)
    data = load_yaml(Path(path).read_text(encoding="utf-8"), file)
    if not isinstance(data, dict):
        raise CriteriaError(file, [("", "the file must hold a mapping")])
    try:
        loaded = CriteriaSetSchema().load(data)
    except ValidationError as exc:
        raise CriteriaError(file, schema_errors(exc)) from None
    problems: Problems = []
    default = make_rule(loaded["decision_rule"])
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for index, spec in enumerate(loaded["criteria"]):
        if spec["id"] in seen:
            problems.append((f"criteria[{index}].id", f"duplicate criterion id '{spec['id']}'"))
        seen.add(spec["id"])
        criterion = _criterion(spec, f"criteria[{index}]", catalogue, default, problems)
        if criterion is not None:
            criteria.append(criterion)
    supersedes = loaded["supersedes"]
    if supersedes is not None and not supersedes.startswith(f"{loaded['id']}@"):
        problems.append(
            (
                "supersedes",
                f"must name an earlier version of {loaded['id']}, e.g. '{loaded['id']}@2025.01'",
            )
        )
    if problems:
        raise CriteriaError(file, problems)
    criteria_set = CriteriaSet(
        id=loaded["id"],
        version=loaded["version"],
        market=loaded["market"],
        title=loaded["title"],
        country=loaded["country"] or loaded["market"],
        scheme=loaded["scheme"] or loaded["title"],
        effective_from=loaded["effective_from"],
        default_rule=default,
        decision_rule_text=" ".join(loaded["decision_rule_text"].split()),
        validity_months=loaded["validity_months"],
        accept_conditional_pass=loaded["accept_conditional_pass"],
        criteria=tuple(criteria),
        regime=tuple(loaded["regime"]),
        supersedes=supersedes,
        status=loaded["status"],
        validity_note=" ".join(loaded["validity_note"].split()),
        file=file,
        certificate_languages=tuple(loaded["certificate_languages"]),
    )
    examples = build_examples(loaded["examples"], criteria_set, catalogue, problems)
    if problems:
        raise CriteriaError(file, problems)
    return dataclasses.replace(criteria_set, examples=examples)

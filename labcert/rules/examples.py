"""Build and run the golden examples that live beside the criteria data (GoRules style)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .criteria_set import CriteriaSet
from .engine import evaluate
from .errors import InputError
from .frozen import FrozenDict
from .inputs import parse_product
from .model import Catalogue, Example, Expectation
from .result_inputs import parse_results

_INDEX = re.compile(r"\.(\d+)(?=\.|$)")


def _paths(exc: InputError, where: str) -> list[tuple[str, str]]:
    """Return an InputError's details as criteria-file paths under `where`."""
    return [
        (f"{where}.{_INDEX.sub(_bracket, key)}", message)
        for key, messages in exc.details.items()
        for message in messages
    ]


def _bracket(match: re.Match[str]) -> str:
    return f"[{match.group(1)}]"


def _expectation(
    spec: dict[str, Any],
    cs: CriteriaSet,
    catalogue: Catalogue,
    where: str,
    problems: list[tuple[str, str]],
) -> Expectation:
    ids = {c.id for c in cs.criteria}
    for field in ("outcomes", "reasons"):
        for key in spec[field]:
            if key not in ids:
                problems.append((f"{where}.{field}.{key}", f"unknown criterion id of {cs.ref}"))
    for field in ("not_applicable", "not_in_force"):
        for index, key in enumerate(spec.get(field) or ()):
            if key not in ids:
                problems.append(
                    (f"{where}.{field}[{index}]", f"unknown criterion id '{key}' of {cs.ref}")
                )
    for index, code in enumerate(spec.get("missing") or ()):
        if code not in catalogue:
            problems.append((f"{where}.missing[{index}]", f"unknown test code '{code}'"))

    def listed(name: str) -> tuple[str, ...] | None:
        return tuple(spec[name]) if name in spec else None

    return Expectation(
        verdict=spec["verdict"],
        outcomes=FrozenDict(spec["outcomes"]),
        reasons=FrozenDict(spec["reasons"]),
        missing=listed("missing"),
        not_applicable=listed("not_applicable"),
        not_in_force=listed("not_in_force"),
    )


def build_examples(
    specs: list[dict[str, Any]],
    cs: CriteriaSet,
    catalogue: Catalogue,
    problems: list[tuple[str, str]],
) -> tuple[Example, ...]:
    """Build examples; one may start 'like' an earlier one and change product, results or date."""
    built: dict[str, tuple[Example, dict[str, Any]]] = {}
    for index, spec in enumerate(specs):
        where = f"examples[{index}]"
        if spec["name"] in built:
            problems.append((f"{where}.name", f"duplicate example name '{spec['name']}'"))
            continue
        base: tuple[Example, dict[str, Any]] | None = None
        if "like" in spec:
            base = built.get(spec["like"])
            if base is None:
                problems.append((f"{where}.like", f"no earlier example named '{spec['like']}'"))
                continue
        on: date | None = spec.get("on") or (base[0].on if base else None)
        if on is None:
            problems.append((f"{where}.on", "required (the evaluation date)"))
            continue
        raw_product = {**(base[1] if base else {}), **spec.get("product", {})}
        try:
            product = parse_product(raw_product, prefix="product")
        except InputError as exc:
            problems.extend(_paths(exc, where))
            continue
        results = list(base[0].results) if base and "results" not in spec else []
        try:
            results += parse_results(spec.get("results", []), catalogue, prefix="results")
            remove = set(spec.get("remove_tests", ()))
            results = [r for r in results if r.test not in remove]
            results += parse_results(spec.get("add_results", []), catalogue, prefix="add_results")
        except InputError as exc:
            problems.extend(_paths(exc, where))
            continue
        expect = _expectation(spec["expect"], cs, catalogue, f"{where}.expect", problems)
        example = Example(spec["name"], on, product, tuple(results), expect)
        built[spec["name"]] = (example, raw_product)
    return tuple(example for example, _ in built.values())


def _compare(label: str, expected: tuple[str, ...] | None, actual: tuple[str, ...]) -> list[str]:
    if expected is None or sorted(expected) == sorted(actual):
        return []
    return [f"{label}: expected {sorted(expected)}, got {sorted(actual)}"]


def check_example(cs: CriteriaSet, example: Example) -> list[str]:
    """Evaluate one example and return what differs from its expectation."""
    try:
        evaluation = evaluate(cs, example.product, example.results, example.on)
    except Exception as exc:  # an example must never crash the engine: report, do not raise
        return [f"evaluation raised {type(exc).__name__}: {exc}"]
    expect = example.expect
    problems = []
    if evaluation.verdict != expect.verdict:
        problems.append(
            f"verdict: expected {expect.verdict}, got {evaluation.verdict}"
            f" ({evaluation.verdict_reason})"
        )
    outcomes = {o.criterion: o for o in evaluation.outcomes}
    for criterion_id, verdict in expect.outcomes.items():
        outcome = outcomes.get(criterion_id)
        if outcome is None:
            state = (
                "not applicable"
                if criterion_id in evaluation.not_applicable
                else (
                    "not in force" if criterion_id in evaluation.not_in_force else "without result"
                )
            )
            problems.append(f"outcome {criterion_id}: expected {verdict}, got none ({state})")
        elif outcome.verdict != verdict:
            problems.append(
                f"outcome {criterion_id}: expected {verdict}, got {outcome.verdict}"
                f" ({outcome.reason})"
            )
    for criterion_id, text in expect.reasons.items():
        outcome = outcomes.get(criterion_id)
        if outcome is None or text not in outcome.reason:
            got = outcome.reason if outcome else "no outcome"
            problems.append(f"reason {criterion_id}: expected to contain {text!r}, got {got!r}")
    problems += _compare("missing", expect.missing, evaluation.missing)
    problems += _compare("not_applicable", expect.not_applicable, evaluation.not_applicable)
    problems += _compare("not_in_force", expect.not_in_force, evaluation.not_in_force)
    return problems


def run_examples(criteria_set: CriteriaSet) -> list[str]:
    """Run every golden example of a set and return one line per failure (empty: all pass)."""
    return [
        f"{criteria_set.ref} example '{example.name}': {problem}"
        for example in criteria_set.examples
        for problem in check_example(criteria_set, example)
    ]

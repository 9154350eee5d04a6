"""Every shipped criteria set carries golden examples, and one generic test walks them all."""

import dataclasses
from datetime import date

import pytest

from labcert.rules import load_registry, run_examples

SETS = [cs.ref for cs in load_registry().all()]


@pytest.mark.parametrize("ref", SETS)
def test_every_golden_example_of_the_set_passes(registry, ref):
    assert run_examples(registry.resolve(ref, date.today(), drafts=True)) == []


@pytest.mark.parametrize("ref", SETS)
def test_each_set_has_at_least_eight_examples_covering_every_overall_verdict(registry, ref):
    cs = registry.resolve(ref, date.today(), drafts=True)
    assert len(cs.examples) >= 8
    assert {e.expect.verdict for e in cs.examples} == {"pass", "fail", "incomplete"}
    assert any(e.expect.missing for e in cs.examples), "no example lists missing tests"


@pytest.mark.parametrize("ref", SETS)
def test_examples_show_not_applicable_and_conditional_outcomes_where_the_set_has_them(
    registry, ref
):
    cs = registry.resolve(ref, date.today(), drafts=True)
    expected = [v for e in cs.examples for v in e.expect.outcomes.values()]
    if any(c.rule.name == "guarded" for c in cs.criteria):
        assert {"conditional_pass", "conditional_fail"} & set(expected)
    if any(c.applies_if for c in cs.criteria):
        assert any(e.expect.not_applicable for e in cs.examples)
    if any(c.rule.needs_uncertainty for c in cs.criteria):
        assert "indeterminate" in expected or any(
            e.expect.verdict == "incomplete" for e in cs.examples
        )


def test_a_wrong_expectation_is_reported_not_swallowed(registry):
    cs = registry.resolve("pk-pta", date(2025, 9, 1))
    example = cs.examples[0]
    broken = dataclasses.replace(
        example, expect=dataclasses.replace(example.expect, verdict="fail")
    )
    failures = run_examples(dataclasses.replace(cs, examples=(broken,)))
    assert failures == [
        f"pk-pta@2025.01 example '{example.name}': verdict: expected fail, got pass"
        " (all 13 judged criteria pass)"
    ]

"""The engine judges every result, keeps the worst with its governing result, and explains it."""

import json
from datetime import date

from labcert.rules import DecisionRule, Limit, evaluate
from labcert.rules.model import COMPUTED, OBSERVATION, Applicability, Source

from .factories import ON, D, make_criterion, make_product, make_result, make_set


def head(value, u="0.25", position="left cheek", mass="10", **overrides):
    conditions = {"band": "LTE B3", "position": position, "mass_g": mass}
    return make_result(
        value=D(value), uncertainty=None if u is None else D(u), conditions=conditions, **overrides
    )


def test_the_worst_result_governs_and_is_named():
    results = [
        head("0.83", ref="a"),
        head("1.9", position="right tilt", ref="b"),
        head("0.5", ref="c"),
    ]
    outcome = evaluate(make_set(), make_product(), results, ON).outcome("sar.head.10g")
    assert outcome.verdict == "conditional_pass"
    assert outcome.governing.ref == "b"
    assert outcome.governing.value == D("1.9")
    assert outcome.results_judged == 3
    assert outcome.reason == (
        "worst of 3 results (band LTE B3, position right tilt): "
        "1.9 W/kg > 2.0 − U(0.25) = 1.75 and ≤ 2.0 → conditional_pass"  # noqa: RUF001
    )


def test_among_equal_verdicts_the_smallest_margin_governs():
    results = [head("0.6", ref="far"), head("1.2", ref="near"), head("0.9", ref="mid")]
    outcome = evaluate(make_set(), make_product(), results, ON).outcome("sar.head.10g")
    assert (outcome.verdict, outcome.governing.ref) == ("pass", "near")


def test_worst_outcome_order_puts_fail_above_conditional_fail_above_indeterminate():
    base = [head("0.5"), head("1.9"), head("0.4", u=None)]
    assert evaluate(make_set(), make_product(), base, ON).outcome("sar.head.10g").verdict == (
        "indeterminate"
    )
    with_cf = [*base, head("2.1")]
    assert evaluate(make_set(), make_product(), with_cf, ON).outcome("sar.head.10g").verdict == (
        "conditional_fail"
    )
    with_fail = [*with_cf, head("2.3")]
    assert evaluate(make_set(), make_product(), with_fail, ON).outcome("sar.head.10g").verdict == (
        "fail"
    )


def test_superseded_results_are_ignored():
    results = [head("2.9", is_superseded=True), head("0.7")]
    evaluation = evaluate(make_set(), make_product(), results, ON)
    assert evaluation.outcome("sar.head.10g").verdict == "pass"
    assert evaluation.outcome("sar.head.10g").results_judged == 1


def test_only_results_matching_the_criterion_conditions_are_judged():
    results = [head("1.5", mass="1"), head("0.7", mass="10.0")]
    outcome = evaluate(make_set(), make_product(), results, ON).outcome("sar.head.10g")
    assert outcome.results_judged == 1
    assert outcome.governing.value == D("0.7")


def test_a_required_criterion_without_results_makes_the_evaluation_incomplete():
    evaluation = evaluate(make_set(), make_product(), [head("0.7", mass="1")], ON)
    assert evaluation.verdict == "incomplete"
    assert evaluation.missing == ("sar.head",)
    assert evaluation.missing_criteria[0].reason == "no result for sar.head with mass_g = 10"


def test_an_optional_criterion_without_results_is_not_missing():
    criterion = make_criterion(required=False)
    evaluation = evaluate(make_set(criterion), make_product(), [], ON)
    assert evaluation.verdict == "pass"
    assert evaluation.missing == ()
    assert evaluation.missing_criteria[0].required is False


def test_conditional_pass_follows_the_sets_policy():
    results = [head("1.9")]
    strict = evaluate(make_set(accept_conditional_pass=False), make_product(), results, ON)
    lenient = evaluate(make_set(accept_conditional_pass=True), make_product(), results, ON)
    assert strict.verdict == "fail"
    assert "not accepted" in strict.verdict_reason
    assert lenient.verdict == "pass"


def test_a_conditional_fail_fails_even_when_conditional_pass_is_accepted():
    evaluation = evaluate(make_set(accept_conditional_pass=True), make_product(), [head("2.1")], ON)
    assert evaluation.verdict == "fail"


def test_failure_wins_over_missing_results():
    other = make_criterion(id="sar.body.10g", test="sar.body")
    evaluation = evaluate(make_set(make_criterion(), other), make_product(), [head("2.4")], ON)
    assert evaluation.verdict == "fail"
    assert evaluation.missing == ("sar.body",)


def test_an_indeterminate_outcome_makes_the_evaluation_incomplete():
    evaluation = evaluate(make_set(), make_product(), [head("0.4", u=None)], ON)
    assert evaluation.verdict == "incomplete"
    assert evaluation.outcome("sar.head.10g").reason == (
        "0.4 W/kg: no uncertainty given; uncertainty required by the decision rule (guarded)"
        " → indeterminate"
    )


def test_relative_uncertainty_is_converted_from_the_absolute_value():
    result = head("-1.5", u=None, uncertainty_pct=D("10"))
    criterion = make_criterion(limit=Limit("min", low=D("-2")))
    outcome = evaluate(make_set(criterion), make_product(), [result], ON).outcome("sar.head.10g")
    assert outcome.governing.uncertainty == D("0.15")
    assert outcome.verdict == "pass"


def test_a_k_other_than_two_is_recorded_and_u_used_as_stated():
    outcome = evaluate(make_set(), make_product(), [head("1.75", k=D("1.96"))], ON).outcome(
        "sar.head.10g"
    )
    assert outcome.verdict == "pass"
    assert outcome.governing.uncertainty == D("0.25")
    assert outcome.governing.k == D("1.96")
    assert "U(0.25, k = 1.96)" in outcome.reason


def test_results_in_another_unit_are_converted_before_judging():
    result = head("1800", u="250", unit="mW/kg")
    outcome = evaluate(make_set(), make_product(), [result], ON).outcome("sar.head.10g")
    assert outcome.governing.value == D("1.8")
    assert outcome.governing.uncertainty == D("0.25")
    assert outcome.verdict == "conditional_pass"
    assert outcome.reason.startswith("1800 mW/kg = 1.800 W/kg > 2.0 − U(0.250)")  # noqa: RUF001


def test_a_result_in_an_incompatible_unit_is_indeterminate_not_an_exception():
    outcome = evaluate(make_set(), make_product(), [head("0.5", unit="kg")], ON).outcome(
        "sar.head.10g"
    )
    assert outcome.verdict == "indeterminate"
    assert "unit 'kg' is not compatible with 'W/kg'" in outcome.reason


def test_applies_if_on_product_facts_lists_criteria_as_not_applicable():
    lte_only = make_criterion(applies_if=(Applicability("technologies", "contains", "umts"),))
    evaluation = evaluate(make_set(lte_only), make_product(), [], ON)
    assert evaluation.not_applicable == ("sar.head.10g",)
    assert evaluation.verdict == "pass"
    assert evaluation.outcomes == ()


def test_criteria_not_yet_in_force_are_listed_and_not_judged():
    dated = make_criterion(effective_from=date(2025, 8, 1))
    before = evaluate(make_set(dated), make_product(), [head("2.5")], date(2025, 7, 31))
    after = evaluate(make_set(dated), make_product(), [head("2.5")], date(2025, 8, 1))
    assert before.not_in_force == ("sar.head.10g",)
    assert before.verdict == "pass"
    assert after.verdict == "fail"


def observation_criterion(**overrides):
    fields = {
        "id": "emc.esd.contact",
        "test": "emc.esd",
        "kind": OBSERVATION,
        "unit": None,
        "limit": Limit("in", values=("A", "B")),
        "rule": DecisionRule("observation"),
        "conditions": {"discharge": "contact"},
    }
    fields.update(overrides)
    return make_criterion(**fields)


def esd(observation, discharge="contact"):
    return make_result(
        test="emc.esd",
        value=None,
        unit=None,
        uncertainty=None,
        observation=observation,
        conditions={"discharge": discharge, "level_kv": "4"},
    )


def test_observations_are_compared_with_the_allowed_set():
    criterion = observation_criterion()
    good = evaluate(make_set(criterion), make_product(), [esd("A"), esd("B")], ON)
    bad = evaluate(make_set(criterion), make_product(), [esd("A"), esd("C"), esd("C", "air")], ON)
    assert good.outcome("emc.esd.contact").verdict == "pass"
    assert bad.outcome("emc.esd.contact").verdict == "fail"
    assert bad.outcome("emc.esd.contact").reason == (
        "worst of 2 results (level_kv 4): observed 'C' is not one of A, B → fail"
    )
    assert bad.outcome("emc.esd.contact").governing.observation == "C"


def computed_criterion(test="imei.valid"):
    return make_criterion(
        id=test,
        test=test,
        kind=COMPUTED,
        unit=None,
        conditions={},
        limit=Limit("equals", values=("pass",)),
        rule=DecisionRule("computed"),
    )


def test_imei_checks_run_on_the_product_sample_imeis():
    both = make_set(computed_criterion(), computed_criterion("imei.tac_declared"))
    good = evaluate(both, make_product(), [], ON)
    assert good.verdicts() == {"imei.valid": "pass", "imei.tac_declared": "pass"}
    bad = evaluate(both, make_product(sample_imeis=("490154203237518", "12345")), [], ON)
    assert bad.verdicts() == {"imei.valid": "fail", "imei.tac_declared": "fail"}
    assert "IMEI '12345' is not 15 digits" in bad.outcome("imei.valid").reason
    none = evaluate(both, make_product(sample_imeis=()), [], ON)
    assert none.missing == ("imei.valid", "imei.tac_declared")


def test_evaluation_to_dict_is_json_safe_with_decimals_as_exact_strings():
    evaluation = evaluate(make_set(), make_product(), [head("0.830", ref="row-7")], ON)
    data = evaluation.to_dict()
    json.dumps(data)
    assert data["criteria_set"] == "test-set@1"
    assert data["verdict"] == "pass"
    assert data["evaluated_on"] == "2025-09-01"
    outcome = data["outcomes"][0]
    assert outcome["limit"] == {"max": "2.0"}
    assert outcome["limit_text"] == "≤ 2.0 W/kg"
    assert outcome["governing"]["value"] == "0.830"
    assert outcome["governing"]["uncertainty"] == "0.25"
    assert outcome["governing"]["ref"] == "row-7"
    assert set(outcome) >= {
        "criterion",
        "title",
        "test",
        "verdict",
        "rule",
        "limit",
        "limit_text",
        "unit",
        "governing",
        "reason",
        "standard",
        "confirmed",
        "results_judged",
    }
    assert set(data) >= {
        "criteria_set",
        "verdict",
        "outcomes",
        "missing",
        "not_applicable",
        "engine_version",
        "evaluated_on",
    }


def test_the_engine_never_rounds_even_beyond_28_digits():
    # In Python's default 28-digit context 1E+20 - 1E-13 rounds to 1E+20, which would turn this
    # conditional pass into a pass.
    limit = make_criterion(limit=Limit("max", high=D("100000000000000000000")))
    result = head("0.0000000000001", u="100000000000000000000")
    outcome = evaluate(make_set(limit), make_product(), [result], ON).outcome("sar.head.10g")
    assert outcome.verdict == "conditional_pass"
    exact = head("0", u="100000000000000000000")
    outcome = evaluate(make_set(limit), make_product(), [exact], ON).outcome("sar.head.10g")
    assert outcome.verdict == "pass"


def test_a_criterion_source_is_carried_to_the_api():
    criterion = make_criterion(source=Source("1999/519/EC", ("S7",)), confirmed=False)
    data = make_set(criterion).to_dict()["criteria"][0]
    assert data["source"] == {"ref": "1999/519/EC", "ids": ["S7"]}
    assert data["confirmed"] is False

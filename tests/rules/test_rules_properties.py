"""Properties of the decision rules: monotone, exact at every boundary, unit-invariant, total."""

import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from labcert.rules import DecisionRule, Limit, ProductFacts, Result, evaluate, load_registry
from labcert.rules.decision import SEVERITY, judge

from .factories import ON, make_criterion, make_product, make_result, make_set

D = Decimal
values = st.decimals(
    min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False
)
widths = st.decimals(min_value=0, max_value=10**3, places=4, allow_nan=False, allow_infinity=False)
rules = st.one_of(
    st.just(DecisionRule("simple")),
    st.just(DecisionRule("guarded")),
    st.builds(
        lambda m, e: DecisionRule("shared_risk", max_uncertainty=m, on_excess=e),
        widths,
        st.sampled_from(["tighten", "invalid"]),
    ),
    st.builds(lambda u: DecisionRule("cispr", u_cispr=u, on_excess="tighten"), widths),
)
uncertainties = st.one_of(st.none(), widths)


def severity(rule, limit, y, u):
    return SEVERITY[judge(rule, limit, y, u)[0]]


@given(rules, values, uncertainties, st.booleans(), values, values)
def test_a_lower_value_never_gets_a_worse_verdict_under_an_upper_limit(rule, tl, u, inc, a, b):
    limit = Limit("max", high=tl, inclusive=inc)
    low, high = sorted((a, b))
    assert severity(rule, limit, low, u) <= severity(rule, limit, high, u)


@given(rules, values, uncertainties, st.booleans(), values, values)
def test_a_higher_value_never_gets_a_worse_verdict_under_a_lower_limit(rule, tl, u, inc, a, b):
    limit = Limit("min", low=tl, inclusive=inc)
    low, high = sorted((a, b))
    assert severity(rule, limit, high, u) <= severity(rule, limit, low, u)


@given(rules, values, widths.filter(bool), uncertainties, st.booleans(), values, values)
def test_a_value_deeper_inside_a_range_never_gets_a_worse_verdict(rule, low, width, u, inc, a, b):
    limit = Limit("range", low=low, high=low + width, inclusive=inc)

    def depth(y):
        return min(y - limit.low, limit.high - y)

    inner, outer = sorted((a, b), key=depth, reverse=True)
    assert severity(rule, limit, inner, u) <= severity(rule, limit, outer, u)


@given(values, widths, st.integers(min_value=5, max_value=9))
def test_guarded_upper_limit_is_exact_at_every_boundary(tl, w, step_places):
    step = D(1).scaleb(-step_places)  # smaller than any digit of tl or w (4 places)
    rule, limit = DecisionRule("guarded"), Limit("max", high=tl)
    expected = {
        tl - w - step: "pass",
        tl - w: "pass",
        tl: "conditional_pass" if w else "pass",
        tl + step: "conditional_fail" if w else "fail",
        tl + w: "conditional_fail" if w else "pass",
        tl + w + step: "fail",
    }
    if w:
        expected[tl - w + step] = "conditional_pass"
    for y, verdict in expected.items():
        assert judge(rule, limit, y, w)[0] == verdict, (y, tl, w)


@given(values, widths.filter(bool), st.integers(min_value=5, max_value=9))
def test_exclusive_limits_put_every_boundary_on_the_failing_side(tl, w, step_places):
    step = D(1).scaleb(-step_places)
    rule, limit = DecisionRule("guarded"), Limit("min", low=tl, inclusive=False)
    assert judge(rule, limit, tl + w + step, w)[0] == "pass"
    assert judge(rule, limit, tl + w, w)[0] == "conditional_pass"
    assert judge(rule, limit, tl, w)[0] == "conditional_fail"
    assert judge(rule, limit, tl - w, w)[0] == "fail"


@given(values, widths, widths)
def test_shared_risk_and_cispr_are_exact_at_the_tightened_limit(tl, allowance, u):
    excess = max(u - allowance, D(0))
    limit = Limit("max", high=tl)
    for rule in (
        DecisionRule("shared_risk", max_uncertainty=allowance, on_excess="tighten"),
        DecisionRule("cispr", u_cispr=allowance, on_excess="tighten"),
    ):
        assert judge(rule, limit, tl - excess, u)[0] == "pass"
        assert judge(rule, limit, tl - excess + D("0.00001"), u)[0] == "fail"


def rohs(value, unit, u):
    return make_result(
        test="rohs.pb", value=value, unit=unit, uncertainty=u, conditions={"material": "solder"}
    )


@given(st.decimals(min_value=0, max_value=5000, places=3), widths, st.sampled_from(["ppm", "%"]))
def test_the_same_quantity_in_percent_or_ppm_gets_the_same_verdict(ppm, u, criterion_unit):
    high = D(1000) if criterion_unit == "ppm" else D("0.1")
    criterion = make_criterion(
        id="rohs.pb",
        test="rohs.pb",
        unit=criterion_unit,
        limit=Limit("max", high=high),
        conditions={},
    )
    cs = make_set(criterion)
    as_ppm = rohs(ppm, "ppm", u)
    as_percent = rohs(ppm.scaleb(-4), "%", u.scaleb(-4))
    as_mg_kg = rohs(ppm, "mg/kg", u)
    verdicts = {
        evaluate(cs, make_product(), [r], ON).outcomes[0].verdict
        for r in (as_ppm, as_percent, as_mg_kg)
    }
    assert len(verdicts) == 1


@given(st.decimals(min_value=0, max_value=10, places=4), st.one_of(st.none(), widths))
def test_the_same_sar_in_mw_per_g_mw_per_kg_or_w_per_kg_gets_the_same_verdict(sar, u):
    cs = make_set()
    variants = [
        make_result(value=sar, unit="W/kg", uncertainty=u),
        make_result(value=sar, unit="mW/g", uncertainty=u),
        make_result(
            value=sar.scaleb(3), unit="mW/kg", uncertainty=None if u is None else u.scaleb(3)
        ),
    ]
    outcomes = [evaluate(cs, make_product(), [r], ON).outcomes[0] for r in variants]
    assert len({o.verdict for o in outcomes}) == 1
    assert len({o.governing.value for o in outcomes}) == 1


REGISTRY = load_registry()
CATALOGUE = REGISTRY.catalogue
SETS = {cs.ref: cs for cs in REGISTRY.all()}
UNITS = {
    "W/kg": ["W/kg", "mW/g", "mW/kg"],
    "ppm": ["ppm", "%", "mg/kg"],
    "%": ["%", "ppm"],
    "1": ["1"],
    "dBm": ["dBm"],
    "dBuV/m": ["dBuV/m"],
    "dBuV": ["dBuV"],
    "dBm/MHz": ["dBm/MHz"],
}
CONDITION_VALUES = {
    "band": ["LTE B3", "GSM900", "LTE B7", "UMTS B1", "DCS1800", "WLAN 2.4G", "LTE B2"],
    "position": ["left cheek", "back 5 mm"],
    "mass_g": ["1", "10", "10.0"],
    "frequency_mhz": ["0.15", "0.3", "0.5", "0.9", "5", "12", "30", "120", "230", "1000", "4200"],
    "detector": ["QP", "AV", "PK"],
    "distance_m": ["3", "10"],
    "material": ["solder"],
    "discharge": ["contact", "air"],
    "level_kv": ["4", "8"],
    "field_v_m": ["3"],
    "cycles": ["500", "800"],
    "fold_state": ["closed", "open"],
    "channel": ["1"],
    "power_class": ["3"],
    "band_edge_mhz": ["2", "4", "6"],
}


@st.composite
def results(draw):
    test = draw(st.sampled_from([t for t in CATALOGUE if t.kind != "computed"]))
    names = list(test.conditions) + draw(
        st.lists(st.sampled_from(test.optional_conditions or ("",)), max_size=1)
    )
    conditions = {n: draw(st.sampled_from(CONDITION_VALUES[n])) for n in names if n}
    common = {
        "test": test.code,
        "conditions": conditions,
        "is_superseded": draw(st.booleans()),
        "ref": draw(st.none() | st.text(max_size=5)),
    }
    if test.kind == "observation":
        return Result(observation=draw(st.sampled_from(test.observations)), **common)
    uncertainty = draw(st.none() | widths)
    pct = (
        draw(st.none() | widths)
        if uncertainty is None and test.unit not in ("dBm", "dBuV/m", "dBuV", "dBm/MHz")
        else None
    )
    return Result(
        value=draw(values),
        unit=draw(st.sampled_from(UNITS[test.unit])),
        uncertainty=uncertainty,
        uncertainty_pct=pct,
        k=draw(st.sampled_from([D(2), D("1.96"), D(1)])),
        **common,
    )


products = st.builds(
    ProductFacts,
    category=st.sampled_from(["smartphone", "feature_phone", "tablet", ""]),
    technologies=st.frozensets(st.sampled_from(["gsm", "umts", "lte", "nr", "wlan", "bluetooth"])),
    bands=st.frozensets(st.sampled_from(CONDITION_VALUES["band"])),
    tacs=st.lists(st.sampled_from(["35209900", "86459205"]), max_size=2).map(tuple),
    sample_imeis=st.lists(
        st.sampled_from(["352099001761481", "864592050123455", "12345", "352099001761482"]),
        max_size=3,
    ).map(tuple),
    extra=st.fixed_dictionaries(
        {},
        optional={
            "foldable": st.booleans(),
            "has_internet": st.booleans(),
            "charger_included": st.booleans(),
        },
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(SETS)),
    products,
    st.lists(results(), max_size=25),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
)
def test_any_well_formed_input_is_evaluated_without_an_exception(ref, product, items, on):
    cs = SETS[ref]
    evaluation = evaluate(cs, product, items, on)
    assert evaluation.verdict in {"pass", "fail", "incomplete"}
    judged = {o.criterion for o in evaluation.outcomes}
    others = {m.criterion for m in evaluation.missing_criteria}
    others |= set(evaluation.not_applicable) | set(evaluation.not_in_force)
    assert judged.isdisjoint(others)
    assert judged | others == {c.id for c in cs.criteria}
    for outcome in evaluation.outcomes:
        assert outcome.reason.endswith(outcome.verdict)
    json.dumps(evaluation.to_dict())

"""Limits computed from a result's conditions: exact, monotone, judged by the criterion's rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from labcert.rules import DecisionRule, Limit, evaluate, load_registry
from labcert.rules.curves import Curve, Relaxation, Segment
from labcert.rules.decision import SEVERITY, judge
from labcert.rules.limits import limit_at, shown_limit
from labcert.rules.matching import make_matcher, normalise
from labcert.rules.numbers import ENGINE_CONTEXT

from .factories import ON, make_criterion, make_product, make_result, make_set

D = Decimal
QP = Segment(D("0.15"), D("0.5"), D(66), D(56), "log10")
CISPR = DecisionRule("cispr", u_cispr=D("3.4"))


def curve_limit(inclusive=True, edges="lower"):
    segments = (QP, Segment(D("0.5"), D(5), D(56), D(56)), Segment(D(5), D(30), D(60), D(60)))
    return Limit("max", inclusive=inclusive, curve=Curve("frequency_mhz", segments, edges, "MHz"))


def conducted(rule=CISPR, inclusive=True):
    return make_criterion(
        id="emc.conducted.qp",
        test="emc.conducted",
        unit="dBuV",
        limit=curve_limit(inclusive),
        rule=rule,
        conditions={"frequency_mhz": {"min": "0.15", "max": 30}, "detector": "QP"},
    )


def peak(mhz, value, u="3.0", **extra):
    return make_result(
        test="emc.conducted",
        value=D(value),
        unit="dBuV",
        uncertainty=None if u is None else D(u),
        conditions={"frequency_mhz": str(mhz), "detector": "QP"},
        **extra,
    )


def at(limit, mhz):
    return limit_at(limit, {"frequency_mhz": normalise(str(mhz))})


# ---- properties -----------------------------------------------------------------------------

ends = st.decimals(min_value=D("0.001"), max_value=D(1000), places=3)
levels = st.decimals(min_value=D(-200), max_value=D(200), places=2)
shares = st.decimals(min_value=0, max_value=1, places=8)


@given(ends, ends, levels, levels, shares, shares)
def test_a_sloped_segment_is_monotone_between_its_table_values(a, b, at_low, at_high, s, t):
    assume(a != b)
    low, high = sorted((a, b))
    segment = Segment(low, high, at_low, at_high, "log10")
    x1, x2 = sorted(low + (high - low) * share for share in (s, t))
    v1, v2 = segment.value_at(x1), segment.value_at(x2)
    if at_low >= at_high:
        assert at_low >= v1 >= v2 >= at_high
    else:
        assert at_low <= v1 <= v2 <= at_high


@given(ends, ends, levels, levels)
def test_a_sloped_segment_equals_its_table_values_exactly_at_its_ends(a, b, at_low, at_high):
    assume(a != b)
    low, high = sorted((a, b))
    segment = Segment(low, high, at_low, at_high, "log10")
    assert segment.value_at(low) == at_low and segment.value_at(low).as_tuple() == at_low.as_tuple()
    assert segment.value_at(high) == at_high


@given(st.decimals(min_value=D("0.15"), max_value=D("0.5"), places=12))
def test_the_computed_limit_has_at_most_34_digits_and_stays_between_the_table_values(mhz):
    value = QP.value_at(mhz)
    assert D(56) <= value <= D(66)
    assert len(value.as_tuple().digits) <= 34


on_limit_cases = st.sampled_from(
    [
        (DecisionRule("simple"), None, True, "pass"),
        (DecisionRule("simple"), None, False, "fail"),
        (CISPR, D("3.4"), True, "pass"),
        (CISPR, D("3.4"), False, "fail"),
        (DecisionRule("guarded"), D("2.0"), True, "conditional_pass"),
        (DecisionRule("guarded"), D("2.0"), False, "conditional_fail"),
        (DecisionRule("guarded"), D(0), True, "pass"),
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=D("0.15"), max_value=D(30), places=6), on_limit_cases)
def test_a_value_exactly_on_the_computed_limit_is_judged_as_the_inclusive_rule_says(mhz, case):
    rule, u, inclusive, expected = case
    criterion = conducted(rule, inclusive)
    limit = at(criterion.limit, mhz).limit.high
    u_text = None if u is None else str(u)
    outcome = evaluate(make_set(criterion), make_product(), [peak(mhz, limit, u_text)], ON)
    assert outcome.outcomes[0].verdict == expected, (mhz, limit, outcome.outcomes[0].reason)
    assert outcome.outcomes[0].governing.value == limit
    with localcontext(ENGINE_CONTEXT):  # one unit in the limit's last place, exactly
        step = D(1).scaleb(min(int(limit.as_tuple().exponent), -2))
        # The tie sits exactly on the limit: one step out is worse when ties conform, one step
        # in is better when they do not.
        nudged_value = limit + step if inclusive else limit - step
    nudged = evaluate(make_set(criterion), make_product(), [peak(mhz, nudged_value, u_text)], ON)
    severity = SEVERITY[nudged.outcomes[0].verdict]
    if inclusive:
        assert severity > SEVERITY[expected], nudged.outcomes[0].reason
    else:
        assert severity < SEVERITY[expected], nudged.outcomes[0].reason


@settings(max_examples=80, deadline=None)
@given(
    st.decimals(min_value=D("0.15"), max_value=D("0.5"), places=5),
    st.decimals(min_value=D(-1), max_value=D(1), places=6),
    st.decimals(min_value=0, max_value=6, places=2),
)
def test_the_shown_limit_compares_with_the_value_as_the_exact_one_does(mhz, offset, u):
    exact = at(curve_limit(), mhz).limit
    y = exact.high + offset
    for rule in (DecisionRule("simple"), DecisionRule("guarded"), CISPR):
        shown = shown_limit(exact, rule, y, u)
        with localcontext(ENGINE_CONTEXT):
            for shift in (D(0), u, -u, max(u - D("3.4"), D(0))):
                assert (y - shown.high - shift).compare(0) == (y - exact.high - shift).compare(0)
            assert judge(rule, shown, y, u)[0] == judge(rule, exact, y, u)[0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=D("0.15"), max_value=D(30), places=3),
            st.decimals(min_value=D(30), max_value=D(70), places=1),
            st.decimals(min_value=D(2), max_value=D(5), places=1),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_in_a_peak_list_the_worst_margin_governs_and_every_row_has_its_verdict(peaks):
    criterion = conducted()
    results = [peak(f, v, str(u), ref=f"p{i}") for i, (f, v, u) in enumerate(peaks)]
    outcome = evaluate(make_set(criterion), make_product(), results, ON).outcome(criterion.id)
    assert len(outcome.rows) == len(peaks)
    for row, (mhz, value, u) in zip(outcome.rows, peaks, strict=True):
        limit = at(criterion.limit, mhz).limit
        with localcontext(ENGINE_CONTEXT):
            assert (row.verdict, row.margin) == judge(CISPR, limit, value, u)
    worst = min(outcome.rows, key=lambda r: r.margin)
    (governing,) = [r for r in outcome.rows if r.governing]
    assert governing.margin == worst.margin
    assert outcome.governing.ref == governing.result.ref
    assert outcome.verdict == ("fail" if worst.margin < 0 else "pass")


# ---- examples -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mhz", "lower", "upper"),
    [("0.15", 66, 66), ("0.5", 56, 56), ("5", 56, 60), ("30", 60, 60), ("2", 56, 56)],
)
def test_a_transition_belongs_to_the_segment_the_curve_names(mhz, lower, upper):
    assert at(curve_limit(edges="lower"), mhz).limit.high == lower
    assert at(curve_limit(edges="upper"), mhz).limit.high == upper


def test_outside_its_range_a_curve_gives_no_limit():
    assert at(curve_limit(), "0.149") is None and at(curve_limit(), "30.01") is None
    assert limit_at(curve_limit(), {}) is None


def test_a_relaxation_applies_only_inside_its_range():
    relaxation = Relaxation("band_edge_mhz", make_matcher({"min": 0, "max": 4}), low=D("-1.5"))
    limit = Limit("range", low=D("20.3"), high=D("25.7"), relaxations=(relaxation,))
    inside = limit_at(limit, {"band_edge_mhz": normalise("4")})
    assert (inside.limit.low, inside.limit.high) == (D("18.8"), D("25.7"))
    assert inside.relaxed == ((relaxation, D(4)),)
    for values in ({"band_edge_mhz": normalise("4.1")}, {}, {"band_edge_mhz": normalise("x")}):
        plain = limit_at(limit, values)
        assert (plain.limit.low, plain.relaxed) == (D("20.3"), ())


def test_the_outcome_names_the_computed_limit_in_its_reason_limit_and_rows():
    criterion = conducted()
    results = [peak("0.3", "60.3", ref="a"), peak("2", "50.0", ref="b"), peak("12", "41", ref="c")]
    outcome = evaluate(make_set(criterion), make_product(), results, ON).outcome(criterion.id)
    assert outcome.verdict == "fail"
    assert outcome.reason == (
        "worst of 3 results: at 0.3 MHz the limit is 60.24 dBuV (66 → 56 dBuV, log-linear"
        " 0.15\N{EN DASH}0.5 MHz): U(3.0) ≤ U_cispr 3.4: 60.3 dBuV > 60.24 → fail"
    )
    data = outcome.to_dict()
    assert data["limit"]["max"] == "60.2428335750655499517687078195965"
    assert data["limit"]["shown"] == {"max": "60.24"}
    assert data["limit"]["at"] == {"frequency_mhz": "0.3"}
    assert data["limit"]["segment"]["interpolation"] == "log10"
    assert data["limit"]["text"].startswith("at 0.3 MHz the limit is 60.24 dBuV")
    assert data["limit_text"] == (
        "≤ 60.24 dBuV at 0.3 MHz (66 → 56 dBuV, log-linear 0.15\N{EN DASH}0.5 MHz)"
    )
    assert data["reported_per"] == "frequency_mhz"
    rows = {row["ref"]: row for row in data["results"]}
    assert {ref: row["verdict"] for ref, row in rows.items()} == {
        "a": "fail",
        "b": "pass",
        "c": "pass",
    }
    assert [ref for ref, row in rows.items() if row["governing"]] == ["a"]
    assert rows["b"]["limit"]["max"] == "56" and rows["b"]["margin"] == "6.0"
    assert rows["b"]["reason"] == (
        "at 2 MHz the limit is 56 dBuV (constant 0.5\N{EN DASH}5 MHz):"
        " U(3.0) ≤ U_cispr 3.4: 50.0 dBuV ≤ 56 → pass"
    )
    assert rows["c"]["limit_text"] == "≤ 60 dBuV at 12 MHz (constant 5\N{EN DASH}30 MHz)"


def test_a_result_in_a_foreign_unit_is_an_indeterminate_row():
    criterion = conducted()
    good = peak("0.3", "50", ref="ok")
    odd = make_result(
        test="emc.conducted",
        value=D(50),
        unit="dBm",
        uncertainty=D(3),
        conditions={"frequency_mhz": "1", "detector": "QP"},
        ref="odd",
    )
    outcome = evaluate(make_set(criterion), make_product(), [good, odd], ON).outcome(criterion.id)
    assert outcome.verdict == "indeterminate"
    rows = {row["ref"]: row for row in outcome.to_dict()["results"]}
    assert rows["odd"]["verdict"] == "indeterminate" and rows["odd"]["governing"]
    assert rows["odd"]["reason"].endswith("→ indeterminate") and "dBm" in rows["odd"]["reason"]
    assert rows["ok"]["verdict"] == "pass" and rows["ok"]["margin"] is not None


def test_a_criterion_without_a_list_keeps_the_outcome_shape():
    data = evaluate(make_set(), make_product(), [make_result()], ON).to_dict()["outcomes"][0]
    assert data["limit"] == {"max": "2.0"} and "results" not in data and "reported_per" not in data


def test_criteria_reported_per_frequency_are_named_by_the_engine():
    registry = load_registry()
    current = registry.resolve("eu-red", date(2026, 11, 30))
    per = {c.id: c.reported_per for c in current.criteria if c.reported_per}
    assert per["emc.conducted.qp"] == per["emc.radiated.qp.30_230"] == "frequency_mhz"
    assert "sar.head.10g" not in per and "rf.lte_power_pc3" not in per


def test_evaluations_pinned_to_the_old_versions_keep_their_fixed_limits():
    registry = load_registry()
    old = registry.resolve("eu-red@2025.08", date(2026, 11, 30))
    example = old.examples[0]
    evaluation = evaluate(old, example.product, example.results, example.on)
    assert evaluation.criteria_set == "eu-red@2025.08" and evaluation.verdict == "pass"
    outcome = evaluation.outcome("emc.conducted.qp.0_5_5").to_dict()
    assert outcome["limit"] == {"max": "56"} and outcome["limit_text"] == "≤ 56 dBuV"
    assert "at 0.9 MHz" not in outcome["reason"]

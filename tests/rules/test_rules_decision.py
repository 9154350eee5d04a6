"""Decision rules follow RULES.md exactly: simple, guarded, shared risk and CISPR 16-4-2."""

from decimal import Decimal

import pytest

from labcert.rules import DecisionRule, Limit
from labcert.rules.decision import judge

D = Decimal
UPPER = Limit("max", high=D("2.0"))
LOWER = Limit("min", low=D("80"))
RANGE = Limit("range", low=D("20.3"), high=D("25.7"))
GUARDED = DecisionRule("guarded")
SIMPLE = DecisionRule("simple")


def verdict(rule, limit, y, u):
    return judge(rule, limit, D(y), None if u is None else D(u))[0]


def test_point_two_against_point_three_with_u_point_one_is_an_exact_guarded_pass():
    assert verdict(GUARDED, Limit("max", high=D("0.3")), "0.2", "0.1") == "pass"
    assert (
        verdict(GUARDED, Limit("max", high=D("0.3")), "0.2000000001", "0.1") == "conditional_pass"
    )


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ("1.74", "pass"),
        ("1.75", "pass"),  # y = TL - w
        ("1.76", "conditional_pass"),
        ("2.0", "conditional_pass"),  # y = TL
        ("2.01", "conditional_fail"),
        ("2.25", "conditional_fail"),  # y = TL + w
        ("2.26", "fail"),
    ],
)
def test_guarded_upper_limit_zones(y, expected):
    assert verdict(GUARDED, UPPER, y, "0.25") == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ("1.75", "conditional_pass"),
        ("2.0", "conditional_fail"),
        ("2.25", "fail"),
        ("1.7499", "pass"),
    ],
)
def test_guarded_exclusive_limit_moves_every_tie_to_the_failing_side(y, expected):
    limit = Limit("max", high=D("2.0"), inclusive=False)
    assert verdict(GUARDED, limit, y, "0.25") == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ("82", "pass"),  # y = TL + w
        ("81.9", "conditional_pass"),
        ("80", "conditional_pass"),  # y = TL
        ("79.9", "conditional_fail"),
        ("78", "conditional_fail"),  # y = TL - w
        ("77.9", "fail"),
    ],
)
def test_guarded_lower_limit_is_the_mirror_image(y, expected):
    assert verdict(GUARDED, LOWER, y, "2") == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ("23.0", "pass"),
        ("20.8", "pass"),  # d = w at the low side
        ("25.2", "pass"),  # d = w at the high side
        ("25.3", "conditional_pass"),
        ("25.7", "conditional_pass"),
        ("20.2", "conditional_fail"),
        ("25.8", "conditional_fail"),
        ("26.2", "conditional_fail"),
        ("26.21", "fail"),
        ("19.79", "fail"),
    ],
)
def test_guarded_range_uses_the_distance_to_the_nearer_limit(y, expected):
    assert verdict(GUARDED, RANGE, y, "0.5") == expected


def test_guarded_range_is_indeterminate_when_two_u_fill_the_range():
    assert verdict(GUARDED, RANGE, "23.0", "2.7") == "indeterminate"  # 2w = 5.4 = H - L
    assert verdict(GUARDED, RANGE, "23.0", "2.69") == "pass"


@pytest.mark.parametrize("rule", ["guarded", "shared_risk", "cispr"])
def test_rules_that_need_uncertainty_are_indeterminate_without_it(rule):
    params = {
        "shared_risk": {"max_uncertainty": D(1), "on_excess": "tighten"},
        "cispr": {"u_cispr": D(6)},
    }
    assert (
        verdict(DecisionRule(rule, **params.get(rule, {})), UPPER, "0.1", None) == "indeterminate"
    )


@pytest.mark.parametrize(
    ("limit", "y", "expected"),
    [
        (UPPER, "2.0", "pass"),
        (UPPER, "2.0001", "fail"),
        (Limit("max", high=D("2.0"), inclusive=False), "2.0", "fail"),
        (LOWER, "80", "pass"),
        (LOWER, "79.99", "fail"),
        (Limit("min", low=D("80"), inclusive=False), "80", "fail"),
        (RANGE, "20.3", "pass"),
        (RANGE, "25.71", "fail"),
    ],
)
def test_simple_acceptance_ignores_the_uncertainty(limit, y, expected):
    assert verdict(SIMPLE, limit, y, "5") == expected
    assert verdict(SIMPLE, limit, y, None) == expected


TIGHTEN = DecisionRule("shared_risk", max_uncertainty=D("0.7"), on_excess="tighten")
INVALID = DecisionRule("shared_risk", max_uncertainty=D("1.5"), on_excess="invalid")


@pytest.mark.parametrize(
    ("y", "u", "expected"),
    [
        ("25.7", "0.7", "pass"),  # U at the maximum: compare directly
        ("25.7", "0.5", "pass"),
        ("25.5", "0.9", "pass"),  # tightened to 25.5
        ("25.51", "0.9", "fail"),
        ("20.5", "0.9", "pass"),  # low side tightened to 20.5
        ("20.49", "0.9", "fail"),
        ("23.0", "3.4", "pass"),  # excess 2.7 on each side leaves the single point 23.0
        ("23.01", "3.4", "fail"),
        ("23.0", "3.5", "indeterminate"),  # excess 2.8 on each side empties the range
    ],
)
def test_shared_risk_tightens_the_test_requirement_by_the_excess(y, u, expected):
    assert verdict(TIGHTEN, RANGE, y, u) == expected


def test_shared_risk_invalid_on_excess_makes_the_result_indeterminate():
    limit = Limit("max", high=D("20"))
    assert verdict(INVALID, limit, "10", "1.5") == "pass"
    assert verdict(INVALID, limit, "10", "1.6") == "indeterminate"
    assert verdict(INVALID, limit, "21", "1.0") == "fail"


@pytest.mark.parametrize(
    ("y", "u", "expected"),
    [
        ("40", "6.3", "pass"),
        ("39.3", "7.0", "pass"),
        ("39.31", "7.0", "fail"),
        ("40.01", "1", "fail"),
    ],
)
def test_cispr_adds_the_excess_over_u_cispr_to_the_level(y, u, expected):
    rule = DecisionRule("cispr", u_cispr=D("6.3"), on_excess="tighten")
    assert verdict(rule, Limit("max", high=D("40")), y, u) == expected

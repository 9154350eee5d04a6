"""The closed registry of decision rules (ILAC-G8, shared risk, CISPR 16-4-2) on exact Decimals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .model import DecisionRule, Limit
from .numbers import ZERO

PASS = "pass"  # noqa: S105 - a verdict name, not a password
CONDITIONAL_PASS = "conditional_pass"  # noqa: S105
INDETERMINATE = "indeterminate"
CONDITIONAL_FAIL = "conditional_fail"
FAIL = "fail"
# Worst first is fail > conditional_fail > indeterminate > conditional_pass > pass.
SEVERITY = {PASS: 0, CONDITIONAL_PASS: 1, INDETERMINATE: 2, CONDITIONAL_FAIL: 3, FAIL: 4}
VERDICTS = tuple(SEVERITY)

Judgement = tuple[str, Decimal]  # (verdict, margin inside the effective zone; smaller is worse)
RuleFn = Callable[[DecisionRule, Limit, Decimal, Decimal | None], Judgement]


def distance(limit: Limit, y: Decimal) -> Decimal:
    """Return y's signed distance inside the limit's zone (negative outside)."""
    if limit.kind == "max":
        return limit.high - y
    if limit.kind == "min":
        return y - limit.low
    return min(y - limit.low, limit.high - y)


def _ge(a: Decimal, b: Decimal, inclusive: bool) -> bool:
    # inclusive=false moves every tie to the failing side, as if the limit sat an infinitesimal
    # step towards the conforming side.
    return a >= b if inclusive else a > b


def simple(rule: DecisionRule, limit: Limit, d: Decimal, u: Decimal | None) -> Judgement:
    """Judge by simple acceptance: pass inside the limit, else fail; U is not applied."""
    return (PASS if _ge(d, ZERO, limit.inclusive) else FAIL), d


def guarded(rule: DecisionRule, limit: Limit, d: Decimal, u: Decimal | None) -> Judgement:
    """Judge by guarded non-binary acceptance with guard band w = U (ILAC-G8 4.2.3)."""
    if u is None:
        return INDETERMINATE, d
    if limit.kind == "range" and 2 * u >= limit.high - limit.low:
        return INDETERMINATE, d
    inclusive = limit.inclusive
    if _ge(d, u, inclusive):
        return PASS, d
    if _ge(d, ZERO, inclusive):
        return CONDITIONAL_PASS, d
    if _ge(d, -u, inclusive):
        return CONDITIONAL_FAIL, d
    return FAIL, d


def excess(rule: DecisionRule, u: Decimal) -> Decimal:
    """Return how far U exceeds the rule's allowance (max_uncertainty or u_cispr), at least 0."""
    allowance = rule.u_cispr if rule.name == "cispr" else rule.max_uncertainty
    return max(u - allowance, ZERO)


def _tightened(rule: DecisionRule, limit: Limit, d: Decimal, u: Decimal | None) -> Judgement:
    if u is None:
        return INDETERMINATE, d
    extra = excess(rule, u)
    if extra and rule.on_excess == "invalid":
        return INDETERMINATE, d
    if limit.kind == "range" and 2 * extra > limit.high - limit.low:
        return INDETERMINATE, d
    margin = d - extra
    return (PASS if _ge(margin, ZERO, limit.inclusive) else FAIL), margin


def shared_risk(rule: DecisionRule, limit: Limit, d: Decimal, u: Decimal | None) -> Judgement:
    """Compare with the test requirement if U <= max_uncertainty, else tighten or invalidate."""
    return _tightened(rule, limit, d, u)


def cispr(rule: DecisionRule, limit: Limit, d: Decimal, u: Decimal | None) -> Judgement:
    """Compare with the limit if U <= u_cispr, else compare y moved by U - u_cispr."""
    return _tightened(rule, limit, d, u)


RULES: dict[str, RuleFn] = {
    "simple": simple,
    "guarded": guarded,
    "shared_risk": shared_risk,
    "cispr": cispr,
}
ON_EXCESS = ("tighten", "invalid")


def judge(rule: DecisionRule, limit: Limit, y: Decimal, u: Decimal | None) -> Judgement:
    """Return the verdict and margin of value y with expanded uncertainty u under rule."""
    return RULES[rule.name](rule, limit, distance(limit, y), u)

"""Write the one-line reasons and limit texts a reviewer reads."""

from __future__ import annotations

from decimal import Decimal

from .decision import CONDITIONAL_FAIL, CONDITIONAL_PASS, INDETERMINATE, PASS, excess
from .facts import Result
from .model import COMPUTED, Criterion, Limit
from .numbers import fmt

# Reasons use typographic signs (minus U+2212, times U+00D7) as a reviewer reads them.
MINUS, TIMES = "\u2212", "\u00d7"


def quantity(value: Decimal, unit: str | None) -> str:
    """Return value with its unit, e.g. '0.83 W/kg' ('1' is shown without a unit)."""
    return fmt(value) if unit in (None, "1") else f"{fmt(value)} {unit}"


def limit_text(limit: Limit, unit: str | None) -> str:
    """Return a limit as text, e.g. '≤ 2.0 W/kg', '≥ 20.3 and ≤ 25.7 dBm', 'one of A, B'."""
    text = _plain_limit_text(limit, unit)
    if limit.relaxations:
        text += "; " + "; ".join(r.describe(unit) for r in limit.relaxations)
    return text


def _plain_limit_text(limit: Limit, unit: str | None) -> str:
    inclusive = limit.inclusive
    if limit.curve is not None:
        op = ("≤" if inclusive else "<") if limit.kind == "max" else ("≥" if inclusive else ">")
        return f"{op} {limit.curve.describe(unit)}"
    if limit.kind == "max":
        return f"{'≤' if inclusive else '<'} {quantity(limit.high, unit)}"
    if limit.kind == "min":
        return f"{'≥' if inclusive else '>'} {quantity(limit.low, unit)}"
    if limit.kind == "range":
        low, high = ("≥", "≤") if inclusive else (">", "<")
        return f"{low} {fmt(limit.low)} and {high} {quantity(limit.high, unit)}"
    if limit.kind == "equals":
        return f"= {limit.values[0]}"
    return "one of " + ", ".join(limit.values)


def _side(limit: Limit, y: Decimal) -> tuple[str, Decimal]:
    """Return the binding side ('upper'/'lower') and its tolerance limit."""
    if limit.kind == "max":
        return "upper", limit.high
    if limit.kind == "min":
        return "lower", limit.low
    if limit.high - y <= y - limit.low:
        return "upper", limit.high
    return "lower", limit.low


def _ops(side: str, inclusive: bool) -> tuple[str, str, str, str]:
    """Return (inside, outside, towards-inside sign, towards-outside sign) for a side."""
    if side == "upper":
        return ("≤" if inclusive else "<"), (">" if inclusive else "≥"), MINUS, "+"
    return ("≥" if inclusive else ">"), ("<" if inclusive else "≤"), "+", MINUS


def _shift(value: Decimal, sign: str, by: Decimal) -> Decimal:
    return value - by if sign == MINUS else value + by


def _u(u: Decimal, result: Result) -> str:
    k = "" if result.k == 2 else f", k = {fmt(result.k)}"
    if result.uncertainty_pct is not None:
        return f"U({fmt(result.uncertainty_pct)} % → {fmt(u)}{k})"
    return f"U({fmt(u)}{k})"


def _simple(shown: str, limit: Limit, y: Decimal, verdict: str, by: Decimal, sign_note: str) -> str:
    """Compare shown value with the limit moved inwards by `by`, e.g. '22.9 dBm ≤ 25.7 → pass'."""
    if limit.kind == "range" and verdict == PASS:
        op = "≤" if limit.inclusive else "<"
        low = _moved(limit.low, "+", by, sign_note)
        high = _moved(limit.high, MINUS, by, sign_note)
        return f"{low} {op} {shown} {op} {high} → pass"
    side, tl = _side(limit, y)
    inside, outside, towards_in, _ = _ops(side, limit.inclusive)
    op = inside if verdict == PASS else outside
    return f"{shown} {op} {_moved(tl, towards_in, by, sign_note)} → {verdict}"


def _moved(tl: Decimal, sign: str, by: Decimal, label: str) -> str:
    if not by:
        return fmt(tl)
    return f"{fmt(tl)} {sign} {label}{fmt(by)} = {fmt(_shift(tl, sign, by))}"


def _guarded(shown: str, limit: Limit, y: Decimal, u: Decimal, utext: str, verdict: str) -> str:
    if limit.kind == "range" and verdict == PASS:
        low = f"{fmt(limit.low)} + {utext} = {fmt(limit.low + u)}"
        high = f"{fmt(limit.high)} {MINUS} {utext} = {fmt(limit.high - u)}"
        op = "≤" if limit.inclusive else "<"
        return f"{low} {op} {shown} {op} {high} → pass"
    side, tl = _side(limit, y)
    inside, outside, towards_in, towards_out = _ops(side, limit.inclusive)
    acceptance = f"{fmt(tl)} {towards_in} {utext} = {fmt(_shift(tl, towards_in, u))}"
    rejection = f"{fmt(tl)} {towards_out} {utext} = {fmt(_shift(tl, towards_out, u))}"
    if verdict == PASS:
        return f"{shown} {inside} {acceptance} → pass"
    if verdict == CONDITIONAL_PASS:
        return f"{shown} {outside} {acceptance} and {inside} {fmt(tl)} → conditional_pass"
    if verdict == CONDITIONAL_FAIL:
        return f"{shown} {outside} {fmt(tl)} and {inside} {rejection} → conditional_fail"
    return f"{shown} {outside} {rejection} → fail"


def measurement_reason(
    criterion: Criterion,
    result: Result,
    y: Decimal,
    u: Decimal | None,
    verdict: str,
    limit: Limit | None = None,
) -> str:
    """Explain the verdict of one measured result against a criterion (or a computed limit)."""
    rule, unit = criterion.rule, criterion.unit
    limit = criterion.limit if limit is None else limit
    shown = quantity(y, unit)
    if result.unit != unit and result.value is not None:
        shown = f"{quantity(result.value, result.unit)} = {shown}"
    if rule.name == "simple":
        text = _simple(shown, limit, y, verdict, Decimal(0), "")
        if u is None:
            return text
        comparison = text.rsplit(" → ", 1)[0]
        return f"{comparison} (U({fmt(u)}) not applied: simple acceptance) → {verdict}"
    if u is None:
        return (
            f"{shown}: no uncertainty given; uncertainty required by the decision rule "
            f"({rule.name}) → indeterminate"
        )
    utext = _u(u, result)
    if rule.name == "guarded":
        if verdict == INDETERMINATE:
            width = limit.high - limit.low
            return (
                f"2 {TIMES} {utext} = {fmt(2 * u)} ≥ range width {fmt(limit.high)}"
                f" {MINUS} {fmt(limit.low)} = {fmt(width)}: acceptance zone is empty"
                " → indeterminate"
            )
        return _guarded(shown, limit, y, u, utext, verdict)
    extra = excess(rule, u)
    if rule.name == "cispr":
        allowance = f"U_cispr {fmt(rule.u_cispr)}"
        if not extra:
            return f"{utext} ≤ {allowance}: {_simple(shown, limit, y, verdict, extra, '')}"
        return f"{utext} > {allowance}: {_simple(shown, limit, y, verdict, extra, 'excess ')}"
    allowance = f"max {fmt(rule.max_uncertainty)}"
    if not extra:
        return f"{utext} ≤ {allowance}: {_simple(shown, limit, y, verdict, extra, '')}"
    if rule.on_excess == "invalid":
        return (
            f"{shown} with {utext} > {allowance}: lab uncertainty exceeds the standard's "
            "maximum → indeterminate"
        )
    if verdict == INDETERMINATE:
        return (
            f"{utext} > {allowance}: range tightened by {fmt(extra)} on each side is empty "
            "→ indeterminate"
        )
    return f"{utext} > {allowance}: {_simple(shown, limit, y, verdict, extra, 'excess ')}"


def observation_reason(criterion: Criterion, observation: str, verdict: str) -> str:
    """Explain the verdict of an observed category against the allowed values."""
    limit = criterion.limit
    if limit.kind == "equals":
        op = "=" if verdict == PASS else "≠"
        return f"observed '{observation}' {op} {limit.values[0]} → {verdict}"
    allowed = ", ".join(limit.values)
    is_in = "is one of" if verdict == PASS else "is not one of"
    return f"observed '{observation}' {is_in} {allowed} → {verdict}"


def context(criterion: Criterion, result: Result, judged: int) -> str:
    """Return the prefix naming the governing result among several, e.g. 'worst of 8 (…): '."""
    if judged <= 1:
        return ""
    curve = criterion.limit.curve
    shown = [
        f"{name} {value}"
        for name, value in result.conditions.items()
        if (name not in criterion.conditions or criterion.conditions[name].op != "equals")
        and (curve is None or name != curve.over)  # the computed limit names it already
    ]
    where = f" ({', '.join(shown)})" if shown else ""
    return f"worst of {judged} results{where}: "


def missing_reason(criterion: Criterion) -> str:
    """Explain which result a criterion still needs."""
    if criterion.kind == COMPUTED:
        return "no sample IMEIs in the product facts"
    where = ", ".join(m.describe(n) for n, m in criterion.conditions.items())
    return f"no result for {criterion.test}" + (f" with {where}" if where else "")

"""Limits that depend on a result condition: piecewise curves and relaxations within a range.

A curve is a list of segments over a number condition (e.g. frequency_mhz), each a constant or a
line in log10 of the condition, as CISPR 16/32 limit tables are written. A relaxation moves a
limit outwards while a condition lies in a range (e.g. the 3GPP band-edge tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

from .matching import Matcher
from .numbers import MAX_DIGITS, ZERO, fmt

# A computed limit is rounded half-even to the precision of an input number (34 significant
# digits), so a value exactly on it can be written down and judged. The intermediate steps carry
# 16 guard digits; each step is correctly rounded and monotone, so the result is monotone too.
LIMIT_DIGITS = MAX_DIGITS
_TRAPS = [InvalidOperation, DivisionByZero, Overflow]
CURVE_CONTEXT = Context(prec=LIMIT_DIGITS + 16, rounding=ROUND_HALF_EVEN, traps=_TRAPS)
LIMIT_CONTEXT = Context(prec=LIMIT_DIGITS, rounding=ROUND_HALF_EVEN, traps=_TRAPS)
INTERPOLATIONS = ("log10",)
# Which segment a shared end belongs to: "lower" (CISPR 32 and 47 CFR 15.207: the lower limit
# applies at the transition frequency, which in their tables is the lower segment's) or "upper".
EDGES = ("lower", "upper")
ARROW, DASH = "\u2192", "\u2013"


@dataclass(frozen=True, slots=True)
class Segment:
    """Hold one piece of a curve from low to high: a constant, or a log10 line at_low → at_high."""

    low: Decimal
    high: Decimal
    at_low: Decimal
    at_high: Decimal
    interpolation: str | None = None  # None: a constant (at_low == at_high)
    log_low: Decimal = field(init=False, repr=False, compare=False, default=ZERO)
    log_span: Decimal = field(init=False, repr=False, compare=False, default=ZERO)

    def __post_init__(self) -> None:
        if self.interpolation == "log10":
            log_low = CURVE_CONTEXT.log10(self.low)
            span = CURVE_CONTEXT.subtract(CURVE_CONTEXT.log10(self.high), log_low)
            object.__setattr__(self, "log_low", log_low)
            object.__setattr__(self, "log_span", span)

    def value_at(self, x: Decimal) -> Decimal:
        """Return the limit at x (low ≤ x ≤ high): the table value at either end, exactly."""
        if self.interpolation is None or x == self.low:
            return self.at_low
        if x == self.high:
            return self.at_high
        ctx = CURVE_CONTEXT
        share = ctx.divide(ctx.subtract(ctx.log10(x), self.log_low), self.log_span)
        value = ctx.add(self.at_low, ctx.multiply(ctx.subtract(self.at_high, self.at_low), share))
        return value.normalize(LIMIT_CONTEXT)

    def describe(self, unit: str | None, over_unit: str) -> str:
        """Return the segment as a reader sees it, e.g. '66 → 56 dBuV, log-linear 0.15-0.5 MHz'."""
        where = f"{fmt(self.low)}{DASH}{fmt(self.high)}{_space(over_unit)}"
        if self.interpolation is None:
            return f"{_quantity(self.at_low, unit)}, {where}"
        return f"{fmt(self.at_low)} {ARROW} {_quantity(self.at_high, unit)}, log-linear {where}"

    def to_data(self) -> dict[str, object]:
        """Return the segment in the criteria-file shape, numbers as exact text."""
        if self.interpolation is None:
            return {"from": fmt(self.low), "to": fmt(self.high), "value": fmt(self.at_low)}
        return {
            "from": fmt(self.low),
            "to": fmt(self.high),
            "at_from": fmt(self.at_low),
            "at_to": fmt(self.at_high),
            "interpolation": self.interpolation,
        }


@dataclass(frozen=True, slots=True)
class Curve:
    """Hold a limit as contiguous segments over one number condition of the results."""

    over: str
    segments: tuple[Segment, ...]
    edges: str = "lower"
    over_unit: str = ""  # the condition's unit for display, e.g. "MHz"

    def segment_at(self, x: Decimal) -> tuple[Segment, bool] | None:
        """Return the segment that holds x and whether x is a shared end, or None outside."""
        segments = self.segments
        if x < segments[0].low or x > segments[-1].high:
            return None
        if self.edges == "lower":
            for index, segment in enumerate(segments):
                if x <= segment.high:
                    return segment, x == segment.high and index + 1 < len(segments)
        else:
            for index in range(len(segments) - 1, -1, -1):
                if x >= segments[index].low:
                    return segments[index], x == segments[index].low and index > 0
        return None  # unreachable: the segments are contiguous (checked at load time)

    def describe(self, unit: str | None) -> str:
        """Return every segment as text, separated by semicolons."""
        return "; ".join(s.describe(unit, self.over_unit) for s in self.segments)

    def to_data(self) -> dict[str, object]:
        """Return the curve in the criteria-file shape."""
        return {
            "over": self.over,
            "segments": [s.to_data() for s in self.segments],
            "edges": self.edges,
        }


@dataclass(frozen=True, slots=True)
class Relaxation:
    """Move a limit outwards (low down, high up) while a result condition lies in a range."""

    condition: str
    when: Matcher  # a {min, max} range on the condition
    low: Decimal = ZERO  # added to the lower limit (≤ 0)
    high: Decimal = ZERO  # added to the upper limit (≥ 0)
    ref: str = ""  # where the relaxation is written, e.g. "TS 36.101 Table 6.2.2-1 NOTE 2"
    over_unit: str = ""

    def describe(self, unit: str | None) -> str:
        """Return the relaxation, e.g. 'lower limit - 1.5 dBm where 0 ≤ band_edge_mhz ≤ 4'."""
        parts = []
        if self.low:
            parts.append(f"lower limit {_signed(self.low)} {_quantity(abs(self.low), unit)}")
        if self.high:
            parts.append(f"upper limit {_signed(self.high)} {_quantity(abs(self.high), unit)}")
        ref = f" ({self.ref})" if self.ref else ""
        return f"{' and '.join(parts)} where {self.when.describe(self.condition)}{ref}"

    def to_data(self) -> dict[str, object]:
        """Return the relaxation in the criteria-file shape."""
        data: dict[str, object] = {"when": {self.condition: self.when.to_data()}}
        if self.low:
            data["low"] = fmt(self.low)
        if self.high:
            data["high"] = fmt(self.high)
        if self.ref:
            data["ref"] = self.ref
        return data


def _signed(value: Decimal) -> str:
    return "\u2212" if value < 0 else "+"


def _space(unit: str | None) -> str:
    return f" {unit}" if unit and unit != "1" else ""


def _quantity(value: Decimal, unit: str | None) -> str:
    return f"{fmt(value)}{_space(unit)}"

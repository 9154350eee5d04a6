"""The margin chart: each measured criterion as value ± U against its limit, in inline SVG.

Each row has its own scale, chosen so that the limit and the whole uncertainty interval are
visible. Under an upper limit, linear quantities start at zero (the bar then shows how much of the
limit is used); lower limits, ranges and logarithmic units (dB, dBm, dBuV/m) are framed around
the limit and the value, where the margin is.
Arithmetic stays in Decimal; coordinates are rounded to 0.01 units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup, escape

from labcert.pdf import display

WIDTH = Decimal(680)
LABEL_W = Decimal(190)
TRACK_X = Decimal(200)
TRACK_W = Decimal(300)
TEXT_X = TRACK_X + TRACK_W + 12
ROW_H = Decimal(30)
TOP = Decimal(4)
PAD = Decimal("0.12")
HUNDREDTH = Decimal("0.01")
TITLE_CHARS = 36

INK = "#1d2733"
MUTED = "#5b6670"
TRACK = "#eef0f2"
ZONE = "#dcebdc"
U_BAND = "#b9c2cc"
LIMIT = "#9b1c1c"
# Presentation attributes, not CSS classes: WeasyPrint's HTML stylesheet does not style SVG text.
FONT = 'font-family="Certificate Sans, DejaVu Sans, sans-serif"'
LABEL_STYLE = f'{FONT} font-size="9.6" font-weight="bold" fill="{INK}"'
VALUE_STYLE = f'{FONT} font-size="9.6" fill="{INK}"'
LIMIT_STYLE = f'{FONT} font-size="8.4" fill="{MUTED}"'
VERDICT_INK = {
    "pass": "#1d5e2a",
    "conditional_pass": "#8a5a00",
    "conditional_fail": "#9b1c1c",
    "fail": "#9b1c1c",
}


@dataclass(frozen=True)
class Bar:
    """One charted criterion: measured value, expanded uncertainty and its limit."""

    title: str
    value: Decimal
    uncertainty: Decimal
    unit: str
    verdict: str
    low: Decimal | None
    high: Decimal | None


def chart_bars(outcomes: list[dict[str, Any]]) -> list[Bar]:
    """Select the outcomes that can be charted: a numeric value against a numeric limit."""
    bars = []
    for outcome in outcomes:
        governing = outcome.get("governing") or {}
        limit = outcome.get("limit") or {}
        value = _decimal(governing.get("value"))
        unit = outcome.get("unit") or ""
        if value is None or (governing.get("unit") or unit) != unit:
            continue
        low, high = _bounds(limit.get("shown") or limit)  # a computed limit, as displayed
        if low is None and high is None:
            continue
        uncertainty = _decimal(governing.get("uncertainty")) or Decimal(0)
        bars.append(
            Bar(
                title=outcome.get("title") or outcome.get("criterion", ""),
                value=value,
                uncertainty=abs(uncertainty),
                unit=unit,
                verdict=outcome.get("verdict", ""),
                low=low,
                high=high,
            )
        )
    return bars


def margin_chart_svg(outcomes: list[dict[str, Any]]) -> Markup:
    """Return the margin chart for outcomes as SVG markup, or empty markup if none is measured."""
    bars = chart_bars(outcomes)
    if not bars:
        return Markup("")
    height = TOP + ROW_H * len(bars) + 4
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="margin-chart"'
        f' viewBox="0 0 {WIDTH} {height}" role="img"'
        ' aria-label="Margin chart: measured values with expanded uncertainty against limits">',
        *(_row(bar, TOP + ROW_H * index) for index, bar in enumerate(bars)),
        "</svg>",
    ]
    # Every text in the SVG went through escape(); the rest is numbers and constants.
    return Markup("".join(parts))  # noqa: S704


def _row(bar: Bar, y: Decimal) -> str:
    lo, hi = _domain(bar)

    def x(v: Decimal) -> Decimal:
        return TRACK_X + (min(max(v, lo), hi) - lo) / (hi - lo) * TRACK_W

    mid = y + ROW_H / 2
    top, bottom = mid - 6, mid + 6
    zone_from = x(bar.low if bar.low is not None else lo)
    zone_to = x(bar.high if bar.high is not None else hi)
    u_from, u_to = x(bar.value - bar.uncertainty), x(bar.value + bar.uncertainty)
    marker = x(bar.value)
    out = [
        _text(Decimal(0), mid + 3, LABEL_STYLE, _shorten(bar.title)),
        _rect(TRACK_X, top, TRACK_W, bottom - top, TRACK),
        _rect(zone_from, top, zone_to - zone_from, bottom - top, ZONE),
        *(
            _line(x(v), x(v), top - 4, bottom + 4, LIMIT, "1.6")
            for v in (bar.low, bar.high)
            if v is not None
        ),
        _rect(u_from, mid - 3, u_to - u_from, Decimal(6), U_BAND),
        _line(u_from, u_to, mid, mid, INK, "1"),
        _line(u_from, u_from, mid - 4, mid + 4, INK, "1"),
        _line(u_to, u_to, mid - 4, mid + 4, INK, "1"),
        _rect(marker - 3, mid - 3, Decimal(6), Decimal(6), VERDICT_INK.get(bar.verdict, INK)),
        _text(TEXT_X, mid - 1, VALUE_STYLE, _value_text(bar)),
        _text(TEXT_X, mid + 9, LIMIT_STYLE, _limit_text(bar)),
    ]
    return "".join(out)


def _rect(x: Decimal, y: Decimal, width: Decimal, height: Decimal, fill: str) -> str:
    return (
        f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(width)}" height="{_fmt(height)}"'
        f' fill="{fill}"/>'
    )


def _line(x1: Decimal, x2: Decimal, y1: Decimal, y2: Decimal, stroke: str, width: str) -> str:
    return (
        f'<line x1="{_fmt(x1)}" x2="{_fmt(x2)}" y1="{_fmt(y1)}" y2="{_fmt(y2)}"'
        f' stroke="{stroke}" stroke-width="{width}"/>'
    )


def _text(x: Decimal, y: Decimal, style: str, text: str) -> str:
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}" {style}>{escape(text)}</text>'


def _domain(bar: Bar) -> tuple[Decimal, Decimal]:
    points = [bar.value - bar.uncertainty, bar.value + bar.uncertainty]
    points += [b for b in (bar.low, bar.high) if b is not None]
    lo, hi = min(points), max(points)
    if lo >= 0 and bar.low is None and not _is_logarithmic(bar.unit):
        return Decimal(0), (hi * (1 + PAD)) or Decimal(1)
    span = hi - lo or abs(hi) or Decimal(1)
    return lo - span * PAD, hi + span * PAD


def _bounds(limit: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    if "range" in limit and isinstance(limit["range"], list | tuple) and len(limit["range"]) == 2:
        return _decimal(limit["range"][0]), _decimal(limit["range"][1])
    return _decimal(limit.get("min")), _decimal(limit.get("max"))


def _value_text(bar: Bar) -> str:
    u = f" ± {display.number(bar.uncertainty)}" if bar.uncertainty else ""
    return f"{display.number(bar.value)}{u} {display.unit(bar.unit)}".strip()


def _limit_text(bar: Bar) -> str:
    shown = display.unit(bar.unit)
    if bar.low is not None and bar.high is not None:
        text = f"limit {display.number(bar.low)} \u2013 {display.number(bar.high)}"
    elif bar.high is not None:
        text = f"limit ≤ {display.number(bar.high)}"
    else:
        text = f"limit ≥ {display.number(bar.low)}"
    return f"{text} {shown}".strip()


def _is_logarithmic(unit: str) -> bool:
    return unit.lower().startswith("db")


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _shorten(text: str) -> str:
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def _fmt(value: Decimal) -> str:
    return format(value.quantize(HUNDREDTH), "f")

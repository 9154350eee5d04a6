"""The margin chart: value ± U against upper, lower and range limits, readable for dB too."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from labcert.pdf.chart import TRACK_W, TRACK_X, chart_bars, margin_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _outcome(
    limit: dict[str, Any], value: str, u: str | None, unit: str | None = "W/kg", **extra: Any
) -> dict[str, Any]:
    return {
        "criterion": "c",
        "title": extra.pop("title", "Criterion"),
        "verdict": "pass",
        "limit": limit,
        "unit": unit,
        "governing": {"value": value, "unit": unit, "uncertainty": u},
        **extra,
    }


def _positions(svg: str) -> dict[str, list[float]]:
    """Return x positions of limit lines and value markers in a one-row chart."""
    root = ElementTree.fromstring(svg)
    limits = [float(e.get("x1")) for e in root.iter(f"{SVG}line") if e.get("stroke") == "#9b1c1c"]
    markers = [
        float(e.get("x")) + 3
        for e in root.iter(f"{SVG}rect")
        if float(e.get("width")) == 6 and e.get("fill") != "#b9c2cc"
    ]
    return {"limits": limits, "values": markers}


def test_only_numeric_values_against_numeric_limits_are_charted(snapshot: dict[str, Any]) -> None:
    bars = chart_bars(snapshot["evaluation"]["outcomes"])

    titles = [bar.title for bar in bars]
    assert "SAR head, 10 g" in titles and "Carrier frequency error" in titles
    assert "ESD immunity ±4 kV contact / ±8 kV air" not in titles  # observation
    assert "Sample IMEIs valid (Luhn)" not in titles  # computed, governing null
    assert "Battery transport tests T1\u2013T8" not in titles  # equals "pass"
    assert len(bars) == 9


def test_upper_limit_scale_starts_at_zero_and_places_the_value_proportionally() -> None:
    svg = margin_chart_svg([_outcome({"max": "2.0"}, "0.83", "0.25")])
    positions = _positions(svg)
    hi = Decimal("2.0") * Decimal("1.12")

    def x(v: str) -> float:
        return float(TRACK_X + Decimal(v) / hi * TRACK_W)

    assert positions["limits"] == [round(x("2.0"), 2)]
    assert positions["values"] == [round(x("0.83"), 2)]
    assert positions["values"][0] < positions["limits"][0]


def test_lower_limit_puts_the_conforming_value_right_of_the_limit() -> None:
    positions = _positions(margin_chart_svg([_outcome({"min": "80"}, "86.4", "1.2", unit="%")]))

    assert positions["values"][0] > positions["limits"][0]


def test_range_limit_draws_both_bounds_around_the_value() -> None:
    positions = _positions(
        margin_chart_svg([_outcome({"range": ["-0.1", "0.1"]}, "0.021", "0.01", unit="ppm")])
    )

    low, high = sorted(positions["limits"])
    assert low < positions["values"][0] < high


def test_db_values_are_framed_around_the_limit_not_from_zero() -> None:
    svg = margin_chart_svg([_outcome({"max": "-36"}, "-47.2", "3.0", unit="dBm")])
    positions = _positions(svg)

    assert TRACK_X < positions["values"][0] < positions["limits"][0] < TRACK_X + TRACK_W
    # With a zero-based scale both would be squeezed to the left end; here they are spread out.
    assert positions["limits"][0] - positions["values"][0] > float(TRACK_W) / 5
    assert "\u221247.2 ± 3.0 dBm" in svg and "limit ≤ \u221236 dBm" in svg


def test_a_failing_value_beyond_the_limit_is_drawn_beyond_it() -> None:
    svg = margin_chart_svg([_outcome({"max": "1.6"}, "1.9", "0.2", verdict="fail")])
    positions = _positions(svg)

    assert positions["values"][0] > positions["limits"][0]
    assert 'fill="#9b1c1c"' in svg


def test_values_in_another_unit_than_the_limit_are_not_charted() -> None:
    outcome = _outcome({"max": "2.0"}, "830", "250")
    outcome["governing"]["unit"] = "mW/kg"

    assert margin_chart_svg([outcome]) == ""


def test_titles_are_escaped_and_shortened() -> None:
    svg = margin_chart_svg(
        [_outcome({"max": "2"}, "1", "0.1", title="<script>x</script> " + "very long " * 8)]
    )

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    label = re.search(r'font-weight="bold"[^>]*>([^<]*)<', svg).group(1)
    assert label.endswith("…") and len(label) <= 36 + 12


def test_the_chart_is_valid_svg_with_a_row_per_bar(snapshot: dict[str, Any]) -> None:
    svg = margin_chart_svg(snapshot["evaluation"]["outcomes"])
    root = ElementTree.fromstring(svg)

    assert root.tag == f"{SVG}svg"
    labels = [t for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert len(labels) == 9


def test_no_measured_outcome_gives_no_chart() -> None:
    assert margin_chart_svg([]) == ""

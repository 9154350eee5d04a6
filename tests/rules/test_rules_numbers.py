"""Numbers are exact Decimals parsed from text; floats, NaN and infinities are refused."""

from decimal import Decimal

import pytest

from labcert.rules.numbers import fmt, parse_decimal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.2", "0.2"),
        ("  -36 ", "-36"),
        ("2.0", "2.0"),
        ("1e3", "1E+3"),
        (7, "7"),
        (Decimal("0.10"), "0.10"),
    ],
)
def test_numbers_are_parsed_exactly_from_their_text(raw, expected):
    assert str(parse_decimal(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (0.1, "binary float"),
        (True, "not a number"),
        ("abc", "'abc' is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        (Decimal("NaN"), "not a finite number"),
        (Decimal("-Infinity"), "not a finite number"),
        ("1_000", "is not a number"),
        ("١٢", "is not a number"),  # Arabic-Indic digits are refused, only ASCII counts
        ("1" * 35, "more than 34 significant digits"),
        ("1E+31", "too large"),
        ("1E-41", "too many decimal places"),
        (None, "NoneType is not a number"),
    ],
)
def test_non_numbers_and_floats_are_refused_with_a_message(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_decimal(raw)


def test_a_float_is_never_converted_silently():
    with pytest.raises(ValueError) as excinfo:
        parse_decimal(0.30000000000000004)
    assert "0.30000000000000004" in str(excinfo.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1E+3"), "1000"),
        (Decimal("2.0"), "2.0"),
        (Decimal("-0"), "0"),
        (Decimal("8.3E+2"), "830"),
    ],
)
def test_decimals_are_formatted_as_plain_exact_text(value, text):
    assert fmt(value) == text

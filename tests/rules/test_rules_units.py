"""Units convert exactly with pint; logarithmic units are never mixed; counts are not fractions."""

from decimal import Decimal

import pytest

from labcert.rules import units
from labcert.rules.units import UnitError, check_compatible, factor, normalize


@pytest.mark.parametrize(
    ("from_unit", "to_unit", "expected"),
    [
        ("mW/g", "W/kg", "1"),
        ("W/kg", "W/kg", "1"),
        ("%", "ppm", "10000"),
        ("mg/kg", "ppm", "1"),
        ("ppm", "%", "0.0001"),
        ("W/g", "W/kg", "1000"),
        ("µg/g", "ppm", "1"),
    ],
)
def test_conversion_factors_are_exact(from_unit, to_unit, expected):
    assert factor(from_unit, to_unit) == Decimal(expected)
    assert isinstance(factor(from_unit, to_unit), Decimal)


def test_a_tenth_of_a_percent_is_exactly_1000_ppm():
    assert Decimal("0.1") * factor("%", "ppm") == Decimal(1000)


def test_conversion_factors_are_cached_by_unit_pair():
    factor.cache_clear()
    factor("mW/g", "W/kg")
    factor("mW/g", "W/kg")
    info = factor.cache_info()
    assert (info.hits, info.misses) == (1, 1)


@pytest.mark.parametrize(
    ("unit", "required", "message"),
    [
        ("kg", "W/kg", "unit 'kg' is not compatible with 'W/kg' required by sar.head"),
        ("dBW", "dBm", "unit 'dBW' is not compatible with 'dBm' required by sar.head"),
        ("dBm", "dBuV/m", "unit 'dBm' is not compatible with 'dBuV/m'"),
        ("1", "ppm", "unit '1' is not compatible with 'ppm'"),
        ("%", "1", "unit '%' is not compatible with '1'"),
        ("W/kg", "dBm", "unit 'W/kg' is not compatible with 'dBm'"),
    ],
)
def test_an_incompatible_unit_names_both_units_and_the_test(unit, required, message):
    with pytest.raises(UnitError, match=message.replace("(", r"\(")):
        check_compatible(unit, required, "sar.head")


def test_logarithmic_units_are_recognised_in_their_common_spellings():
    assert normalize("dBµV/m") == normalize("dBμV/m") == normalize("dBuV/m") == "dBuV/m"
    assert units.is_log("dBm") and not units.is_log("W/kg")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("furlongs/fortnight/zz", "unknown unit"),
        ("dBfoo", "unknown logarithmic unit"),
        ("degC", "offset"),
        ("", "empty"),
    ],
)
def test_unknown_and_offset_units_are_refused(text, message):
    with pytest.raises(UnitError, match=message):
        normalize(text)

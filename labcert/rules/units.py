"""Check and convert units exactly with pint (Decimal mode); logarithmic units never convert."""

from __future__ import annotations

from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

# Logarithmic units are compared only in the criterion's own unit: a dB value is not a linear
# quantity, and pint cannot convert them with Decimal magnitudes.
_LOG_ALIASES = {
    "db": "dB",
    "dbm": "dBm",
    "dbw": "dBW",
    "dbc": "dBc",
    "dbuv": "dBuV",
    "dbµv": "dBuV",
    "dbμv": "dBuV",
    "dbuv/m": "dBuV/m",
    "dbµv/m": "dBuV/m",
    "dbμv/m": "dBuV/m",
    "db(uv/m)": "dBuV/m",
    "dbm/mhz": "dBm/MHz",
}
LOG_UNITS = frozenset(_LOG_ALIASES.values())
_COUNT_UNITS = frozenset({"1", "count", "dimensionless"})


class UnitError(ValueError):
    """A unit is unknown or cannot be converted to the unit asked for."""


@cache
def _registry() -> Any:
    import pint  # imported lazily: building the registry takes ~150 ms

    return pint.UnitRegistry(non_int_type=Decimal)


def is_log(unit: str) -> bool:
    """Tell whether unit (normalised) is a logarithmic unit."""
    return unit in LOG_UNITS


@lru_cache(maxsize=512)
def normalize(text: str) -> str:
    """Return the canonical spelling of a unit, or raise UnitError if it is unknown."""
    unit = " ".join(str(text).split())
    if not unit:
        raise UnitError("unit is empty")
    log = _LOG_ALIASES.get(unit.casefold().replace(" ", ""))
    if log:
        return log
    if unit.casefold().startswith("db"):
        raise UnitError(
            f"unknown logarithmic unit '{unit}' (known: {', '.join(sorted(LOG_UNITS))})"
        )
    try:
        parsed = _registry().parse_units(unit)
    except Exception as exc:  # pint raises several unrelated error types for bad input
        raise UnitError(f"unknown unit '{unit}'") from exc
    if not _is_multiplicative(unit, parsed):
        raise UnitError(f"unit '{unit}' has an offset (like degC) and is not supported")
    return unit


def _is_multiplicative(unit: str, parsed: Any) -> bool:
    reg = _registry()
    base = reg.Quantity(Decimal(0), parsed).to_base_units().magnitude
    return bool(base == 0)


def _family(unit: str) -> str:
    if unit in LOG_UNITS:
        return "log:" + unit
    dims = _registry().parse_units(unit).dimensionality
    if not dims:
        # Counts ("1") and fractions (%, ppm, mg/kg) are both dimensionless to pint, but 45 falls
        # must never be read as 45 000 000 ppm.
        return "count" if unit in _COUNT_UNITS else "fraction"
    return str(dims)


@lru_cache(maxsize=1024)
def factor(from_unit: str, to_unit: str) -> Decimal:
    """Return the exact factor that turns a value in from_unit into to_unit (normalised units)."""
    if from_unit == to_unit:
        return Decimal(1)
    if _family(from_unit) != _family(to_unit):
        raise UnitError(f"unit '{from_unit}' is not compatible with '{to_unit}'")
    if from_unit in LOG_UNITS:
        raise UnitError(f"unit '{from_unit}' is not compatible with '{to_unit}'")
    reg = _registry()
    return Decimal(reg.Quantity(Decimal(1), from_unit).to(to_unit).magnitude)


def check_compatible(unit: str, required: str, test: str) -> str:
    """Return unit normalised, or raise UnitError naming both units and the test that needs it."""
    unit = normalize(unit)
    try:
        factor(unit, required)
    except UnitError:
        hint = " (logarithmic units are compared only in the same unit)" if is_log(required) else ""
        raise UnitError(
            f"unit '{unit}' is not compatible with '{required}' required by {test}{hint}"
        ) from None
    return unit

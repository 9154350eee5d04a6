"""Parse, bound and format exact decimal numbers; the engine never touches float."""

from __future__ import annotations

import re
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

# Inputs are bounded (<= 34 significant digits, exponent -40..30) so every sum, difference and
# product the engine forms fits in 200 digits; Inexact is trapped to prove no rounding happens.
ENGINE_CONTEXT = Context(
    prec=200,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)
MAX_DIGITS = 34
MIN_EXPONENT = -40
MAX_ADJUSTED = 30

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def parse_decimal(raw: object) -> Decimal:
    """Return the Decimal written in raw, or raise ValueError with a message for a person."""
    if isinstance(raw, bool):
        raise ValueError(f"{str(raw).lower()} is not a number")
    if isinstance(raw, float):
        raise ValueError(
            f"got a binary float ({raw!r}); send the number as text or a JSON number parsed "
            "as Decimal, never as float"
        )
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"{raw!r} is not a number")
        value = Decimal(text)
    else:
        raise ValueError(f"{type(raw).__name__} is not a number")
    check_bounds(value)
    return value


def check_bounds(value: Decimal) -> None:
    """Raise ValueError unless value is finite and within the engine's exactness bounds."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    digits = value.as_tuple()
    if len(digits.digits) > MAX_DIGITS:
        raise ValueError(f"{fmt(value)} has more than {MAX_DIGITS} significant digits")
    if value and value.adjusted() > MAX_ADJUSTED:
        raise ValueError(f"{value} is too large (at most 1E+{MAX_ADJUSTED})")
    if int(digits.exponent) < MIN_EXPONENT:
        raise ValueError(f"{value} has too many decimal places (at most {-MIN_EXPONENT})")


def fmt(value: Decimal) -> str:
    """Return value as plain positional text, keeping the digits as written."""
    if not value:
        text = format(value, "f")
        return text.lstrip("-")
    return format(value, "f")

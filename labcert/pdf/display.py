"""Typographic forms of numbers, units and standard references for the printed certificate."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

MINUS = "\u2212"
NBSP = "\u00a0"
UNITS = {"dBuV/m": "dBµV/m", "dBuV": "dBµV", "uV": "µV", "ug": "µg", "uA": "µA", "uW": "µW"}
_SHORT_REFERENCE = 26  # keep "EN 50360:2017+A1:2023" on one line; longer titles may wrap


def number(value: Any) -> str:
    """Return value as printed: a true minus sign for negative numbers, other text unchanged."""
    text = str(value)
    try:
        Decimal(text)
    except InvalidOperation:
        return text
    return MINUS + text[1:] if text.startswith("-") else text


def unit(code: str | None) -> str:
    """Return the printed form of a unit code, or an empty string for none or dimensionless."""
    if not code or code == "1":
        return ""
    return UNITS.get(code, code)


def quantity(value: Any, code: str | None) -> str:
    """Return a number with its unit, separated by a no-break space."""
    shown = unit(code)
    return f"{number(value)}{NBSP}{shown}" if shown else number(value)


def reference(text: str) -> str:
    """Keep a short standard reference on one line by joining its words with no-break spaces."""
    return text.replace(" ", NBSP) if len(text) <= _SHORT_REFERENCE else text


def reason(text: str) -> str:
    """Print a negative number inside an explanation with a true minus sign."""
    return re.sub(r"(?<![\w.])-(?=\d)", MINUS, text)

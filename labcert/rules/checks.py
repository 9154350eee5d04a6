"""The closed registry of computed checks that run on product facts (IMEI validity, TACs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .facts import ProductFacts


class CheckResult(NamedTuple):
    """Hold a computed check's verdict ('pass'/'fail'), reason and number of items checked."""

    verdict: str
    reason: str
    checked: int


def luhn_check_digit(body: str) -> int:
    """Return the Luhn check digit for a string of digits (ISO/IEC 7812 Annex B)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:  # doubled: the rightmost body digit sits next to the check digit
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def imei_problem(imei: str) -> str | None:
    """Return why imei is not a valid 15-digit IMEI, or None when it is valid."""
    if len(imei) != 15 or not imei.isascii() or not imei.isdigit():
        return f"IMEI '{imei}' is not 15 digits"
    expected = luhn_check_digit(imei[:14])
    if int(imei[14]) != expected:
        return f"IMEI {imei} has check digit {imei[14]}, expected {expected}"
    return None


def _listed(problems: list[str]) -> str:
    shown = "; ".join(problems[:3])
    return shown + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")


def imei_valid(product: ProductFacts) -> CheckResult | None:
    """Check that every sample IMEI is 15 digits with a valid Luhn check digit."""
    imeis = product.sample_imeis
    if not imeis:
        return None
    problems = [p for p in map(imei_problem, imeis) if p]
    if problems:
        return CheckResult("fail", f"{_listed(problems)} → fail", len(imeis))
    count = f"{len(imeis)} sample IMEI" + ("s" if len(imeis) > 1 else "")
    return CheckResult("pass", f"{count}: 15 digits, Luhn check digit valid → pass", len(imeis))


def tac_declared(product: ProductFacts) -> CheckResult | None:
    """Check that every sample IMEI's TAC (first 8 digits) is one of the declared TACs."""
    imeis = product.sample_imeis
    if not imeis:
        return None
    declared = set(product.tacs)
    if not declared:
        return CheckResult("fail", "the product declares no TACs → fail", len(imeis))
    problems = [
        f"TAC {imei[:8]} of IMEI {imei} is not declared"
        for imei in imeis
        if len(imei) < 8 or imei[:8] not in declared
    ]
    listed = ", ".join(sorted(declared))
    if problems:
        return CheckResult("fail", f"{_listed(problems)} (declared: {listed}) → fail", len(imeis))
    tacs = ", ".join(sorted({imei[:8] for imei in imeis}))
    return CheckResult("pass", f"sample TACs {tacs} are declared → pass", len(imeis))


CHECKS: dict[str, Callable[[ProductFacts], CheckResult | None]] = {
    "imei.valid": imei_valid,
    "imei.tac_declared": tac_declared,
}

"""IMEI input checks with messages a technician can act on (which digit, what to fix)."""

from __future__ import annotations

from labcert.languages import N_
from labcert.rules.checks import luhn_check_digit

SEPARATORS = str.maketrans("", "", " -")


def normalise_imei(text: str) -> str:
    """Drop the spaces and hyphens people type inside an IMEI."""
    return text.strip().translate(SEPARATORS)


def imei_errors(text: str) -> list[str]:
    """Say what is wrong with an IMEI: a non-digit, the length, or the Luhn check digit."""
    imei = normalise_imei(text)
    if not imei:
        return [N_("Enter the 15-digit IMEI (dial *#06# on the phone).")]
    bad = [(i + 1, c) for i, c in enumerate(imei) if not ("0" <= c <= "9")]
    if bad:
        position, char = bad[0]
        return [f"Character {position} ({char!r}) is not a digit; an IMEI has digits only."]
    if len(imei) != 15:
        return [f"An IMEI has 15 digits; this one has {len(imei)}."]
    expected = luhn_check_digit(imei[:14])
    if int(imei[14]) != expected:
        return [f"The 15th digit (the check digit) is {imei[14]} but the first 14 digits give "
                f"{expected}: a digit was probably mistyped. Check the IMEI against *#06#."]
    return []

"""Controlled vocabularies of condition values: one canonical name per thing, with aliases.

Forms, the API and CSV all parse results through `parse_results`, which calls `canonical` here,
so "GSM1800" typed anywhere is stored as "DCS1800" and an unknown band is refused with the
known names closest to it. Choice conditions of the catalogue (detector, discharge, fold state)
are vocabularies too; their values come from tests.yaml.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache

_LTE = (1, 2, 3, 4, 5, 7, 8, 12, 13, 14, 17, 18, 19, 20, 25, 26, 28, 29, 30, 32, 34, 38, 39,
        40, 41, 42, 43, 46, 48, 66, 71)
_UMTS = (1, 2, 4, 5, 6, 8, 19)
_NR = (1, 2, 3, 5, 7, 8, 12, 20, 25, 28, 38, 40, 41, 48, 66, 71, 77, 78, 79, 257, 258, 260, 261)
BANDS: tuple[str, ...] = (
    "GSM850", "GSM900", "DCS1800", "GSM1900",
    *(f"UMTS B{n}" for n in _UMTS),
    *(f"LTE B{n}" for n in _LTE),
    *(f"NR n{n}" for n in _NR),
    "WLAN 2.4G", "WLAN 5G", "WLAN 6G", "Bluetooth",
)
# Aliases by their folded key (see `fold`): what labs and test systems actually write.
_BAND_ALIASES = {
    "gsm1800": "DCS1800", "dcs": "DCS1800", "egsm1800": "DCS1800",
    "pcs": "GSM1900", "pcs1900": "GSM1900", "dcs1900": "GSM1900",
    "egsm": "GSM900", "egsm900": "GSM900", "pgsm900": "GSM900", "gsm": "GSM900",
    "cellular850": "GSM850",
    "wcdma2100": "UMTS B1", "umts2100": "UMTS B1", "wcdma1900": "UMTS B2",
    "wcdma1700": "UMTS B4", "wcdmaaws": "UMTS B4", "wcdma850": "UMTS B5", "wcdma900": "UMTS B8",
    "umts900": "UMTS B8", "umts850": "UMTS B5",
    "wifi": "WLAN 2.4G", "wlan": "WLAN 2.4G", "wifi24g": "WLAN 2.4G", "wifi24ghz": "WLAN 2.4G",
    "wlan24ghz": "WLAN 2.4G", "24ghz": "WLAN 2.4G", "ism24ghz": "WLAN 2.4G",
    "wifi5g": "WLAN 5G", "wifi5ghz": "WLAN 5G", "wlan5ghz": "WLAN 5G", "5ghz": "WLAN 5G",
    "wifi6g": "WLAN 6G", "wifi6ghz": "WLAN 6G", "wlan6ghz": "WLAN 6G", "6ghz": "WLAN 6G",
    "bt": "Bluetooth", "ble": "Bluetooth", "bluetoothle": "Bluetooth",
}
_NUMBERED = (  # folded prefixes that name a numbered band of one technology
    (re.compile(r"^(?:lte|eutra|eutran|e-utra)?(?:band|b)(\d+)$"), "LTE B{}", _LTE),
    (re.compile(r"^(?:lte|eutra|eutran|fddlte|tddlte)(\d+)$"), "LTE B{}", _LTE),
    (re.compile(r"^(?:umts|wcdma|utra|hspa)(?:band|b)?(\d+|[ivx]+)$"), "UMTS B{}", _UMTS),
    (re.compile(r"^(?:nr|5gnr|5g)?(?:band)?n(\d+)$"), "NR n{}", _NR),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "xix": 19}

POSITION_FACES = ("front", "back", "top", "bottom", "left", "right")
_HEAD_POSITIONS = ("left cheek", "left tilt", "right cheek", "right tilt")
_LIMB_POSITIONS = ("hand", "wrist", "ankle", "foot")  # limb / extremity SAR
_POSITION_ALIASES = {
    "lefttouch": "left cheek", "righttouch": "right cheek", "lc": "left cheek",
    "rc": "right cheek", "lt": "left tilt", "rt": "right tilt", "left15": "left tilt",
    "right15": "right tilt", "lefttilt15": "left tilt", "righttilt15": "right tilt",
    "leftcheektouch": "left cheek", "rightcheektouch": "right cheek",
}
_FACE_DISTANCE = re.compile(r"^(front|back|rear|top|bottom|left|right|edge)(\d+(?:\.\d+)?)(mm)?$")


def fold(text: str) -> str:
    """Return the key an alias is looked up by: case-folded, without spaces, dashes or dots."""
    return re.sub(r"[\s_\-./]+", "", str(text)).casefold()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A closed set of canonical values with aliases; `pattern` describes open-ended ones."""

    name: str
    values: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()  # (alias as written, canonical)
    pattern: str = ""  # a sentence for values the set holds by rule, e.g. "back 5 mm"

    def to_dict(self) -> dict[str, object]:
        """Return the vocabulary for the test catalogue API and the reference page."""
        data: dict[str, object] = {"values": list(self.values),
                                   "aliases": dict(self.aliases)}
        if self.pattern:
            data["pattern"] = self.pattern
        return data


class UnknownValue(ValueError):
    """A value is not in its vocabulary; the message names the closest known values."""

    def __init__(self, name: str, value: str, close: list[str], known: tuple[str, ...]) -> None:
        self.close = close
        hint = (f"; did you mean {' or '.join(repr(c) for c in close)}?" if close
                else f" (known: {', '.join(known[:12])}{' ...' if len(known) > 12 else ''})")
        super().__init__(f"unknown {name} '{value}'{hint}")


_BAND_KEYS = {fold(b): b for b in BANDS}


@lru_cache(maxsize=4096)
def _band(value: str) -> str | None:
    key = fold(value)
    if key in _BAND_KEYS:
        return _BAND_KEYS[key]
    if key in _BAND_ALIASES:
        return _BAND_ALIASES[key]
    for pattern, template, numbers in _NUMBERED:
        match = pattern.match(key)
        if match:
            raw = match[1]
            number = _ROMAN.get(raw) if not raw.isdigit() else int(raw)
            if number in numbers:
                return template.format(number)
    return None


@lru_cache(maxsize=4096)
def _position(value: str) -> str | None:
    key = fold(value)
    for position in (*_HEAD_POSITIONS, *_LIMB_POSITIONS):
        if fold(position) == key:
            return position
    if key in _POSITION_ALIASES:
        return _POSITION_ALIASES[key]
    match = _FACE_DISTANCE.match(key)
    if match:
        face = {"rear": "back"}.get(match[1], match[1])
        return f"{face} {match[2]} mm"
    return None


_CANONICALISERS = {"band": _band, "position": _position}


@cache
def vocabularies() -> dict[str, Vocabulary]:
    """Return the vocabularies with aliases (band, position), by condition name."""
    band_aliases = sorted({**dict(_BAND_ALIASES.items()),
                           "GSM1800": "DCS1800", "PCS": "GSM1900", "PCS1900": "GSM1900",
                           "WCDMA B1": "UMTS B1", "WCDMA Band I": "UMTS B1",
                           "B3": "LTE B3", "Band 3": "LTE B3", "n78": "NR n78",
                           "Wi-Fi 2.4 GHz": "WLAN 2.4G", "BT": "Bluetooth"}.items())
    distances = (f"{face} {mm} mm" for face in ("front", "back") for mm in (0, 5, 10, 15))
    positions = (*_HEAD_POSITIONS, *_LIMB_POSITIONS, *distances)
    return {
        "band": Vocabulary("band", BANDS, tuple(
            (a, c) for a, c in band_aliases if not a.islower())),
        "position": Vocabulary("position", positions,
                               (("left touch", "left cheek"), ("right touch", "right cheek"),
                                ("rear 5 mm", "back 5 mm"), ("back 5mm", "back 5 mm")),
                               pattern="<face> <distance> mm, face one of "
                                       + ", ".join(POSITION_FACES)),
    }


def has_vocabulary(name: str) -> bool:
    """Tell whether a condition's values come from a vocabulary with aliases."""
    return name in _CANONICALISERS


def canonical(name: str, value: str) -> str:
    """Return the canonical value of condition `name`, or raise UnknownValue with suggestions."""
    found = _CANONICALISERS[name](value)
    if found is not None:
        return found
    vocabulary = vocabularies()[name]
    known = [*vocabulary.values, *(a for a, _ in vocabulary.aliases)]
    by_key = {fold(k): k for k in known}
    close_keys = difflib.get_close_matches(fold(value), list(by_key), n=6, cutoff=0.5)
    close = list(dict.fromkeys(_CANONICALISERS[name](by_key[k]) or by_key[k]
                               for k in close_keys))[:3]
    raise UnknownValue(name, value, close, vocabulary.values)

"""Parse the API product dict into ProductFacts, collecting every per-field error."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from .applicability import FACTS
from .errors import InputError
from .facts import ProductFacts
from .frozen import freeze

TECHNOLOGIES = ("gsm", "umts", "lte", "nr", "wlan", "bluetooth", "nfc", "gnss", "uwb", "fm")
CATEGORIES = ("smartphone", "feature_phone", "tablet", "foldable", "wearable", "module")
# The longest text each product fact may have (as a type label states it).
TEXT_LIMITS = {
    "brand": 100,
    "model": 100,
    "marketing_name": 200,
    "category": 50,
    "hardware_version": 100,
    "software_version": 100,
}
_TEXT_FACTS = tuple(TEXT_LIMITS)

Errors = dict[str, list[str]]


def add_error(errors: Errors, key: str, message: str) -> None:
    """Append a message to the errors under key."""
    errors.setdefault(key, []).append(message)


def unknown(kind: str, word: str, known: Sequence[str]) -> str:
    """Return "unknown <kind> 'word' (known: a, b); did you mean 'c'?"."""
    return f"unknown {kind} '{word}' (known: {', '.join(known) or 'none'}){suggest(word, known)}"


def suggest(word: str, choices: Sequence[str]) -> str:
    """Return '; did you mean 'x'?' for close matches, or ''."""
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""


def _text_list(raw: Any, key: str, errors: Errors) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        add_error(errors, key, "must be a list of text values")
        return []
    out = []
    for index, item in enumerate(raw):
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        else:
            add_error(errors, f"{key}.{index}", f"{item!r} is not a non-empty text value")
    return out


def _no_floats(value: Any) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, Mapping):
        return all(_no_floats(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_no_floats(v) for v in value)
    return True


def _complete_problems(texts: dict[str, str], tacs: list[str], prefix: str,
                       errors: Errors) -> None:
    """Add what a product registered for certification must have beyond well-formed facts."""
    for name in ("brand", "model"):
        if not texts[name]:
            add_error(errors, f"{prefix}.{name}", f"enter the {name} (as on the type label)")
    if texts["category"] and texts["category"] not in CATEGORIES:
        add_error(errors, f"{prefix}.category",
                  unknown("category", texts["category"], CATEGORIES))
    if not tacs:
        add_error(errors, f"{prefix}.tacs",
                  "declare at least one TAC (the first 8 digits of the IMEI)")


def parse_product(data: Any, prefix: str = "product", *, complete: bool = False) -> ProductFacts:
    """Build ProductFacts from the API product dict, or raise InputError naming every bad field.

    With `complete`, the product must also be one a lab can register: brand, model, a known
    category and at least one TAC.
    """
    if not isinstance(data, Mapping):
        raise InputError({prefix: ["must be an object"]})
    errors: Errors = {}
    texts: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            add_error(errors, f"{prefix}.{name}", "must be text")
        elif isinstance(value, str) and len(value.strip()) > limit:
            add_error(errors, f"{prefix}.{name}", f"use at most {limit} characters")
        texts[name] = (value or "").strip() if isinstance(value, str) else ""
    technologies = [
        t.lower() for t in _text_list(data.get("technologies"), f"{prefix}.technologies", errors)
    ]
    for index, tech in enumerate(technologies):
        if tech not in TECHNOLOGIES:
            add_error(
                errors, f"{prefix}.technologies.{index}", unknown("technology", tech, TECHNOLOGIES)
            )
    bands = _text_list(data.get("bands"), f"{prefix}.bands", errors)
    tacs = _text_list(data.get("tacs"), f"{prefix}.tacs", errors)
    for index, tac in enumerate(tacs):
        if len(tac) != 8 or not (tac.isascii() and tac.isdigit()):
            add_error(errors, f"{prefix}.tacs.{index}",
                      f"a TAC is the first 8 digits of the IMEI; '{tac}' is not 8 digits")
    imeis = _text_list(data.get("sample_imeis"), f"{prefix}.sample_imeis", errors)
    if complete:
        _complete_problems(texts, tacs, prefix, errors)
    extra: dict[str, Any] = {}
    skip = {*_TEXT_FACTS, "technologies", "bands", "tacs", "sample_imeis"}
    for name, value in data.items():
        if name in skip:
            continue
        fact = FACTS.get(name)
        if fact and value is not None and fact.type == "bool" and not isinstance(value, bool):
            add_error(errors, f"{prefix}.{name}", "must be true or false")
        elif fact and value is not None and fact.type == "text" and not isinstance(value, str):
            add_error(errors, f"{prefix}.{name}", "must be text")
        elif not _no_floats(value):
            add_error(errors, f"{prefix}.{name}", "binary floats are refused; send numbers as text")
        else:
            extra[str(name)] = value
    if errors:
        raise InputError(errors)
    return ProductFacts(
        **texts,
        technologies=frozenset(technologies),
        bands=frozenset(bands),
        tacs=tuple(tacs),
        sample_imeis=tuple(imeis),
        extra=freeze(extra),
    )

"""Frozen inputs of an evaluation: the product's facts and its test results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import InputError
from .frozen import EMPTY, FrozenDict, freeze
from .matching import Normalised, normalise, scalar_text
from .numbers import parse_decimal
from .units import UnitError, normalize

TWO = Decimal(2)
_TEXT = ("brand", "model", "marketing_name", "category", "hardware_version", "software_version")
_FOLDED_TEXT = ("brand", "model", "category")


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """Hold what is known about the product model that applicability tests look at."""

    brand: str = ""
    model: str = ""
    marketing_name: str = ""
    category: str = ""
    hardware_version: str = ""
    software_version: str = ""
    technologies: frozenset[str] = frozenset()
    bands: frozenset[str] = frozenset()
    tacs: tuple[str, ...] = ()
    sample_imeis: tuple[str, ...] = ()
    extra: FrozenDict[Any] = EMPTY
    folded: FrozenDict[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        setter = object.__setattr__
        for name in _TEXT:  # a stored product may hold NULL where the API has ""
            setter(self, name, str(getattr(self, name) or "").strip())
        setter(
            self, "technologies", frozenset(str(t).strip().lower() for t in self.technologies or ())
        )
        setter(self, "bands", frozenset(" ".join(str(b).split()) for b in self.bands or ()))
        setter(self, "tacs", tuple(str(t).strip() for t in self.tacs or ()))
        setter(self, "sample_imeis", tuple(str(i).strip() for i in self.sample_imeis or ()))
        setter(self, "extra", freeze(dict(self.extra or {})))
        # Case-folded once here so that applies_if tests are plain set and string comparisons.
        folded = {
            "technologies": frozenset(t.casefold() for t in self.technologies),
            "bands": frozenset(b.casefold() for b in self.bands),
        }
        folded.update({name: getattr(self, name).casefold() for name in _FOLDED_TEXT})
        setter(self, "folded", FrozenDict(folded))


def _number(name: str, raw: object, errors: dict[str, list[str]]) -> Decimal | None:
    if raw is None:
        return None
    try:
        return parse_decimal(raw)
    except ValueError as exc:
        errors.setdefault(name, []).append(str(exc))
        return None


@dataclass(frozen=True, slots=True)
class Result:
    """Hold one test result: a measured value with unit and uncertainty, or an observation."""

    test: str
    value: Decimal | None = None
    observation: str | None = None
    unit: str | None = None
    uncertainty: Decimal | None = None
    uncertainty_pct: Decimal | None = None
    k: Decimal = TWO
    conditions: FrozenDict[str] = EMPTY
    sample_imei: str | None = None
    instrument: str | None = None
    tested_at: datetime | None = None
    ref: str | None = None
    is_superseded: bool = False
    normalised: FrozenDict[Normalised] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        setter = object.__setattr__
        if not isinstance(self.test, str) or not self.test:
            errors["test"] = ["test code required"]
        for name in ("value", "uncertainty", "uncertainty_pct", "k"):
            setter(self, name, _number(name, getattr(self, name), errors))
        if self.k is None:
            setter(self, "k", TWO)
        elif self.k <= 0:
            errors.setdefault("k", []).append("k must be greater than 0")
        for name in ("uncertainty", "uncertainty_pct"):
            number = getattr(self, name)
            if number is not None and number < 0:
                errors.setdefault(name, []).append(f"{name} must not be negative")
        if self.uncertainty is not None and self.uncertainty_pct is not None:
            errors.setdefault("uncertainty", []).append(
                "give uncertainty or uncertainty_pct, not both"
            )
        if self.value is not None and self.observation is not None:
            errors.setdefault("value", []).append("give value or observation, not both")
        if self.unit is not None:
            try:
                setter(self, "unit", normalize(self.unit))
            except UnitError as exc:
                errors.setdefault("unit", []).append(str(exc))
        if self.tested_at is not None and not isinstance(self.tested_at, datetime):
            errors.setdefault("tested_at", []).append("tested_at must be a datetime")
        if self.ref is not None:
            setter(self, "ref", str(self.ref))
        setter(self, "conditions", _conditions(self.conditions, errors))
        if errors:
            raise InputError(errors)
        setter(
            self,
            "normalised",
            FrozenDict({k: normalise(v) for k, v in self.conditions.items()}),
        )


def _conditions(raw: Mapping[str, Any] | Iterable[Any], errors: dict[str, list[str]]) -> Any:
    if not isinstance(raw, Mapping):
        errors.setdefault("conditions", []).append("conditions must be a mapping")
        return EMPTY
    out: dict[str, str] = {}
    for name, value in raw.items():
        if isinstance(value, float | bool) or value is None or isinstance(value, dict | list):
            errors.setdefault(f"conditions.{name}", []).append(
                f"{value!r} is not a valid condition value (text or exact number)"
            )
            continue
        out[str(name)] = scalar_text(value).strip()
    return FrozenDict(out)

"""Load and check the test catalogue (labcert/criteria/tests.yaml)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from .checks import CHECKS
from .errors import CriteriaError
from .frozen import FrozenDict
from .model import COMPUTED, MEASUREMENT, Catalogue, ConditionDef, TestDef
from .schemas import CatalogueSchema
from .units import UnitError, normalize
from .yamlload import load_yaml

CRITERIA_DIR = Path(__file__).resolve().parent.parent / "criteria"
CATALOGUE_FILE = CRITERIA_DIR / "tests.yaml"
_DICT_ENTRY = re.compile(r"\.(conditions|outcomes|reasons|product|when)\.")


def flatten(messages: Any, path: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested messages into (path, reason) pairs, e.g. 'criteria[3].unit'."""
    if isinstance(messages, dict):
        out: list[tuple[str, str]] = []
        for key, sub in messages.items():
            if key == "_schema":
                sub_path = path
            elif isinstance(key, int):
                sub_path = f"{path}[{key}]"
            else:
                sub_path = f"{path}.{key}" if path else str(key)
            out.extend(flatten(sub, sub_path))
        return out
    if isinstance(messages, list):
        out = []
        for message in messages:
            out.extend(
                flatten(message, path)
                if isinstance(message, dict | list)
                else [(path, str(message))]
            )
        return out
    return [(path, str(messages))]


def schema_errors(exc: ValidationError) -> list[tuple[str, str]]:
    """Return a ValidationError's problems, dropping marshmallow's '.value' step inside mappings."""
    problems = []
    for path, reason in flatten(exc.messages):
        if _DICT_ENTRY.search(path) and path.endswith((".value", ".key")):
            path = path.rsplit(".", 1)[0]
        problems.append((path, reason))
    return problems


def _build(data: dict[str, Any], file: str) -> Catalogue:
    problems: list[tuple[str, str]] = []
    condition_defs = {}
    for name, spec in data["conditions"].items():
        if spec["type"] == "choice" and not spec.get("choices"):
            problems.append((f"conditions.{name}.choices", "a choice condition needs choices"))
        choices = tuple(spec["choices"]) if spec.get("choices") else None
        if spec["unit"] and spec["type"] != "number":
            problems.append((f"conditions.{name}.unit", "only a number condition has a unit"))
        condition_defs[name] = ConditionDef(
            name, spec["title"], spec["type"], choices, unit=spec["unit"]
        )
    tests: dict[str, TestDef] = {}
    for index, spec in enumerate(data["tests"]):
        path = f"tests[{index}]"
        code, kind, unit = spec["code"], spec["kind"], spec["unit"]
        if code in tests:
            problems.append((f"{path}.code", f"duplicate test code '{code}'"))
        for field in ("conditions", "optional_conditions"):
            for position, name in enumerate(spec[field]):
                if name not in condition_defs:
                    problems.append((f"{path}.{field}[{position}]", f"unknown condition '{name}'"))
        if kind == MEASUREMENT:
            if not unit:
                problems.append((f"{path}.unit", "a measurement needs a canonical unit"))
            else:
                try:
                    unit = normalize(unit)
                except UnitError as exc:
                    problems.append((f"{path}.unit", str(exc)))
            if spec.get("observations"):
                problems.append((f"{path}.observations", "a measurement has no observation values"))
        else:
            if unit:
                problems.append((f"{path}.unit", f"a {kind} test has no unit"))
            if not spec.get("observations"):
                problems.append((f"{path}.observations", f"a {kind} test needs its allowed values"))
            if kind == COMPUTED and code not in CHECKS:
                problems.append(
                    (
                        f"{path}.code",
                        f"no computed check registered for '{code}' (known: {', '.join(CHECKS)})",
                    )
                )
        observations = tuple(spec["observations"]) if spec.get("observations") else None
        tests[code] = TestDef(
            code=code,
            title=spec["title"],
            kind=kind,
            quantity=spec["quantity"],
            unit=unit if kind == MEASUREMENT else None,
            conditions=tuple(spec["conditions"]),
            optional_conditions=tuple(spec["optional_conditions"]),
            observations=observations,
            description=spec["description"],
        )
    if problems:
        raise CriteriaError(file, problems)
    return Catalogue(FrozenDict(tests), FrozenDict(condition_defs))


def load_catalogue_file(path: str | Path) -> Catalogue:
    """Load and check a catalogue file, raising CriteriaError on any problem."""
    file = str(path)
    data = load_yaml(Path(path).read_text(encoding="utf-8"), file)
    try:
        loaded = CatalogueSchema().load(data if isinstance(data, dict) else {"_": data})
    except ValidationError as exc:
        raise CriteriaError(file, schema_errors(exc)) from None
    return _build(loaded, file)


@cache
def load_catalogue() -> Catalogue:
    """Return the shipped catalogue, loaded once."""
    return load_catalogue_file(CATALOGUE_FILE)

"""Parse API and CSV result dicts into Results, collecting every per-field error."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import InputError
from .facts import Result
from .inputs import Errors, add_error, suggest, unknown
from .model import COMPUTED, OBSERVATION, Catalogue, TestDef
from .numbers import parse_decimal
from .units import UnitError, check_compatible, is_log
from .vocabulary import UnknownValue, has_vocabulary
from .vocabulary import canonical as vocabulary_value

RESULT_FIELDS = (
    "test",
    "value",
    "observation",
    "unit",
    "uncertainty",
    "uncertainty_pct",
    "k",
    "conditions",
    "sample_imei",
    "instrument",
    "tested_at",
    "ref",
    "is_superseded",
)
_BOOL_TEXT = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _timestamp(raw: Any, key: str, errors: Errors) -> datetime | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw.strip())
        except ValueError:
            add_error(errors, key, f"'{raw}' is not an ISO 8601 timestamp")
            return None
    if not isinstance(raw, datetime):
        add_error(errors, key, "must be an ISO 8601 timestamp")
        return None
    if raw.tzinfo is None:
        add_error(errors, key, "needs a time zone, e.g. 2025-07-01T10:00:00Z")
        return None
    return raw


def _conditions(
    item: Mapping[str, Any], test: TestDef | None, catalogue: Catalogue, key: str, errors: Errors
) -> dict[str, Any]:
    raw = item.get("conditions")
    conditions: dict[str, Any] = {}
    if raw is not None and not isinstance(raw, Mapping):
        add_error(errors, f"{key}.conditions", "must be an object of condition names to values")
        raw = None
    conditions.update(raw or {})
    for name, value in item.items():
        if isinstance(name, str) and name.startswith("cond.") and value not in (None, ""):
            conditions[name[5:]] = value
    if test is None:
        return conditions
    known = (*test.conditions, *test.optional_conditions)
    for name, value in list(conditions.items()):
        ckey = f"{key}.conditions.{name}"
        if not test.allows_condition(name):
            add_error(errors, ckey, unknown(f"condition of {test.code}", name, known))
            continue
        if isinstance(value, float | bool) or not isinstance(value, str | int | Decimal):
            add_error(errors, ckey, f"{value!r} is not a condition value (text or exact number)")
            continue
        definition = catalogue.condition_defs[name]
        if definition.type == "number":
            try:
                parse_decimal(value)
            except ValueError as exc:
                add_error(errors, ckey, str(exc))
        elif definition.type == "choice":
            folded = {c.casefold(): c for c in definition.choices or ()}
            canonical = folded.get(str(value).strip().casefold())
            if canonical is None:
                choices = ", ".join(definition.choices or ())
                add_error(errors, ckey, f"'{value}' is not one of {choices}")
            else:
                conditions[name] = canonical
        elif has_vocabulary(name):
            try:
                conditions[name] = vocabulary_value(name, str(value))
            except UnknownValue as exc:
                add_error(errors, ckey, str(exc))
    for name in test.conditions:
        if name not in conditions:
            add_error(errors, f"{key}.conditions.{name}", f"required by {test.code}")
    return conditions


def _number(item: Mapping[str, Any], name: str, key: str, errors: Errors) -> Decimal | None:
    raw = item.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_decimal(raw)
    except ValueError as exc:
        add_error(errors, f"{key}.{name}", str(exc))
        return None


def _kind_checks(
    item: Mapping[str, Any], test: TestDef, key: str, errors: Errors, out: dict[str, Any]
) -> None:
    """Check the fields a result of this test's kind must and must not carry."""
    code = test.code
    if test.kind == COMPUTED:
        add_error(
            errors,
            f"{key}.test",
            f"{code} is computed by the engine from the product facts; do not send results for it",
        )
        return
    if test.kind == OBSERVATION:
        if out["value"] is not None:
            add_error(
                errors, f"{key}.value", f"{code} is an observation; send 'observation', not 'value'"
            )
        for name in ("unit", "uncertainty", "uncertainty_pct"):
            if item.get(name) not in (None, ""):
                add_error(errors, f"{key}.{name}", f"{code} is an observation and has no {name}")
        observation = item.get("observation")
        if not isinstance(observation, str) or not observation.strip():
            add_error(
                errors,
                f"{key}.observation",
                f"required: one of {', '.join(test.observations or ())}",
            )
            return
        folded = {o.casefold(): o for o in test.observations or ()}
        canonical = folded.get(observation.strip().casefold())
        if canonical is None:
            add_error(
                errors,
                f"{key}.observation",
                f"'{observation}' is not one of {', '.join(test.observations or ())} for {code}",
            )
        out["observation"] = canonical
        return
    if item.get("observation") not in (None, ""):
        add_error(errors, f"{key}.observation", f"{code} is a measurement; send 'value' and 'unit'")
    if out["value"] is None and f"{key}.value" not in errors:
        add_error(errors, f"{key}.value", f"required: {code} is a measurement")
    unit = item.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        add_error(errors, f"{key}.unit", f"required (e.g. '{test.unit}')")
        return
    try:
        out["unit"] = check_compatible(unit, test.unit, code)
    except UnitError as exc:
        add_error(errors, f"{key}.unit", str(exc))
        return
    if out["uncertainty_pct"] is not None and is_log(out["unit"]):
        add_error(
            errors,
            f"{key}.uncertainty_pct",
            f"a relative uncertainty is meaningless for the logarithmic unit '{out['unit']}';"
            " give 'uncertainty' in dB",
        )


def _parse_one(item: Any, catalogue: Catalogue, key: str, errors: Errors) -> Result | None:
    if not isinstance(item, Mapping):
        add_error(errors, key, "must be an object")
        return None
    before = len(errors)
    for name in item:
        if name not in RESULT_FIELDS and not (isinstance(name, str) and name.startswith("cond.")):
            add_error(errors, f"{key}.{name}", f"unknown field{suggest(str(name), RESULT_FIELDS)}")
    code = item.get("test")
    test = None
    if not isinstance(code, str) or not code.strip():
        add_error(errors, f"{key}.test", "required: a test code from the catalogue")
    else:
        code = code.strip()
        test = catalogue.get(code)
        if test is None:
            add_error(
                errors,
                f"{key}.test",
                f"unknown test code '{code}'{suggest(code, catalogue.codes())}",
            )
    out: dict[str, Any] = {
        name: _number(item, name, key, errors)
        for name in ("value", "uncertainty", "uncertainty_pct", "k")
    }
    out["observation"] = None
    out["unit"] = None
    if test is not None:
        _kind_checks(item, test, key, errors, out)
    conditions = _conditions(item, test, catalogue, key, errors)
    texts = {}
    for name in ("sample_imei", "instrument", "ref"):
        value = item.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and name == "ref":
            value = str(value)
        if value not in (None, "") and not isinstance(value, str):
            add_error(errors, f"{key}.{name}", "must be text")
        texts[name] = value.strip() if isinstance(value, str) and value.strip() else None
    tested_at = _timestamp(item.get("tested_at") or None, f"{key}.tested_at", errors)
    superseded = item.get("is_superseded", False)
    if isinstance(superseded, str):
        superseded = _BOOL_TEXT.get(superseded.strip().lower(), superseded) if superseded else False
    if not isinstance(superseded, bool):
        add_error(errors, f"{key}.is_superseded", "must be true or false")
    if len(errors) > before:
        return None
    try:
        return Result(
            test=code,
            conditions=conditions,
            tested_at=tested_at,
            is_superseded=superseded,
            **out,
            **texts,
        )
    except InputError as exc:
        for field, messages in exc.details.items():
            errors.setdefault(f"{key}.{field}", []).extend(messages)
        return None


def parse_results(items: Any, catalogue: Catalogue, prefix: str = "results") -> list[Result]:
    """Build Results from API/CSV dicts, or raise InputError keyed 'results.<i>.<field>'.

    CSV rows may carry conditions as 'cond.<name>' columns; empty cells count as absent.
    """
    parsed, errors = parse_each(items, catalogue, prefix)
    if errors:
        raise InputError(errors)
    return [result for _, result in parsed]


def parse_each(items: Any, catalogue: Catalogue,
               prefix: str = "results") -> tuple[list[tuple[int, Result]], Errors]:
    """Parse every item: the (index, Result) of the valid ones and every error of the others."""
    if not isinstance(items, list | tuple):
        raise InputError({prefix: ["must be a list of results"]})
    errors: Errors = {}
    parsed = [
        (index, _parse_one(item, catalogue, f"{prefix}.{index}", errors))
        for index, item in enumerate(items)
    ]
    return [(index, result) for index, result in parsed if result is not None], errors

"""Marshmallow field types shared by the criteria and catalogue schemas."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from .numbers import parse_decimal

ID = validate.Regexp(
    r"^[a-z0-9][a-z0-9_.\-]*$", error="use lower-case letters, digits, '.', '_', '-'"
)
SOURCE_ID = validate.Regexp(
    r"^(S\d+[a-z]?|MC \d+[a-z]?)$", error="use 'S7' (MARKETS) or 'MC 5b' (CONFIRMATIONS)"
)


def Text(**kwargs: Any) -> fields.String:
    """Return a non-empty string field."""
    return fields.String(validate=validate.Length(min=1), **kwargs)


class Num(fields.Field):
    """Read an exact number (int, Decimal or numeric text); refuse floats, NaN and infinities."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        try:
            return parse_decimal(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Day(fields.Field):
    """Read a date written as YYYY-MM-DD (YAML gives a date object)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD)")


class Scalar(fields.Field):
    """Read a text or exact-number value used as an observation or condition value."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
            raise ValidationError(f"{value!r} is not text or an exact number")
        return value


class ConditionSpec(fields.Field):
    """Read a criterion condition: a value, a list of values, {min, max} or {prefix}."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, Mapping):
            keys = set(value)
            if keys == {"prefix"} and isinstance(value["prefix"], str) and value["prefix"]:
                return dict(value)
            if keys and keys <= {"min", "max"}:
                for key in keys:
                    Num().deserialize(value[key])
                return dict(value)
            raise ValidationError("use a value, a list of values, {min, max} or {prefix}")
        if isinstance(value, list):
            if not value:
                raise ValidationError("list of values is empty")
            return [Scalar().deserialize(v) for v in value]
        return Scalar().deserialize(value)

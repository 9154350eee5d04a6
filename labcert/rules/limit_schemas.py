"""Marshmallow schemas for a criterion's limit: numbers, curves over a condition, relaxations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .curves import EDGES, INTERPOLATIONS
from .model import NUMERIC_LIMITS, SET_LIMITS
from .schema_fields import ConditionSpec, Num, Scalar, Text


class SegmentSchema(Schema):
    from_ = Num(data_key="from", required=True)
    to = Num(required=True)
    value = Num()
    at_from = Num()
    at_to = Num()
    interpolation = fields.String(validate=validate.OneOf(INTERPOLATIONS))

    @validates_schema
    def one_shape(self, data: dict[str, Any], **kwargs: Any) -> None:
        sloped = {"at_from", "at_to", "interpolation"} & set(data)
        if ("value" in data) == bool(sloped) or (sloped and len(sloped) != 3):
            raise ValidationError(
                "give value (a constant), or at_from, at_to and interpolation (a sloped line)"
            )
        if not data["from_"] < data["to"]:
            raise ValidationError("must be above from", "to")
        if data.get("interpolation") == "log10" and data["from_"] <= 0:
            raise ValidationError("log10 interpolation needs from above 0", "from")


class CurveSchema(Schema):
    over = Text(required=True)
    segments = fields.List(
        fields.Nested(SegmentSchema), required=True, validate=validate.Length(min=1)
    )
    edges = fields.String(load_default="lower", validate=validate.OneOf(EDGES))


class Bound(fields.Field):
    """Read a max or min limit: an exact number, or a curve over a result condition."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, Mapping):
            return CurveSchema().load(value)
        return Num().deserialize(value)


class RelaxationSchema(Schema):
    when = fields.Dict(
        keys=fields.String(),
        values=ConditionSpec(),
        required=True,
        validate=validate.Length(equal=1, error="name exactly one condition and its range"),
    )
    low = Num()
    high = Num()
    ref = fields.String(load_default="")

    @validates_schema
    def moves_outwards(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("low") and not data.get("high"):
            raise ValidationError("give low (≤ 0) or high (≥ 0): how far the limit moves out")
        if data.get("low", 0) > 0:
            raise ValidationError("a relaxation lowers the lower limit: use a value ≤ 0", "low")
        if data.get("high", 0) < 0:
            raise ValidationError("a relaxation raises the upper limit: use a value ≥ 0", "high")


class LimitSchema(Schema):
    max = Bound()
    min = Bound()
    range = fields.List(Num(), validate=validate.Length(equal=2))
    equals = Scalar()
    in_ = fields.List(Scalar(), data_key="in", validate=validate.Length(min=1))
    inclusive = fields.Boolean()
    relaxations = fields.List(fields.Nested(RelaxationSchema), validate=validate.Length(min=1))

    @validates_schema
    def one_kind(self, data: dict[str, Any], **kwargs: Any) -> None:
        kinds = [k for k in (*NUMERIC_LIMITS, "equals", "in_") if k in data]
        if len(kinds) != 1:
            raise ValidationError(
                f"give exactly one of {', '.join((*NUMERIC_LIMITS, *SET_LIMITS))}"
            )
        if "range" in data and not data["range"][0] < data["range"][1]:
            raise ValidationError("range low must be below high", "range")
        if "inclusive" in data and kinds[0] not in NUMERIC_LIMITS:
            raise ValidationError("inclusive applies only to max, min and range", "inclusive")
        if "relaxations" in data and kinds[0] not in NUMERIC_LIMITS:
            raise ValidationError("relaxations apply only to max, min and range", "relaxations")

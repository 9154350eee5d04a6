"""Marshmallow schemas for the shape and types of catalogue and criteria files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from ..languages import LANGUAGES
from .decision import ON_EXCESS, RULES, VERDICTS
from .limit_schemas import LimitSchema
from .schema_fields import ID, SOURCE_ID, ConditionSpec, Day, Num, Text


class SimpleRuleSchema(Schema):
    type = fields.String(required=True)


class SharedRiskSchema(SimpleRuleSchema):
    max_uncertainty = Num(required=True)
    on_excess = fields.String(required=True, validate=validate.OneOf(ON_EXCESS))
    test_tolerance = Num()


class CisprSchema(SimpleRuleSchema):
    u_cispr = Num(required=True)


RULE_SCHEMAS = {
    "simple": SimpleRuleSchema,
    "guarded": SimpleRuleSchema,
    "shared_risk": SharedRiskSchema,
    "cispr": CisprSchema,
}
assert set(RULE_SCHEMAS) == set(RULES)


class RuleField(fields.Field):
    """Read a decision rule, choosing the parameter schema by its 'type'."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise ValidationError("must be a mapping with a 'type'")
        kind = value.get("type")
        if kind not in RULE_SCHEMAS:
            raise ValidationError(
                {"type": [f"unknown decision rule {kind!r}; known: {', '.join(RULES)}"]}
            )
        loaded: dict[str, Any] = RULE_SCHEMAS[kind]().load(value)
        for key in ("max_uncertainty", "u_cispr", "test_tolerance"):
            if key in loaded and loaded[key] < 0:
                raise ValidationError({key: ["must not be negative"]})
        return loaded


class ApplicabilitySchema(Schema):
    fact = Text(required=True)
    op = Text(required=True)
    value = fields.Raw(required=True)


class SourceSchema(Schema):
    ref = Text(required=True)
    ids = fields.List(fields.String(validate=SOURCE_ID), load_default=list)


class CriterionSchema(Schema):
    id = fields.String(required=True, validate=ID)
    title = Text(required=True)
    test = Text(required=True)
    limit = fields.Nested(LimitSchema, required=True)
    unit = fields.String(load_default=None)
    decision_rule = RuleField()
    conditions = fields.Dict(keys=fields.String(), values=ConditionSpec(), load_default=dict)
    applies_if = fields.List(fields.Nested(ApplicabilitySchema), load_default=list)
    required = fields.Boolean(load_default=True)
    standard = Text(required=True)
    source = fields.Nested(SourceSchema, required=True)
    confirmed = fields.Boolean(required=True)
    effective_from = Day()
    note = fields.String(load_default="")


class ExpectSchema(Schema):
    verdict = fields.String(required=True, validate=validate.OneOf(("pass", "fail", "incomplete")))
    outcomes = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(VERDICTS)),
        load_default=dict,
    )
    reasons = fields.Dict(keys=fields.String(), values=Text(), load_default=dict)
    missing = fields.List(fields.String())
    not_applicable = fields.List(fields.String())
    not_in_force = fields.List(fields.String())


class ExampleSchema(Schema):
    name = Text(required=True)
    like = Text()
    on = Day()
    product = fields.Dict()
    results = fields.List(fields.Raw())
    add_results = fields.List(fields.Raw())
    remove_tests = fields.List(fields.String())
    expect = fields.Nested(ExpectSchema, required=True)


def _english_first(codes: list[str]) -> None:
    """Certificates print English and at most one more language, English first."""
    if not codes or codes[0] != "en" or len(codes) > 2 or len(set(codes)) != len(codes):
        raise ValidationError("name English first and at most one more language, e.g. [en, ar]")


class CriteriaSetSchema(Schema):
    id = fields.String(required=True, validate=ID)
    version = fields.String(required=True, validate=validate.Regexp(r"^[0-9][0-9A-Za-z.\-]*$"))
    market = Text(required=True)
    country = Text(load_default=None)
    scheme = Text(load_default=None)
    title = Text(required=True)
    regime = fields.List(Text(), load_default=list)
    effective_from = Day(required=True)
    supersedes = fields.String(load_default=None)
    status = fields.String(load_default="active",
                           validate=validate.OneOf(("active", "retired", "draft")))
    validity_months = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    validity_note = fields.String(load_default="")
    accept_conditional_pass = fields.Boolean(required=True)
    decision_rule = RuleField(required=True)
    decision_rule_text = Text(required=True)
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1)
    )
    examples = fields.List(fields.Nested(ExampleSchema), load_default=list)
    certificate_languages = fields.List(
        fields.String(validate=validate.OneOf(LANGUAGES)), load_default=lambda: ["en"],
        validate=lambda codes: _english_first(codes),
    )


class ConditionDefSchema(Schema):
    title = Text(required=True)
    type = fields.String(required=True, validate=validate.OneOf(("text", "number", "choice")))
    choices = fields.List(Text())
    unit = fields.String(load_default="")


class TestDefSchema(Schema):
    code = fields.String(required=True, validate=ID)
    title = Text(required=True)
    kind = fields.String(
        required=True, validate=validate.OneOf(("measurement", "observation", "computed"))
    )
    quantity = Text(required=True)
    unit = fields.String(load_default=None)
    conditions = fields.List(fields.String(), load_default=list)
    optional_conditions = fields.List(fields.String(), load_default=list)
    observations = fields.List(Text())
    description = fields.String(load_default="")


class CatalogueSchema(Schema):
    conditions = fields.Dict(
        keys=fields.String(validate=ID), values=fields.Nested(ConditionDefSchema), required=True
    )
    tests = fields.List(
        fields.Nested(TestDefSchema), required=True, validate=validate.Length(min=1)
    )

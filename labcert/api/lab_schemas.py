"""Schemas of the lab workflow API: they validate input, dump output and document OpenAPI."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class ProductSchema(Schema):
    """Product facts of an application."""

    brand = fields.String(required=True)
    model = fields.String(required=True)
    marketing_name = fields.String(load_default="")
    category = fields.String(load_default="smartphone")
    hardware_version = fields.String(load_default="")
    software_version = fields.String(load_default="")
    technologies = fields.List(fields.String(), load_default=list)
    bands = fields.List(fields.String(), load_default=list)
    tacs = fields.List(fields.String(), required=True)
    facts = fields.Dict(keys=fields.String(), load_default=dict)


class ApplicationCreateSchema(Schema):
    """A new application."""

    manufacturer_id = fields.Integer(load_default=None, allow_none=True,
                                     validate=validate.Range(min=1, max=2**31 - 1))
    product = fields.Nested(ProductSchema, required=True)
    markets = fields.List(fields.String(), required=True)


class MarketsSchema(Schema):
    """The target markets of an application."""

    markets = fields.List(fields.String(), required=True)


class OrganizationRefSchema(Schema):
    """An organization, briefly."""

    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class SampleSchema(Schema):
    """A sample, as sent and as shown."""

    id = fields.Integer(dump_only=True)
    imei = fields.String(required=True)
    serial = fields.String(load_default="")
    received_at = fields.Date(required=True)
    condition = fields.String(load_default="")


class WarningSchema(Schema):
    """Something a reviewer will see about a stored result."""

    result_id = fields.Integer()
    index = fields.Integer(allow_none=True)
    kind = fields.String()
    message = fields.String()


class ResultOutSchema(Schema):
    """A stored result; decimals are exact strings."""

    id = fields.Integer()
    test = fields.String()
    value = fields.String(allow_none=True)
    observation = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    uncertainty = fields.String(allow_none=True)
    uncertainty_pct = fields.String(allow_none=True)
    k = fields.String()
    conditions = fields.Dict(keys=fields.String(), values=fields.String())
    sample_imei = fields.String(allow_none=True)
    instrument = fields.String(allow_none=True)
    tested_at = fields.DateTime()
    entered_by = fields.String()
    source = fields.String()
    supersedes = fields.Integer(allow_none=True)
    superseded_by = fields.Integer(allow_none=True)
    correction_reason = fields.String(allow_none=True)
    uncertainty_from = fields.String(allow_none=True)
    warnings = fields.List(fields.Nested(WarningSchema))


class VerdictSummarySchema(Schema):
    """One market's current verdict."""

    market = fields.String()
    criteria_set = fields.String()
    verdict = fields.String()
    missing = fields.List(fields.String())


class ApplicationSchema(Schema):
    """An application with its product, samples, results and current evaluation summary."""

    id = fields.Integer()
    number = fields.String()
    state = fields.String()
    version = fields.Integer()
    manufacturer = fields.Nested(OrganizationRefSchema)
    product = fields.Nested(ProductSchema)
    markets = fields.List(fields.String())
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    samples = fields.List(fields.Nested(SampleSchema))
    results = fields.List(fields.Nested(ResultOutSchema))
    evaluation = fields.List(fields.Nested(VerdictSummarySchema))
    rejection_reasons = fields.List(fields.String())
    follow_up = fields.Dict(allow_none=True, metadata={
        "description": "a re-test after a criteria revision: the certificate it revises, the "
                       "version, the rows to test and the earlier results carried over"})


class ProductBriefSchema(Schema):
    """A product, briefly."""

    brand = fields.String()
    model = fields.String()
    marketing_name = fields.String()


class ApplicationListItemSchema(Schema):
    """An application in a list."""

    id = fields.Integer()
    number = fields.String()
    state = fields.String()
    manufacturer = fields.Nested(OrganizationRefSchema)
    product = fields.Nested(ProductBriefSchema)
    markets = fields.List(fields.String())
    created_at = fields.DateTime()


class StateQuerySchema(Schema):
    """Filter a list by state."""

    state = fields.String(load_default=None)


class ResultInSchema(Schema):
    """A result as sent (parsed exactly by the rule engine's input checks)."""

    test = fields.String(required=True)
    value = fields.Raw(metadata={"description": "number or numeric string"})
    observation = fields.String()
    unit = fields.String()
    uncertainty = fields.Raw()
    uncertainty_pct = fields.Raw()
    k = fields.Raw()
    conditions = fields.Dict(keys=fields.String())
    sample_imei = fields.String()
    instrument = fields.String(metadata={"description": "asset tag"})
    tested_at = fields.String(metadata={"description": "ISO 8601 with time zone"})


class ResultsInSchema(Schema):
    """A batch of results: all-or-nothing."""

    results = fields.List(fields.Dict(), required=True,
                          metadata={"description": "items shaped like ResultIn"})


class AcceptedSchema(Schema):
    """How many results were stored, and what about them is flagged."""

    accepted = fields.Integer()
    ids = fields.List(fields.Integer())
    warnings = fields.List(fields.Nested(WarningSchema))


class InstrumentSchema(Schema):
    """An instrument and its calibration."""

    id = fields.Integer(dump_only=True)
    asset_tag = fields.String(required=True)
    name = fields.String(required=True)
    calibrated_at = fields.Date(required=True)
    calibration_due = fields.Date(required=True)
    tests = fields.List(fields.String(), load_default=list,
                        metadata={"description": "test codes the instrument is suitable for"})
    budgets = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict,
                          metadata={"description": "per test code at k = 2: "
                                                   "{\"value\", \"unit\"} or {\"percent\"}"})


class RejectSchema(Schema):
    """Reasons for a rejection."""

    reasons = fields.List(fields.String(), required=True)
    version = fields.Integer(load_default=None, allow_none=True)


class DecisionSchema(Schema):
    """An optional version the client saw (optimistic locking)."""

    version = fields.Integer(load_default=None, allow_none=True)


class CancelSchema(Schema):
    """Why an application is cancelled."""

    reason = fields.String(required=True)

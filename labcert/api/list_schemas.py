"""Query and envelope schemas of the searchable lists (applications, certificates)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from labcert.lifecycles import application as application_lifecycle
from labcert.lifecycles import certificate as certificate_lifecycle
from labcert.services.paging import MAX_PER_PAGE

MARKET = validate.Regexp(r"^([a-z0-9][a-z0-9-]{0,49})?$",
                         error="a criteria set id such as pk-pta or eu-red")


class PageQuerySchema(Schema):
    """Which page, and how many items on it (at most 100)."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10**6))
    per_page = fields.Integer(load_default=25, validate=validate.Range(
        min=1, max=MAX_PER_PAGE, error=f"must be between 1 and {MAX_PER_PAGE}"))
    q = fields.String(load_default="", validate=validate.Length(max=100), metadata={
        "description": "matches numbers, brand, model, manufacturer or holder, TAC and IMEI"})
    market = fields.String(load_default="", validate=MARKET)


class ApplicationQuerySchema(PageQuerySchema):
    """Search applications."""

    state = fields.String(load_default="", validate=validate.OneOf(
        ("", *application_lifecycle.STATES)))


class CertificateQuerySchema(PageQuerySchema):
    """Search certificates (status as people see it: expired is derived)."""

    status = fields.String(load_default="", validate=validate.OneOf(
        ("", *certificate_lifecycle.STATUSES)))
    issued_from = fields.Date(load_default=None)
    issued_to = fields.Date(load_default=None)


def page_schema(name: str, item: type[Schema] | Schema) -> type[Schema]:
    """Return the envelope schema of one page of `item`s."""
    attrs: dict[str, Any] = {
        "items": fields.List(fields.Nested(item)),
        "total": fields.Integer(metadata={"description": "items across all pages"}),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    }
    return Schema.from_dict(attrs, name=name)

"""Marshmallow schemas shared by the API endpoints (they also document the OpenAPI)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class ErrorSchema(Schema):
    """The one error shape."""

    error = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class TokenRequestSchema(Schema):
    """Credentials exchanged for a token."""

    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="", validate=validate.Length(max=100))


class TokenSchema(Schema):
    """A new token, shown once."""

    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)

"""Shared form helpers: put service validation messages back beside their fields."""

from __future__ import annotations

from flask_wtf import FlaskForm

from labcert.errors import DomainError
from labcert.i18n import translate


def populate_errors(form: FlaskForm, error: DomainError) -> None:
    """Attach each (field, message) of a service refusal to the form field it names."""
    for name, said in error.details.items():
        messages = [translate(m) or m for m in said]  # in the page's language if catalogued
        field = getattr(form, name.split(".")[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), *messages]
        else:
            form.form_errors.extend(messages)

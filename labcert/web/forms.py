"""Shared form helpers: put service validation messages back beside their fields."""

from __future__ import annotations

from flask_wtf import FlaskForm

from labcert.errors import DomainError


def populate_errors(form: FlaskForm, error: DomainError) -> None:
    """Attach each (field, message) of a service refusal to the form field it names."""
    for name, messages in error.details.items():
        field = getattr(form, name.split(".")[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), *messages]
        else:
            form.form_errors.extend(messages)

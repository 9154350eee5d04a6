"""The lab blueprint: application, sample, result, CSV and instrument pages attach to it.

The page modules import `bp` from here; `labcert.web.init_app` imports them before the
blueprint is registered, so this module never imports back into them.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_wtf import FlaskForm

bp = Blueprint("lab", __name__, url_prefix="/lab")


def form_status(form: FlaskForm) -> int:
    """Return 422 for a posted form that carries errors, 200 otherwise."""
    has_errors = bool(form.errors) or bool(getattr(form, "form_errors", None))
    return 422 if request.method == "POST" and has_errors else 200

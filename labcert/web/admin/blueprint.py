"""The administration blueprint; the page modules of labcert.web.admin attach to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

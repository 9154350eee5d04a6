"""LabCert: testing and certification of mobile phones for export.

The factory lives in :mod:`labcert.factory`; it is imported lazily here so that
``import labcert.rules`` stays free of Flask and SQLAlchemy (the rule engine is pure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the LabCert Flask application: defaults, then LABCERT_* environment, then `config`."""
    from labcert.factory import create_app as _create_app

    return _create_app(config)

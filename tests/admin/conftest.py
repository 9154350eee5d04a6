"""Administration tests: each test gets its own instance folder (logos, development PKI)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import AuditEvent


@pytest.fixture(autouse=True)
def own_instance(app: Flask, tmp_path: Path) -> Path:
    """Point the app at a fresh instance folder, so files never leak between tests."""
    app.instance_path = str(tmp_path)
    return tmp_path


def events(action: str) -> list[AuditEvent]:
    """Return the audit events with this action, oldest first."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.seq)))


def text(response: Any) -> str:
    """Return a response body as text."""
    return response.get_data(as_text=True)


def csrf_token(page: str) -> str:
    """Return the CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

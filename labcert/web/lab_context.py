"""What the application pages render: the read model plus which other pages exist."""

from __future__ import annotations

from typing import Any

from flask import current_app

from labcert.models import Application, User
from labcert.services.application_page import page_facts


def page_context(user: User, application: Application) -> dict[str, Any]:
    """Gather everything the application and review pages show."""
    return {**page_facts(user, application),
            "criteria_pages": "criteria.show" in current_app.view_functions,
            "certificate_pages": "certificates.show" in current_app.view_functions}

"""Hand the app's configuration to services: the glue between Flask and the use cases."""

from __future__ import annotations

from flask import Flask, current_app

from labcert.services.settings import ServiceSettings
from labcert.signing import signer_source


def service_settings(app: Flask | None = None) -> ServiceSettings:
    """Return the settings services need, from the given app or the one in context."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return ServiceSettings(public_url=app.config["PUBLIC_URL"], lab_name=app.config["LAB_NAME"],
                           signers=signer_source(app))

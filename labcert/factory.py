"""The application factory: a list of one-line init and register calls, no side effects."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from labcert import config as settings
from labcert.extensions import csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then LABCERT_* environment, then `overrides` (tests)."""
    app = Flask(
        "labcert",
        instance_path=os.environ.get("LABCERT_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    values = dict(settings.DEFAULTS)
    environment = settings.from_environment(os.environ)
    values.update(environment)
    values.update(overrides or {})
    # Whether someone chose the public URL (labcert/public_url.py warns or defaults if not).
    values.setdefault("PUBLIC_URL_CONFIGURED", "PUBLIC_URL" in environment
                      or "PUBLIC_URL" in (overrides or {}))
    app.config.update(settings.resolve(values, Path(app.instance_path)))

    from labcert import api, cli, http_cache, http_errors, i18n, jobs, logs, security, web
    from labcert.json_provider import DecimalJSONProvider

    logs.init_app(app)
    app.json = DecimalJSONProvider(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    web.init_app(app)
    api.init_app(app)
    http_errors.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    http_cache.init_app(app)
    return app

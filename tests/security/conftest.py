"""Fixtures of the security suite: one app and one world for the whole package.

The root `app` and `make_app` empty the tables before each test; here they are replaced by
versions on the package's app and database, so the world (with its issued certificate) is
built once. Rate limits are off on the package's app: the probes send many requests quickly
(throttling itself is tested in tests/test_auth_pages.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from labcert import create_app
from labcert.extensions import db
from tests.conftest import _empty_tables
from tests.factories import PASSWORD
from tests.security.world import World, build_world


@pytest.fixture(scope="package")
def world_app(_schema: None, _pki: Path, base_config: dict[str, Any],
              instance_dir: Path) -> Iterator[Flask]:
    """Return the package's app; its tables are emptied once, when the package starts."""
    application = create_app({**base_config, "RATELIMIT_ENABLED": False})
    application.instance_path = str(instance_dir)
    with application.app_context():
        _empty_tables()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="package")
def world(world_app: Flask) -> World:
    """Return the world: two manufacturers, staff, and an issued certificate for the first."""
    with world_app.app_context():
        return build_world()


@pytest.fixture
def app(world_app: Flask, world: World) -> Iterator[Flask]:
    """Return the package's app with a fresh application context (no tables emptied)."""
    with world_app.app_context():
        yield world_app
        db.session.remove()


@pytest.fixture
def make_app(world_app: Flask, base_config: dict[str, Any],
             instance_dir: Path) -> Iterator[Callable[..., Flask]]:
    """Return a factory of apps on the package's database (tables are kept)."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        application = create_app({**base_config, "RATELIMIT_ENABLED": False, **overrides})
        application.instance_path = str(instance_dir)
        apps.append(application)
        return application

    yield build
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def browser(app: Flask, world: World) -> Callable[[str | None], FlaskClient]:
    """Return browser(key): a test client signed in through the form as a world user."""

    def open_as(key: str | None) -> FlaskClient:
        client = app.test_client()
        if key is not None:
            response = client.post("/login", data={"email": world.emails[key],
                                                   "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return open_as


def bearer(world: World, key: str) -> dict[str, str]:
    """Return the Authorization header of a world user."""
    return {"Authorization": f"Bearer {world.bearer[key]}"}

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
from sqlalchemy import select

from labcert import create_app
from labcert.extensions import db
from labcert.models import User
from labcert.services.certificates import find_certificate
from tests.conftest import _empty_tables
from tests.factories import PASSWORD
from tests.security.fingerprints import close_watchers
from tests.security.world import World, build_world


class IsolatedClient(FlaskClient):
    """A test client whose each request gets its own application context, as in production.

    A request inside a pushed application context reuses it, and with it `g`, where
    Flask-Login keeps the signed-in user: clients of several users in one test would see
    each other's user.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Send the request in a fresh application context."""
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="package")
def security_instance(tmp_path_factory: pytest.TempPathFactory, _pki: Path) -> Path:
    """Return the package's own instance folder (its lab logo must not reach other tests)."""
    folder = tmp_path_factory.mktemp("security-instance")
    (folder / "pki").symlink_to(_pki, target_is_directory=True)
    return folder


@pytest.fixture(scope="package")
def world_app(_schema: None, base_config: dict[str, Any],
              security_instance: Path) -> Iterator[Flask]:
    """Return the package's app (the world empties the tables when it is built)."""
    application = build_app(base_config, security_instance)
    yield application
    close_watchers()
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="package")
def worlds() -> dict[str, Any]:
    """Return the package's record of the world it built (and of what tests made from it)."""
    return {}


def current_world(app: Flask, worlds: dict[str, Any]) -> World:
    """Return the world, building it again if its rows are gone.

    Under pytest-xdist a worker may run other folders' tests between these; their `app`
    fixture empties the tables, so the world is checked (two lookups) and rebuilt when needed.
    """
    with app.app_context():
        world = worlds.get("world")
        if world is None or db.session.scalar(select(User.email).where(
                User.id == world.user_ids["admin"])) != world.emails["admin"] \
                or find_certificate(world.certificate) is None:
            _empty_tables()
            world = worlds["world"] = build_world()
        return world


@pytest.fixture
def world(world_app: Flask, worlds: dict[str, Any]) -> World:
    """Return the world: two manufacturers, staff, and an issued certificate for the first."""
    return current_world(world_app, worlds)


@pytest.fixture
def app(world_app: Flask, world: World) -> Iterator[Flask]:
    """Return the package's app with a fresh application context (no tables emptied)."""
    with world_app.app_context():
        yield world_app
        db.session.remove()


def build_app(base_config: dict[str, Any], instance: Path, **overrides: Any) -> Flask:
    """Return an app on the package's database and instance folder (tables are kept)."""
    application = create_app({**base_config, "RATELIMIT_ENABLED": False, **overrides})
    application.instance_path = str(instance)
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture
def make_app(world_app: Flask, base_config: dict[str, Any],
             security_instance: Path) -> Iterator[Callable[..., Flask]]:
    """Return a factory of apps on the package's database (tables are kept)."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        apps.append(build_app(base_config, security_instance, **overrides))
        return apps[-1]

    yield build
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def signed_in(app: Flask, world: World, who: str | None) -> FlaskClient:
    """Return a test client signed in through the form as a world user (None: anonymous)."""
    client = app.test_client()
    if who is not None:
        response = client.post("/login", data={"email": world.emails[who], "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def browser(app: Flask, world: World) -> Callable[[str | None], FlaskClient]:
    """Return browser(who): a test client signed in as a world user (None: anonymous)."""
    return lambda who: signed_in(app, world, who)


@pytest.fixture
def quick_amendments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stub the rendering and signing of an amendment's PDF (seconds each).

    Tests that reach amendments by the dozen ask what is refused and stored, not what is
    printed; test_an_amendment_reason_of_the_allowed_length... renders one for real.
    """
    monkeypatch.setattr("labcert.services.certificates.sign_documents",
                        lambda signer, facts, settings: (b"%PDF-1.7 probe", "probe-token",
                                                         None, None))


def bearer(world: World, key: str) -> dict[str, str]:
    """Return the Authorization header of a world user."""
    return {"Authorization": f"Bearer {world.bearer[key]}"}

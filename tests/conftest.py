"""Fixtures: `app`, `client`, `runner`, `auth`, `api` on SQLite or PostgreSQL.

The database comes from LABCERT_TEST_DATABASE_URL (default: a SQLite file in a temporary
folder). The schema is built once per run by the migrations themselves; each test starts
from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from labcert import create_app
from labcert.extensions import db
from tests.factories import PASSWORD, make_user
from tests.helpers import api  # noqa: F401  (a fixture shared by every folder)


def database_url(tmp_root: Path) -> str:
    """Return the test database URL: the environment's, or a SQLite file.

    Under pytest-xdist each worker gets its own database (PostgreSQL: `<name>_<worker>`,
    created on first use), so workers never see each other's rows.
    """
    url = os.environ.get("LABCERT_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith(("postgresql", "postgres")):
        url = _worker_database(url, worker)
    return url


def _worker_database(url: str, worker: str) -> str:
    """Create (if needed) and return a PostgreSQL database for one xdist worker."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from labcert.config import normalise_database_url

    base = make_url(normalise_database_url(url))
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an instance folder shared by the run (development PKI, secret key)."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def base_config(instance_dir: Path) -> dict[str, Any]:
    """Return the settings every test app starts from."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url(instance_dir),
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "PUBLIC_URL": "http://labcert.test",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def _schema(base_config: dict[str, Any], instance_dir: Path) -> None:
    """Build the schema once, with the migrations, from an empty database."""
    from flask_migrate import upgrade

    app = create_app(base_config)
    app.instance_path = str(instance_dir)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture(scope="session")
def _pki(instance_dir: Path) -> Path:
    """Create the development PKI once per run, as `labcert pki init` does."""
    from labcert.pki import init_dev_pki

    init_dev_pki(instance_dir / "pki", "LabCert Test Laboratory")
    return instance_dir / "pki"


@pytest.fixture
def make_app(_schema: None, _pki: Path, base_config: dict[str, Any],
             instance_dir: Path) -> Iterator[Any]:
    """Return a factory of apps on the test database, tables emptied first."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app({**base_config, **overrides})
        app.instance_path = str(instance_dir)
        apps.append(app)
        return app

    first = build()
    with first.app_context():
        _empty_tables()
    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Any) -> Iterator[Flask]:
    """Return an app with an application context pushed."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner."""
    return app.test_cli_runner()


class AuthActions:
    """Sign in through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = PASSWORD) -> Any:
        """Post the login form."""
        return self._client.post("/login", data={"email": email, "password": password})

    def login_as(self, role: str, **overrides: Any) -> Any:
        """Create a user with `role` and sign in as them; return the user."""
        user = make_user(role=role, **overrides)
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self) -> Any:
        """Post the logout form."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Return sign-in helpers bound to `client`."""
    return AuthActions(client)

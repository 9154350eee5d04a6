"""The database out of reach: a 503 with a clear message on pages and API, then recovery.

Unreachable is a PostgreSQL URL on a closed port (nothing listens on 127.0.0.1:9), and a
SQLite file whose folder is renamed away while the app runs; renamed back, the same app
answers normally again. Neither touches the test database. Connections are not pooled here,
so each request really reaches for the database, as a worker does after the server restarts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.pool import NullPool

from labcert.extensions import db

CLOSED_PORT = "postgresql://labcert@127.0.0.1:9/labcert"
MESSAGE = "The database cannot be reached right now"
# A page, the sign-in form, the public API and a signed-in API call: each needs the database.
REQUESTS = [("GET", "/verify/LC-2026-000001"), ("POST", "/login"),
            ("GET", "/api/v1/verify/LC-2026-000001"), ("GET", "/api/v1/me")]


def _send(app: Flask, method: str, path: str) -> Any:
    headers = {"Authorization": "Bearer lct_" + "x" * 43} if path == "/api/v1/me" else {}
    data = {"email": "someone@example.test", "password": "x"} if method == "POST" else None
    return app.test_client().open(path, method=method, headers=headers, data=data)


def _assert_unavailable(response: Any, path: str) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    if path.startswith("/api/"):
        assert response.get_json() == {"error": "Service Unavailable", "details": {},
                                       "message": response.get_json()["message"]}
        assert MESSAGE in response.get_json()["message"]
    else:
        assert response.mimetype == "text/html" and MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), REQUESTS)
def test_an_unreachable_database_is_a_503_with_a_clear_message(
        make_app: Any, method: str, path: str) -> None:
    app = make_app(DATABASE_URL=CLOSED_PORT, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
    _assert_unavailable(_send(app, method, path), path)


def test_the_app_recovers_when_the_database_comes_back(make_app: Any, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    app: Flask = make_app(DATABASE_URL=f"sqlite:///{folder / 'labcert.sqlite'}",
                          SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
    with app.app_context():
        upgrade()
    healthy = {path: _send(app, method, path).status_code for method, path in REQUESTS}
    assert healthy == {"/verify/LC-2026-000001": 404, "/login": 200,
                       "/api/v1/verify/LC-2026-000001": 404, "/api/v1/me": 401}

    folder.rename(tmp_path / "away")
    for method, path in REQUESTS:
        _assert_unavailable(_send(app, method, path), path)

    (tmp_path / "away").rename(folder)
    assert {path: _send(app, method, path).status_code for method, path in REQUESTS} == healthy
    with app.app_context():
        db.engine.dispose()

"""Everything under /api/ answers in the one JSON error shape, never an HTML page."""

from __future__ import annotations

import pytest

SHAPE = {"error", "message", "details"}


def test_malformed_json_gets_400_json(client) -> None:
    response = client.post("/api/v1/tokens", data="{not json",
                           content_type="application/json")
    assert response.status_code == 400
    assert set(response.get_json()) == SHAPE


def test_an_unknown_api_route_gets_404_json(client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


def test_a_wrong_method_gets_405_json_with_allow(client) -> None:
    response = client.get("/api/v1/tokens")
    assert response.status_code == 405
    assert set(response.get_json()) == SHAPE
    assert "POST" in response.headers["Allow"]


def test_a_wrong_content_type_gets_415_json(client) -> None:
    response = client.post("/api/v1/tokens", data="email=a", content_type="text/plain")
    assert response.status_code == 415
    assert set(response.get_json()) == SHAPE


def test_a_too_large_body_gets_413_json(make_app) -> None:
    client = make_app(MAX_CONTENT_LENGTH=100).test_client()
    response = client.post("/api/v1/tokens", data="x" * 1000, content_type="application/json")
    assert response.status_code == 413
    assert set(response.get_json()) == SHAPE


def test_an_unexpected_error_gets_500_json_and_is_logged(make_app, caplog) -> None:
    app = make_app()

    @app.route("/api/v1/_boom")
    def boom():
        raise RuntimeError("kaboom")

    app.view_functions["boom"].allowed_roles = None
    response = app.test_client().get("/api/v1/_boom")
    assert response.status_code == 500
    body = response.get_json()
    assert set(body) == SHAPE and "kaboom" not in body["message"]
    assert "kaboom" in caplog.text


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/tokens"])
def test_api_errors_are_never_html(client, path) -> None:
    response = client.open(path, method="PUT")
    assert response.mimetype == "application/json"

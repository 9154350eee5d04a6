"""CSRF, generated from the URL map: every page POST needs the token, the API needs a bearer.

With CSRF on, each page route that takes a POST is posted by someone it admits (anonymous for
public pages), signed in through the real form with its token: without the token the answer
is 400 naming CSRF and nothing changes; with the page's token the CSRF check lets it through.
The API is exempt because it never reads the session cookie: a signed-in browser without a
bearer token gets 401 on every guarded API route, and a bearer token needs no CSRF token.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from labcert.extensions import db
from tests.factories import PASSWORD
from tests.security.bodies import JSON_REQUESTS, NOT_ACCEPTED
from tests.security.conftest import bearer, build_app
from tests.security.fingerprints import changed_tables, fingerprint
from tests.security.forms import read_forms
from tests.security.routes import Route, routes, world_values
from tests.security.world import World, fresh_objects

PAGE_POSTS = [r for r in routes(methods=frozenset({"POST"})) if not r.is_api]
API_POSTS = [r for r in routes(methods=frozenset({"POST"})) if r.is_api]
API_GUARDED = [r for r in routes(public=False) if r.is_api]


@pytest.fixture(scope="module")
def csrf_app(world_app: Flask, base_config: dict[str, Any],
             security_instance: Path) -> Iterator[Flask]:
    """Return an app with CSRF protection on, on the package's database."""
    application = build_app(base_config, security_instance, WTF_CSRF_ENABLED=True)
    yield application
    with application.app_context():
        db.engine.dispose()


def token_of(client: FlaskClient, path: str = "/login") -> str:
    """Return the CSRF token of the first form on a page that has one."""
    for form in read_forms(client.get(path).get_data(as_text=True), path):
        for field in form.fields:
            if field.name == "csrf_token" and field.value:
                return field.value
    raise AssertionError(f"no CSRF token on {path}")


def sign_in(app: Flask, world: World, route: Route) -> FlaskClient:
    """Sign in, with the login form's token, as someone the route admits."""
    client = app.test_client()
    if route.roles is not None:
        response = client.post("/login", data={"email": world.emails[route.caller()],
                                               "password": PASSWORD,
                                               "csrf_token": token_of(client)})
        assert response.status_code == 302
    return client


def test_the_login_form_carries_a_csrf_token(csrf_app: Flask) -> None:
    assert token_of(csrf_app.test_client())


@pytest.mark.parametrize("route", PAGE_POSTS, ids=str)
def test_every_page_post_without_the_csrf_token_is_refused_with_400(
        app: Flask, csrf_app: Flask, world: World, route: Route) -> None:
    client = sign_in(csrf_app, world, route)
    values = world_values(world)
    before = fingerprint()
    response = client.post(route.url(values), data={})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert changed_tables(before) == []
    with_token = client.post(route.url(values), data={"csrf_token": token_of(client, "/verify")})
    assert "CSRF" not in with_token.get_data(as_text=True), with_token.status_code


@pytest.mark.parametrize("route", API_POSTS, ids=str)
def test_the_api_takes_a_post_with_a_bearer_token_and_no_csrf_token(
        app: Flask, csrf_app: Flask, world: World, route: Route) -> None:
    scene = fresh_objects(world) if route.endpoint in JSON_REQUESTS else {}
    who, url, body = JSON_REQUESTS[route.endpoint](world, scene) \
        if route.endpoint in JSON_REQUESTS else (None, route.url(world_values(world)), None)
    who = who or route.caller()
    response = csrf_app.test_client().post(url, json=body,
                                           headers=bearer(world, who) if who else {})
    assert "CSRF" not in response.get_data(as_text=True)
    if route.endpoint in JSON_REQUESTS and route.endpoint not in NOT_ACCEPTED:
        assert response.status_code < 300, response.get_json()


@pytest.mark.parametrize("route", API_GUARDED, ids=str)
def test_a_signed_in_browser_without_a_bearer_token_gets_401_from_the_api(
        csrf_app: Flask, world: World, route: Route) -> None:
    client = sign_in(csrf_app, world, route)
    assert client.get("/home").status_code == 200  # the session cookie is there
    response = client.open(route.url(world_values(world)), method=route.method)
    assert response.status_code == 401

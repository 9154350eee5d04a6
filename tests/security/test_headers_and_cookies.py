"""Security headers on every page and API answer, inline-script-free pages, cookie flags.

Every GET route of the URL map is opened (with the world's objects, by someone it admits),
and so are error answers: each carries a CSP whose scripts come only from the site (no
'unsafe-inline'), frame-ancestors 'none', nosniff. Pages hold no inline script or event
handler, which that CSP would block. Login throttling is tested in tests/test_auth_pages.py.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from typing import Any

import pytest
from flask import Flask

from tests.factories import PASSWORD
from tests.security.conftest import bearer
from tests.security.routes import Route, routes, world_values
from tests.security.world import World

GETS = routes(methods=frozenset({"GET"}))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def policy(response: Any) -> dict[str, list[str]]:
    """Return the Content-Security-Policy as {directive: sources}."""
    directives = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    return directives


def assert_hardened(response: Any) -> None:
    """Check the headers every answer must carry."""
    csp = policy(response)
    scripts = csp.get("script-src", csp.get("default-src", []))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("object-src") == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def _open(app: Flask, world: World, browser: Any, route: Route) -> Any:
    who, url = route.caller(), route.url(world_values(world))
    if route.is_api:
        return app.test_client().get(url, headers=bearer(world, who) if who else {})
    return browser(who).get(url)


@pytest.mark.parametrize("route", GETS, ids=str)
def test_every_answer_carries_the_security_headers(
        app: Flask, world: World, browser: Any, route: Route) -> None:
    response = _open(app, world, browser, route)
    page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    response.close()  # a static file stays open until the answer is closed
    assert response.status_code in (200, 302), page[:200]
    assert_hardened(response)
    assert INLINE_SCRIPT.findall(page) == []
    assert EVENT_HANDLER.findall(page) == []


@pytest.mark.parametrize(("path", "status"), [
    ("/no-such-page", 404), ("/api/v1/no-such-thing", 404), ("/lab/applications", 302),
    ("/api/v1/me", 401), ("/api/v1/applications/999999", 401), ("/verify/LC-1999-000000", 404)])
def test_error_and_redirect_answers_carry_the_security_headers(
        app: Flask, path: str, status: int) -> None:
    response = app.test_client().get(path)
    assert response.status_code == status
    assert_hardened(response)


def _cookies(response: Any) -> dict[str, dict[str, Any]]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            found[name] = {"httponly": bool(morsel["httponly"]), "secure": bool(morsel["secure"]),
                           "samesite": morsel["samesite"]}
    return found


def test_the_session_cookie_is_httponly_and_samesite_lax(app: Flask, world: World) -> None:
    response = app.test_client().post("/login", data={"email": world.emails["maker"],
                                                      "password": PASSWORD})
    cookies = _cookies(response)
    assert "session" in cookies
    for flags in cookies.values():
        assert flags == {"httponly": True, "secure": False, "samesite": "Lax"}


def test_the_session_cookie_is_secure_when_configured(make_app: Any, world: World) -> None:
    client = make_app(SESSION_COOKIE_SECURE=True).test_client()
    response = client.post("/login", data={"email": world.emails["maker"], "password": PASSWORD},
                           base_url="https://labcert.test")
    assert _cookies(response)["session"] == {"httponly": True, "secure": True,
                                             "samesite": "Lax"}


def test_the_api_sets_no_cookie(app: Flask, world: World) -> None:
    client = app.test_client()
    assert "Set-Cookie" not in client.post("/api/v1/tokens", json={
        "email": world.emails["maker"], "password": PASSWORD}).headers
    assert "Set-Cookie" not in client.get("/api/v1/me", headers=bearer(world, "maker")).headers

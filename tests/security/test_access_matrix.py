"""Role x route x object matrix generated from the app's URL map, so a new route is covered by itself.

Every endpoint declares who may call it (labcert.access.allow/public). For each endpoint and
method: anonymous → sign-in redirect on pages and 401 on the API; a role not declared → 403.
Routes that take an object (application, certificate, result, token, ...) are called with the
first manufacturer's real objects (tests/security/routes.py maps each URL parameter to one):
another organization gets 404, never 403 (existence is not revealed), and changes nothing;
the owner and the staff who may call the route are not refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from labcert.access import UNDECLARED, declared_roles
from labcert.models import ROLES
from tests.security.conftest import bearer
from tests.security.routes import (
    MISSING,
    OBJECTS,
    OWNED,
    PERSONAL,
    ROUTES,
    Route,
    routes,
    world_values,
)
from tests.security.world import ROLE_USER, World, changed_tables, fingerprint

GUARDED = routes(public=False)
REFUSED = [(route, role) for route in GUARDED for role in ROLES if role not in route.roles]
# Users outside the first manufacturer: another manufacturer, and an exporter.
OUTSIDERS = {"other_maker": "manufacturer", "exporter": "exporter"}
STRANGERS = [(route, who) for route in routes(public=False, with_params=True)
             for who, role in OUTSIDERS.items()
             if role in route.roles and (OWNED & set(route.params) or route.endpoint in PERSONAL)]
STRANGERS += [(route, who) for route in routes(public=False, with_params=True)
              if route.endpoint in PERSONAL
              for who, role in ROLE_USER.items() if role in route.roles and who != "maker"]
INSIDERS = [(route, role) for route in routes(public=False, with_params=True)
            for role in sorted(route.roles)
            if route.endpoint not in PERSONAL or role == "manufacturer"]


def call(client: Any, world: World, route: Route, who: str | None,
         values: dict[str, object], *, json: bool = False) -> Any:
    """Call a route as `who` (None: anonymous): bearer token on the API, session on pages.

    With `json`, an API POST carries an empty JSON object, as a client's first try would.
    """
    url = route.url(values)
    if route.is_api:
        headers = bearer(world, who) if who else {}
        body = {"json": {}} if json and route.method == "POST" else {}
        return client.open(url, method=route.method, headers=headers, **body)
    return client.open(url, method=route.method)


def test_every_route_declares_who_may_call_it(app: Flask) -> None:
    undeclared = [endpoint for endpoint, view in app.view_functions.items()
                  if declared_roles(view, endpoint) is UNDECLARED]
    assert undeclared == [], f"declare roles with labcert.access.allow/public: {undeclared}"


def test_every_url_parameter_has_a_value_in_the_world() -> None:
    unknown = {f"{route}: {param}" for route in ROUTES for param in route.params
               if param not in OBJECTS or param not in MISSING}
    assert unknown == set(), "add the parameter to OBJECTS and MISSING in tests/security/routes.py"


@pytest.mark.parametrize("route", GUARDED, ids=str)
def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(
        browser: Any, world: World, route: Route) -> None:
    response = call(browser(None), world, route, None, world_values(world))
    if route.is_api:
        assert response.status_code == 401
        assert response.get_json()["error"] == "Unauthorized"
    else:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("route", "role"), REFUSED, ids=str)
def test_roles_not_declared_for_a_route_get_403_even_on_a_real_object(
        browser: Any, world: World, route: Route, role: str) -> None:
    who = ROLE_USER[role]
    response = call(browser(None if route.is_api else who), world, route, who,
                    world_values(world))
    assert response.status_code == 403
    if route.is_api:
        assert response.get_json()["error"] == "Forbidden"


@pytest.mark.parametrize(("route", "who"), STRANGERS, ids=str)
def test_another_organization_gets_404_for_the_first_manufacturers_objects(
        browser: Any, world: World, route: Route, who: str) -> None:
    client = browser(None if route.is_api else who)
    before = fingerprint()
    response = call(client, world, route, who, world_values(world))
    missing = call(client, world, route, who, {**world_values(world), **MISSING})
    assert response.status_code == 404, response.get_data(as_text=True)[:300]
    assert missing.status_code == 404
    if route.is_api:
        assert set(response.get_json()) == {"error", "message", "details"}
    assert changed_tables(before) == []


@pytest.mark.parametrize(("route", "role"), INSIDERS, ids=str)
def test_the_owner_and_the_staff_declared_for_a_route_reach_the_objects(
        browser: Any, world: World, route: Route, role: str) -> None:
    who = ROLE_USER[role]
    response = call(browser(None if route.is_api else who), world, route, who,
                    world_values(world), json=True)
    assert response.status_code < 500
    assert response.status_code not in (401, 403, 404), response.get_data(as_text=True)[:300]

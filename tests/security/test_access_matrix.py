"""Role x route x object matrix from the app's URL map, so a new route is covered by itself.

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
from tests.security.bodies import JSON_REQUESTS
from tests.security.conftest import bearer
from tests.security.fingerprints import changed_tables, fingerprint
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
from tests.security.world import (
    ROLE_USER,
    World,
    clone_certificate,
    fresh_objects,
)

GUARDED = routes(public=False)
REFUSED = [(route, role) for route in GUARDED for role in ROLES if role not in route.roles]
# Users outside the first manufacturer: another manufacturer, and an exporter.
OUTSIDERS = {"other_maker": "manufacturer", "exporter": "exporter"}
# On one's own things, the lab's staff are outsiders too; an administrator may act on anyone's.
NOT_THE_OWNER = {**{who: role for role, who in ROLE_USER.items()
                    if role not in ("manufacturer", "admin")}, **OUTSIDERS}



def _strangers() -> list[tuple[Route, str]]:
    cases = []
    for route in routes(public=False, with_params=True):
        people = NOT_THE_OWNER if route.endpoint in PERSONAL else \
            OUTSIDERS if OWNED & set(route.params) else {}
        cases += [(route, who) for who, role in people.items() if role in route.roles]
    return cases


def _insiders() -> list[Any]:
    cases = []
    for route in routes(public=False, with_params=True):
        for role in sorted(route.roles):
            if route.endpoint in PERSONAL and role not in ("manufacturer", "admin"):
                continue
            cases.append(pytest.param(route, role, id=f"{route}-{role}"))
    return cases


STRANGERS = _strangers()


@pytest.fixture
def bodies(world_app: Flask, world: World, worlds: dict[str, Any]) -> dict[str, Any]:
    """Return a valid JSON body for each API endpoint (the ownership check, not the body
    check, must be what answers); made once per world."""
    key = f"bodies of {world.certificate} {world.user_ids['admin']}"
    if key not in worlds:
        with world_app.app_context():
            scene = fresh_objects(world)
            worlds[key] = {e: build(world, scene)[2] for e, build in JSON_REQUESTS.items()}
    return worlds[key]


def call(client: Any, world: World, route: Route, who: str | None,
         values: dict[str, object], body: Any = None) -> Any:
    """Call a route as `who` (None: anonymous): bearer token on the API, session on pages."""
    url = route.url(values)
    if route.is_api:
        headers = bearer(world, who) if who else {}
        kwargs = {"json": body} if body is not None else {}
        return client.open(url, method=route.method, headers=headers, **kwargs)
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
def test_roles_not_declared_for_a_route_get_403_whether_the_object_exists_or_not(
        browser: Any, world: World, route: Route, role: str) -> None:
    who = ROLE_USER[role]
    client = browser(None if route.is_api else who)
    response = call(client, world, route, who, world_values(world))
    assert response.status_code == 403
    if route.is_api:
        assert response.get_json()["error"] == "Forbidden"
    if route.params:  # the same answer for an object that does not exist: nothing revealed
        missing = call(client, world, route, who, {**world_values(world), **MISSING})
        assert missing.status_code == 403


@pytest.mark.parametrize(("route", "who"), STRANGERS, ids=str)
def test_another_organization_gets_404_for_the_first_manufacturers_objects(
        browser: Any, world: World, bodies: dict[str, Any], route: Route, who: str) -> None:
    client, body = browser(None if route.is_api else who), bodies.get(route.endpoint)
    before = fingerprint()
    response = call(client, world, route, who, world_values(world), body)
    missing = call(client, world, route, who, {**world_values(world), **MISSING}, body)
    assert response.status_code == 404, response.get_data(as_text=True)[:300]
    assert missing.status_code == 404
    if route.is_api:
        assert set(response.get_json()) == {"error", "message", "details"}
    assert changed_tables(before) == []


@pytest.mark.usefixtures("quick_amendments")
@pytest.mark.parametrize(("route", "role"), _insiders())
def test_the_owner_and_the_staff_declared_for_a_route_reach_the_objects(
        browser: Any, world: World, bodies: dict[str, Any], route: Route, role: str) -> None:
    who, values = ROLE_USER[role], world_values(world)
    if route.method == "POST" and "number" in route.params:  # a decision uses it up
        values["number"] = clone_certificate(world.certificate)
    response = call(browser(None if route.is_api else who), world, route, who, values,
                    bodies.get(route.endpoint, {}) if route.method == "POST" else None)
    assert response.status_code < 500
    assert response.status_code not in (401, 403, 404), response.get_data(as_text=True)[:300]

"""Role x route matrix generated from the app's URL map, so a new route is covered by itself.

Every endpoint must declare who may call it (labcert.access.allow/public). For each
endpoint and method: anonymous → sign-in redirect on pages and 401 on the API; a role not
declared → 403. Objects of another organization → 404 is checked where routes take
object identifiers (see OWNED_URL_VALUES).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from labcert import create_app
from labcert.access import UNDECLARED, declared_roles
from labcert.models import ROLES
from tests.factories import make_user

SKIP_METHODS = {"HEAD", "OPTIONS"}


def _cases() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Return (method, rule) pairs that need sign-in and (method, rule, role) pairs to refuse."""
    app = create_app({"SECRET_KEY": "matrix", "DATABASE_URL": "sqlite://"})
    guarded, refused = [], []
    for rule in app.url_map.iter_rules():
        roles = declared_roles(app.view_functions[rule.endpoint], rule.endpoint)
        if roles is None or roles is UNDECLARED:
            continue
        for method in sorted((rule.methods or set()) - SKIP_METHODS):
            guarded.append((method, rule.rule))
            refused += [(method, rule.rule, role) for role in ROLES if role not in roles]
    return guarded, refused


GUARDED, REFUSED = _cases()


def _url(rule: str, values: dict[str, Any]) -> str:
    for part in rule.split("<")[1:]:
        converter = part.split(">")[0]
        rule = rule.replace(f"<{converter}>", str(values.get(converter.split(":")[-1], "999999")))
    return rule


def test_every_route_declares_who_may_call_it(app: Flask) -> None:
    undeclared = [endpoint for endpoint, view in app.view_functions.items()
                  if declared_roles(view, endpoint) is UNDECLARED]
    assert undeclared == [], f"declare roles with labcert.access.allow/public: {undeclared}"


@pytest.mark.parametrize(("method", "rule"), GUARDED)
def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(
        client: Any, method: str, rule: str) -> None:
    response = client.open(_url(rule, {}), method=method)
    if rule.startswith("/api/"):
        assert response.status_code == 401
        assert response.get_json()["error"] == "Unauthorized"
    else:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "rule", "role"), REFUSED)
def test_roles_not_declared_for_a_route_get_403(
        client: Any, api: Any, auth: Any, method: str, rule: str, role: str) -> None:
    if rule.startswith("/api/"):
        caller = api(make_user(role=role))
        response = client.open(_url(rule, {}), method=method,
                               headers={"Authorization": f"Bearer {caller.token}"})
        assert response.status_code == 403
        assert response.get_json()["error"] == "Forbidden"
    else:
        auth.login_as(role)
        response = client.open(_url(rule, {}), method=method)
        assert response.status_code == 403

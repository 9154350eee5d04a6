"""The app's routes read from its URL map, and the world's value for every URL parameter."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from labcert import create_app
from labcert.access import UNDECLARED, declared_roles
from tests.security.world import ROLE_USER, World

SKIP_METHODS = frozenset({"HEAD", "OPTIONS"})
# Whose role calls a route when several may: the lab's staff first.
PREFERRED = ("technician", "reviewer", "admin", "manufacturer", "exporter")


@dataclass(frozen=True)
class Route:
    """One method of one URL rule, with the roles its view declares (None: public)."""

    endpoint: str
    rule: str
    method: str
    roles: frozenset[str] | None  # an undeclared view counts as open to nobody
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        """Tell whether the route belongs to the JSON API."""
        return self.rule.startswith("/api/")

    def caller(self) -> str | None:
        """Return the world user who calls the route: staff first, anonymous if public."""
        if self.roles is None:
            return None
        return ROLE_USER[next(r for r in PREFERRED if r in self.roles)]

    def url(self, values: dict[str, object]) -> str:
        """Return the path with each <converter:param> replaced by its value."""
        path = self.rule
        for part in self.rule.split("<")[1:]:
            converter = part.split(">")[0]
            path = path.replace(f"<{converter}>", str(values[converter.split(":")[-1]]))
        return path

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def _read_routes() -> list[Route]:
    """Read every route of a throwaway app (the URL map needs no database)."""
    app = create_app({"SECRET_KEY": "routes", "DATABASE_URL": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        roles = declared_roles(app.view_functions[rule.endpoint], rule.endpoint)
        for method in sorted((rule.methods or set()) - SKIP_METHODS):
            found.append(Route(rule.endpoint, rule.rule, method,
                               frozenset() if roles is UNDECLARED else roles,  # type: ignore[arg-type]
                               tuple(sorted(rule.arguments))))
    return sorted(found, key=lambda r: (r.rule, r.method))


ROUTES = _read_routes()

# The first manufacturer's objects (and the public ones) for each URL parameter. A new
# parameter must be added here: test_every_url_parameter_has_a_value_in_the_world fails until
# it is, so no route escapes the object matrix.
OBJECTS: dict[str, Callable[[World], object]] = {
    "application_id": lambda w: w.application_id,
    "number": lambda w: w.certificate,
    "result_id": lambda w: w.result_id,
    "token_id": lambda w: w.spare_token_ids["maker"],
    "user_id": lambda w: w.user_ids["spare"],
    "organization_id": lambda w: w.maker_org_id,
    "instrument_id": lambda w: w.instrument_id,
    "ref": lambda w: "pk-pta",
    "filename": lambda w: "css/labcert.css",
    "identifier": lambda w: "suspension-1",
    "name": lambda w: "labcert-dcc-v1.jsonld",
    "watched": lambda w: w.certificate,  # a certificate number, public: not an owned object
    "code": lambda w: "ur",  # a language of the switch on every page
}
# Values that name nothing.
MISSING: dict[str, object] = {
    "application_id": 999999, "number": "LC-1999-999999", "result_id": 999999,
    "token_id": 999999, "user_id": 999999, "organization_id": 999999, "instrument_id": 999999,
    "ref": "xx-none", "filename": "css/none.css", "identifier": "suspension-999",
    "name": "none.jsonld", "watched": "LC-1999-999999", "code": "xx",
}
# Parameters naming something the first manufacturer (or its user) owns: nobody outside may
# learn that it exists.
OWNED = frozenset({"application_id", "number", "result_id", "token_id", "user_id",
                   "organization_id"})
# Routes on one's own things (API tokens): everyone but their user gets 404 (an
# administrator may act on anyone's, by design).
PERSONAL = frozenset({"account.revoke_token"})


def api_route(method: str, path: str) -> Route:
    """Return the route of an OpenAPI operation ('/api/v1/applications/{application_id}')."""
    return next(r for r in ROUTES if r.method == method.upper() and r.is_api and
                re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) == path)


def world_values(world: World) -> dict[str, object]:
    """Return the world's value of every known parameter."""
    return {name: value(world) for name, value in OBJECTS.items()}


def routes(*, public: bool | None = None, with_params: bool | None = None,
           methods: frozenset[str] | None = None) -> list[Route]:
    """Select routes: public or guarded, with or without URL parameters, by method."""
    return [r for r in ROUTES
            if (public is None or (r.roles is None) == public)
            and (with_params is None or bool(r.params) == with_params)
            and (methods is None or r.method in methods)]

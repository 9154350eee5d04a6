"""Hostile strings in every text field of every form of the pages, found by reading the pages.

The forms are found as a browser finds them: every page of the URL map is opened, for each
state of the objects it shows and as each role it declares, and its forms are read. Each text
field (hidden ones too) then gets each probe while the other fields hold valid values: the
answer is a clear 4xx that stores nothing, or a 2xx/3xx that keeps the string inert (never
rendered as markup, also on the pages shown afterwards). A page route that takes a POST but
whose form cannot be found fails the coverage test, so a new form is probed by itself.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from tests.factories import PASSWORD
from tests.security.bodies import results_csv
from tests.security.conftest import current_world, signed_in
from tests.security.forms import Form, read_forms
from tests.security.probes import Verdicts, probe_params
from tests.security.routes import Route, routes
from tests.security.world import (
    ROLE_USER,
    World,
    application_in_testing,
    clone_certificate,
    fresh_objects,
    new_imei,
)
from tests.workflow.conftest import example

PAGE_POSTS = sorted({r.endpoint for r in routes(methods=frozenset({"POST"})) if not r.is_api})
PAGE_GETS = [r for r in routes(methods=frozenset({"GET"})) if not r.is_api
             and r.endpoint != "static"]
# The approve form's only field is the version it was rendered with: any probe there lets the
# approval through without the optimistic check, which issues certificates (seconds each).
# The API's approve (an integer version) is probed in test_injection_api.py.
NOT_PROBED = frozenset({"review.approve_application"})
_unique = itertools.count(1)


def valid_values() -> dict[str, str]:
    """Return what a careful person types into each field when it is not the probed one."""
    n = next(_unique)
    tac = example().product.tacs[0]
    return {"email": f"probe{n}@example.test", "name": f"Probe {n}", "brand": "Probe",
            "model": f"PR-{n}", "tacs": tac, "bands": "GSM900", "imei": new_imei(tac),
            "serial": f"SN{n}", "condition": "sealed", "asset_tag": f"PRB-{n}",
            "received_at": (date.today() - timedelta(days=1)).isoformat(),
            "calibrated_at": (date.today() - timedelta(days=10)).isoformat(),
            "calibration_due": (date.today() + timedelta(days=300)).isoformat(),
            "reason": "probe reason", "reasons": "probe reason", "address": "1 Probe Road",
            "country": "PK", "current_password": PASSWORD, "password": "probe password 1",
            "new_password": "probe password 1", "confirm": "probe password 2",
            "value": "10", "uncertainty": "1", "marketing_name": "Probe"}


def _match(app: Flask, form: Form) -> str | None:
    try:
        endpoint, _ = app.url_map.bind("labcert.test").match(
            urlsplit(form.action).path, method=form.method.upper())
    except HTTPException:
        return None
    return endpoint


@dataclass(frozen=True)
class Spot:
    """Where a form is found: its endpoint and fields, on which page, in which state, by whom."""

    endpoint: str
    method: str
    fields: tuple[str, ...]
    page: Route | None  # None: the CSV preview, shown only after an upload
    state: str
    who: str | None
    query: str = ""

    def finds(self, app: Flask, form: Form) -> bool:
        """Tell whether `form` is this spot's form (a page may hold several per address)."""
        return (_match(app, form), form.method, tuple(form.text_fields())) == \
            (self.endpoint, self.method, self.fields)

    def uses_up(self) -> bool:
        """Tell whether a probe that passes uses the object up (a decision on it)."""
        return self.state == "submitted" or (self.page is not None
                                             and "number" in self.page.params)


SPECIAL = [Spot("lab.confirm_csv", "post", ("payload", "filename"), None, "testing",
                "technician"),
           # Buttons without a typed field, shown on an impact page only once an analysis has
           # found affected certificates (the world's are unaffected): nothing to probe but the
           # CSRF token, which tests/security/test_csrf.py covers for every POST route.
           Spot("criteria.impact_publish", "post", (), None, "approved", "reviewer"),
           Spot("criteria.impact_follow_up", "post", (), None, "approved", "technician")]


def _page(client: FlaskClient, url: str) -> str | None:
    response = client.get(url)
    return response.get_data(as_text=True) if response.status_code == 200 \
        and response.mimetype == "text/html" else None


def _forms_at(app: Flask, client: FlaskClient, url: str) -> list[tuple[str, Form, str]]:
    """Return (endpoint, form, query) of a page's forms and of the pages its GET forms open."""
    found = []
    for form in read_forms(_page(client, url) or "", url):
        endpoint = _match(app, form)
        if endpoint is None:
            continue
        found.append((endpoint, form, ""))
        if form.method == "get":
            query = urlencode(form.data(), doseq=True)
            follow = _page(client, f"{urlsplit(form.action).path}?{query}") or ""
            found += [(e, f, query) for f in read_forms(follow, url)
                      if f.method == "post" and (e := _match(app, f))]
    return found


@pytest.fixture(scope="module")
def spots(world_app: Flask, worlds: dict[str, Any]) -> list[Spot]:
    """Find, once, where each form is: which page, in which state, as whom (no ids kept)."""
    found: dict[tuple[str, str, tuple[str, ...]], Spot] = {}
    world = current_world(world_app, worlds)
    with world_app.app_context():
        scene = fresh_objects(world)
        clients = {who: signed_in(world_app, world, who) for who in {None, *ROLE_USER.values()}}
        for route in PAGE_GETS:
            states = {state: values for state, values in scene.items() if state == "approved"
                      or any(values[p] != scene["approved"][p] for p in route.params)}
            people = [None] if route.roles is None else [ROLE_USER[r] for r in sorted(route.roles)]
            for (state, values), who in itertools.product(states.items(), people):
                for endpoint, form, query in _forms_at(world_app, clients[who], route.url(values)):
                    key = (endpoint, form.method, tuple(form.text_fields()))
                    found.setdefault(key, Spot(*key, route, state, who, query))
    return [*found.values(), *SPECIAL]


def test_every_page_form_is_found_by_reading_the_pages(spots: list[Spot]) -> None:
    missing = set(PAGE_POSTS) - {s.endpoint for s in spots if s.method == "post"}
    assert missing == set(), f"no page shows a form for {missing}: add a Spot to SPECIAL"


def _form(app: Flask, world: World, client: FlaskClient, spot: Spot,
          values: dict[str, object]) -> Form:
    """Open the spot's page and return its form, on new objects if a probe uses them up."""
    if spot.page is not None and "number" in spot.page.params:
        values = {**values, "number": clone_certificate(world.certificate)}
    if spot.state == "submitted":
        values = {**values, "application_id": application_in_testing(world, submit=True)}
    elif spot.state == "draft" and spot.page is not None and \
            "application_id" in spot.page.params:
        # another spot's probe may cancel the draft, and entry pages close once it is not
        # editable: each spot gets a draft of its own
        values = {**values, "application_id": world.lab().open().id}
    if spot.page is None:
        url = f"/lab/applications/{values['application_id']}/import"
        header, row = results_csv(world, values['application_id'])
        html = client.post(url, data={"file": (io.BytesIO(
            f"{','.join(header)}\n{','.join(row)}\n".encode()), "rig.csv", "text/csv")}
        ).get_data(as_text=True)
    else:
        url = spot.page.url(values) + (f"?{spot.query}" if spot.query else "")
        html = _page(client, url) or ""
    forms = [f for f in read_forms(html, url) if spot.finds(app, f)]
    assert forms, f"the form of {spot.endpoint} is gone from {url}"
    return forms[0]


@pytest.mark.usefixtures("quick_amendments")
@pytest.mark.parametrize("probe", probe_params())
def test_every_form_field_answers_a_probe_without_error_or_stored_markup(
        app: Flask, world: World, browser: Any, spots: list[Spot], probe: str) -> None:
    scene = fresh_objects(world)
    clients = {who: browser(who) for who in {None, *ROLE_USER.values()}}
    verdicts = Verdicts()
    led_to: dict[tuple[str | None, str], str] = {}
    for spot in spots:
        if spot.endpoint in NOT_PROBED:
            continue
        client, form = clients[spot.who], None
        for name in spot.fields:
            if form is None or spot.uses_up():
                form = _form(app, world, client, spot, scene[spot.state])
            verdicts.restart()
            data = form.data(valid_values())
            data[name] = [probe]
            where = f"{form.method.upper()} {spot.endpoint} field {name!r}"
            path = urlsplit(form.action).path
            response = client.get(path, query_string=data) if form.method == "get" \
                else client.post(path, data=data)
            verdicts.judge(where, response)
            if 300 <= response.status_code < 400:
                led_to[spot.who, response.headers["Location"]] = where
    for (who, location), where in led_to.items():  # the pages that show what was stored
        verdicts.judge(f"{where}: the page it led to, at the end", clients[who].get(location))
    assert not verdicts.problems, "\n".join(verdicts.problems)

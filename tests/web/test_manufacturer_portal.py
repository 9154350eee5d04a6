"""The manufacturer portal: own applications read-only, drafts of their own, nothing of others."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from labcert import create_app
from labcert.access import declared_roles
from labcert.extensions import db
from labcert.models import Application, TestResult
from labcert.services.review import reject
from tests.factories import make_user
from tests.web.conftest import (
    TAC,
    make_application,
    make_submitted_application,
    make_tested_application,
    text,
)


def _owned_routes() -> list[tuple[str, str, bool]]:
    """Return (method, rule, manufacturer may call it) for every page that takes an object id."""
    app = create_app({"SECRET_KEY": "portal", "DATABASE_URL": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("lab.", "review.")) or "_id>" not in rule.rule:
            continue
        roles = declared_roles(app.view_functions[rule.endpoint], rule.endpoint)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, rule.rule, "manufacturer" in roles))
    return routes


OWNED = _owned_routes()


def _url(rule: str, application: Application, result_id: int) -> str:
    return (rule.replace("<int:application_id>", str(application.id))
            .replace("<int:result_id>", str(result_id)).replace("<int:instrument_id>", "1"))


@pytest.mark.parametrize(("method", "rule", "allowed"), OWNED)
def test_another_manufacturers_application_is_not_found_through_every_page(
        client, sign_in, method: str, rule: str, allowed: bool) -> None:
    application = make_tested_application()
    result_id = db.session.scalars(select(TestResult.id)).first()
    sign_in.new("manufacturer")
    response = client.open(_url(rule, application, result_id), method=method,
                           data={"reason": "x"})
    assert response.status_code == (404 if allowed else 403)
    assert application.number not in text(response)


def test_a_manufacturer_lists_only_its_own_applications(client, sign_in) -> None:
    user = make_user("manufacturer")
    own = make_application(manufacturer=user.organization)
    other = make_application()
    sign_in(user)
    for url in ("/lab/applications", "/home"):
        page = text(client.get(url))
        assert own.number in page and other.number not in page


def test_a_manufacturer_sees_its_application_read_only(client, sign_in) -> None:
    user = make_user("manufacturer")
    application = make_tested_application(manufacturer=user.organization)
    sign_in(user)
    page = text(client.get(f"/lab/applications/{application.id}"))
    assert "badge-pass" in page and "Live evaluation" in page
    for action in ("Enter a result", "Import CSV", "Add a sample", "Submit for review",
                   "/correct", "Cancel this application"):
        assert action not in page
    assert client.post(f"/lab/applications/{application.id}/submit").status_code == 403


def test_a_manufacturer_sees_the_reasons_of_a_rejection(client, sign_in) -> None:
    user = make_user("manufacturer")
    application = make_submitted_application(manufacturer=user.organization)
    reject(make_user("reviewer"), application.id, ["The SAR report is not signed."])
    sign_in(user)
    page = text(client.get(f"/lab/applications/{application.id}"))
    assert "Review decisions" in page and "The SAR report is not signed." in page


def test_a_manufacturer_opens_a_draft_for_itself_without_choosing_a_manufacturer(
        client, sign_in) -> None:
    user = sign_in.new("manufacturer")
    page = text(client.get("/lab/applications/new"))
    assert 'name="manufacturer"' not in page
    response = client.post("/lab/applications/new", data={
        "brand": "Air Link", "model": "AL-1", "category": "smartphone", "tacs": TAC,
        "markets": ["eaeu"], "manufacturer": "999"})
    assert response.status_code == 302
    application = db.session.scalars(select(Application)).one()
    assert application.manufacturer_id == user.organization_id
    assert application.state == "draft"


def test_a_manufacturer_may_cancel_its_draft_but_not_one_under_test(client, sign_in) -> None:
    user = make_user("manufacturer")
    draft = make_application(manufacturer=user.organization)
    tested = make_tested_application(manufacturer=user.organization)
    sign_in(user)
    assert "Cancel this application" in text(client.get(f"/lab/applications/{draft.id}"))
    response = client.post(f"/lab/applications/{draft.id}/cancel",
                           data={"reason": "Model discontinued."})
    assert response.status_code == 302
    assert db.session.get(Application, draft.id).state == "cancelled"
    response = client.post(f"/lab/applications/{tested.id}/cancel", data={"reason": "No."})
    assert response.status_code == 409
    assert "it is testing" in response.get_data(as_text=True)
    assert db.session.get(Application, tested.id).state == "testing"


def test_the_portal_routes_cover_the_lab_pages(app: Flask) -> None:
    endpoints = {rule for _, rule, _ in OWNED}
    assert "/lab/applications/<int:application_id>" in endpoints
    assert "/review/applications/<int:application_id>/approve" in endpoints

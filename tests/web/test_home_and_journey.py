"""Home pages per role, and a technician's way from an empty lab to a submitted application."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application
from tests.factories import make_instrument, make_organization, make_user
from tests.web.conftest import (
    EAEU_PASSING,
    TAC,
    make_application,
    make_submitted_application,
    make_tested_application,
    new_imei,
    text,
)


def test_the_technicians_home_lists_applications_in_progress(client, sign_in) -> None:
    technician = sign_in.new("technician")
    draft = make_application(technician)
    tested = make_tested_application(technician)
    submitted = make_submitted_application(technician)
    page = text(client.get("/home"))
    assert draft.number in page and tested.number in page
    assert submitted.number not in page
    assert 'href="/lab/applications/new"' in page


def test_the_manufacturers_home_lists_its_own_applications(client, sign_in) -> None:
    user = make_user("manufacturer")
    own = make_submitted_application(manufacturer=user.organization)
    other = make_submitted_application()
    sign_in(user)
    page = text(client.get("/home"))
    assert own.number in page and other.number not in page
    assert "badge-submitted" in page


def test_the_reviewers_home_links_into_the_review_page(client, sign_in) -> None:
    application = make_submitted_application()
    sign_in.new("reviewer")
    page = text(client.get("/home"))
    assert f'href="/review/applications/{application.id}"' in page


def test_a_technician_goes_from_an_empty_lab_to_a_submitted_application(
        client, sign_in) -> None:
    maker = make_organization(name="Air Link Communication Ltd")
    make_instrument(asset_tag="XRF-01")
    sign_in.new("technician")
    home = text(client.get("/home"))
    assert "New application" in home
    response = client.post("/lab/applications/new", data={
        "manufacturer": str(maker.id), "brand": "Air Link", "model": "AL-4G", "category":
        "smartphone", "technologies": ["gsm", "lte"], "tacs": TAC, "markets": ["eaeu"]})
    detail = response.headers["Location"]
    assert "Register the devices you received" in text(client.get(detail))
    application = db.session.scalars(select(Application)).one()
    imei = new_imei()
    client.post(f"/lab/applications/{application.id}/samples/new",
                data={"imei": imei, "received_at": date.today().isoformat()})
    assert "Enter the results" in text(client.get(detail))
    when = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    for item in EAEU_PASSING:
        form = {"test": item["test"], "sample": imei, "tested_at": when, "next": "another",
                **{f"cond_{k}": v for k, v in item["conditions"].items()},
                **{k: v for k, v in item.items() if k not in ("test", "conditions")}}
        if "value" in item:
            form.update({"k": "2", "instrument": "XRF-01"})
        response = client.post(f"/lab/applications/{application.id}/results/new", data=form)
        assert response.status_code == 302, re.findall(r"<li>(.*?)</li>", text(response))
    page = text(client.get(detail))
    assert "Every market is evaluated. Submit the application for review." in page
    response = client.post(f"/lab/applications/{application.id}/submit")
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == "submitted"

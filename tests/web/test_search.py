"""Search and pages on applications, certificates and the review queue (API and pages)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import approve, make_organization, make_user
from tests.web.conftest import (
    make_application,
    make_sample,
    make_submitted_application,
    new_imei,
    text,
)


@pytest.fixture
def seven(app):
    """Seven applications of two manufacturers; the fourth has a known IMEI and TAC."""
    technician = make_user("technician")
    acme = make_organization(name="Acme Phones", kind="manufacturer")
    other = make_organization(name="Zephyr Mobile", kind="manufacturer")
    rows = []
    for n in range(7):
        rows.append(make_application(technician, manufacturer=acme if n % 2 else other,
                                     brand="Orion" if n == 3 else "Indus",
                                     model=f"OR-{n}" if n == 3 else f"IN-{n}",
                                     tacs=["86459205"] if n == 3 else ["35840212"],
                                     markets=["eu-red"] if n == 5 else ["eaeu"]))
    imei = new_imei("86459205")
    make_sample(rows[3], technician, imei)
    return {"rows": rows, "imei": imei, "acme": acme, "technician": technician}


def listing(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_pages_are_stable_with_an_exact_total(seven, api) -> None:
    client = api(role="reviewer")
    seen = []
    for page in (1, 2, 3):
        body = listing(client, f"/api/v1/applications?per_page=3&page={page}")
        assert (body["total"], body["page"], body["per_page"]) == (7, page, 3)
        seen += [item["id"] for item in body["items"]]
    assert seen == sorted((a.id for a in seven["rows"]), reverse=True)  # newest first, no repeat
    again = listing(client, "/api/v1/applications?per_page=3&page=2")["items"]
    assert [i["id"] for i in again] == seen[3:6]
    beyond = listing(client, "/api/v1/applications?per_page=3&page=9")
    assert beyond["items"] == [] and beyond["total"] == 7


@pytest.mark.parametrize("per_page", ["0", "101", "1000", "x"])
def test_per_page_is_bounded_and_named(seven, api, per_page) -> None:
    response = api(role="reviewer").get(f"/api/v1/applications?per_page={per_page}")
    assert response.status_code == 422
    assert "per_page" in response.get_data(as_text=True)


def test_per_page_100_is_allowed(seven, api) -> None:
    assert listing(api(role="reviewer"), "/api/v1/applications?per_page=100")["per_page"] == 100


@pytest.mark.parametrize("q, index", [("OR-3", 3), ("orion", 3), ("864592", 3),
                                      ("86459205", 3), ("IMEI", None)])
def test_q_matches_model_brand_tac_and_imei(seven, api, q, index) -> None:
    body = listing(api(role="reviewer"), f"/api/v1/applications?q={q}")
    expected = [] if index is None else [seven["rows"][index].id]
    assert [i["id"] for i in body["items"]] == expected
    assert body["total"] == len(expected)


def test_q_finds_an_application_by_imei_number_and_manufacturer(seven, api) -> None:
    client = api(role="reviewer")
    wanted = seven["rows"][3]
    by_imei = listing(client, f"/api/v1/applications?q={seven['imei']}")
    assert [i["number"] for i in by_imei["items"]] == [wanted.number]
    spaced = seven["imei"][:8] + " " + seven["imei"][8:]
    assert listing(client, f"/api/v1/applications?q={spaced}")["total"] == 1
    assert listing(client, f"/api/v1/applications?q={wanted.number.lower()}")["total"] == 1
    assert listing(client, "/api/v1/applications?q=acme")["total"] == 3
    assert listing(client, "/api/v1/applications?q=100%25")["total"] == 0  # % is literal


def test_state_and_market_filter(seven, api) -> None:
    client = api(role="reviewer")
    assert listing(client, "/api/v1/applications?state=testing")["total"] == 1
    assert listing(client, "/api/v1/applications?state=draft&market=eu-red")["total"] == 1
    assert listing(client, "/api/v1/applications?market=eaeu&q=acme")["total"] == 2
    response = client.get("/api/v1/applications?state=finished")
    assert response.status_code == 422 and "state" in response.get_data(as_text=True)


def test_a_manufacturer_searches_only_its_own(seven, api) -> None:
    maker = make_user("manufacturer", organization=seven["acme"])
    body = listing(api(maker), "/api/v1/applications?q=in-")
    assert [i["id"] for i in body["items"]] == [seven["rows"][5].id, seven["rows"][1].id]
    assert listing(api(maker), "/api/v1/applications")["total"] == 3
    assert listing(api(maker), f"/api/v1/applications?q={seven['imei']}")["total"] == 1
    stranger = make_user("manufacturer")
    assert listing(api(stranger), f"/api/v1/applications?q={seven['imei']}")["total"] == 0


@pytest.fixture
def two_certificates(app):
    """Two approved applications for different models, each with an eaeu certificate."""
    reviewer = make_user("reviewer")
    holder = make_organization(name="Karakoram Devices", kind="manufacturer")
    first = make_submitted_application(manufacturer=holder, brand="Karak", model="K2 Summit")
    second = make_submitted_application(brand="Indus", model="Valley 9")
    certificates = [approve(reviewer, a.id).certificates[0] for a in (first, second)]
    return {"applications": (first, second), "certificates": certificates}


def test_certificates_search_by_model_holder_status_market_and_date(two_certificates,
                                                                   api) -> None:
    client = api(role="reviewer")
    first, second = two_certificates["certificates"]
    assert [c["number"] for c in listing(client, "/api/v1/certificates?q=summit")["items"]] \
        == [first.number]
    assert listing(client, "/api/v1/certificates?q=karakoram")["total"] == 1
    assert listing(client, f"/api/v1/certificates?q={second.number}")["total"] == 1
    everything = listing(client, "/api/v1/certificates?per_page=1")
    assert everything["total"] == 2 and everything["items"][0]["number"] == second.number
    assert listing(client, "/api/v1/certificates?status=valid&market=eaeu")["total"] == 2
    assert listing(client, "/api/v1/certificates?status=suspended")["total"] == 0
    assert listing(client, "/api/v1/certificates?market=pk-pta")["total"] == 0
    today = date.today()
    tomorrow = today + timedelta(days=1)
    assert listing(client, f"/api/v1/certificates?issued_from={today}&issued_to={today}"
                   )["total"] == 2
    assert listing(client, f"/api/v1/certificates?issued_from={tomorrow}")["total"] == 0
    assert client.get("/api/v1/certificates?status=lost").status_code == 422


def test_the_pages_search_and_keep_the_filters_in_the_pager(seven, sign_in, client) -> None:
    sign_in.new("reviewer")
    wanted = seven["rows"][3]
    page = text(client.get(f"/lab/applications?q={seven['imei']}"))
    assert wanted.number in page and seven["rows"][0].number not in page
    assert "1\u20131 of 1" in page
    paged = client.get("/lab/applications?q=in-&page=1&market=eaeu").get_data(as_text=True)
    assert "page 1 of 1" not in paged and "1\u20135 of 5" in text(client.get(
        "/lab/applications?q=in-&market=eaeu"))
    unknown = client.get("/lab/applications?market=atlantis")
    assert unknown.status_code == 200 and "Not a valid choice" in text(unknown)


def test_the_queue_and_certificate_pages_search(two_certificates, sign_in, client) -> None:
    sign_in.new("reviewer")
    queued = make_submitted_application(brand="Queue", model="Q-77")
    make_submitted_application(brand="Other", model="O-1")
    page = text(client.get("/review/?q=q-77"))
    assert queued.number in page and "1\u20131 of 1" in page
    first, second = two_certificates["certificates"]
    page = text(client.get("/certificates/?q=valley"))
    assert second.number in page and first.number not in page
    backwards = client.get("/certificates/?issued_from=2026-02-02&issued_to=2026-01-01")
    assert "swap the dates" in text(backwards)


def test_the_migration_back_fill_builds_the_same_search_text_as_the_service(seven) -> None:
    from importlib import import_module

    from sqlalchemy import update

    from labcert.extensions import db
    from labcert.models import Application
    from labcert.services.search_text import search_text_of

    migration = import_module("migrations.versions.20261130_838f4fd8efc8_search_indexes")
    expected = {a.id: search_text_of(a) for a in seven["rows"]}
    assert "Orion OR-3" in expected[seven["rows"][3].id] and "86459205" in expected[
        seven["rows"][3].id]
    db.session.execute(update(Application).values(search_text=""))
    migration._fill_search_text(db.session.connection(),
                                db.engine.dialect.name == "postgresql")
    db.session.expire_all()
    assert {a.id: a.search_text for a in db.session.query(Application)} == expected


def test_renaming_a_manufacturer_makes_its_applications_findable_by_the_new_name(
        seven, api) -> None:
    from labcert.services.organizations import update_organization

    acme = seven["acme"]
    versions = {a.id: a.version for a in seven["rows"]}
    update_organization(None, acme.id, name="Boreal Handsets", address=acme.address,
                        country=acme.country)
    client = api(role="reviewer")
    assert listing(client, "/api/v1/applications?q=boreal")["total"] == 3
    assert listing(client, "/api/v1/applications?q=acme")["total"] == 0
    assert {a.id: a.version for a in seven["rows"]} == versions


@pytest.mark.parametrize("url", ["/lab/applications", "/review/", "/certificates/",
                                 "/lab/applications?q=in-", "/review/?q=x",
                                 "/certificates/?q=x"])
def test_a_list_opened_without_filters_shows_no_error_beside_them(sign_in, client, url) -> None:
    sign_in.new("reviewer")
    response = client.get(url)
    assert response.status_code == 200
    assert "Not a valid choice" not in text(response)

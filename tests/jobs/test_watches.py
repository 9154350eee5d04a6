"""Watch lists: by number (API and page), from a verification answer, from a shipment check;
and the notification choices on the account page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import MailMessage
from labcert.runtime import service_settings
from labcert.services import certificates, notifications, watches
from tests.factories import approve, make_user
from tests.workflow.conftest import example

EMBEDDED = True


def test_the_api_adds_lists_and_removes_watches(lab, api) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    exporter = api(role="exporter")
    created = exporter.post("/api/v1/watches", json={"number": number})
    assert created.status_code == 201
    assert created.get_json()["number"] == number and created.get_json()["status"] == "valid"
    assert exporter.post("/api/v1/watches", json={"number": number}).status_code == 200
    certificates.change_status(lab.reviewer, number, "suspend", "re-test",
                                 settings=service_settings())
    [item] = exporter.get("/api/v1/watches").get_json()
    assert (item["number"], item["status"], item["market"]) == (number, "suspended", "pk-pta")
    assert exporter.delete(f"/api/v1/watches/{number}").status_code == 204
    assert exporter.get("/api/v1/watches").get_json() == []
    assert exporter.delete(f"/api/v1/watches/{number}").status_code == 204  # idempotent


def test_the_api_names_the_field_and_the_fix(api, client) -> None:
    exporter = api(role="exporter")
    unknown = exporter.post("/api/v1/watches", json={"number": "LC-1999-999999"})
    assert unknown.status_code == 404
    assert set(unknown.get_json()) == {"error", "message", "details"}
    assert "LC-1999-999999" in unknown.get_json()["message"]
    missing = exporter.post("/api/v1/watches", json={})
    assert missing.status_code == 422 and "number" in missing.get_json()["details"]
    blank = exporter.post("/api/v1/watches", json={"number": "  "})
    assert blank.status_code == 422 and "number" in blank.get_json()["details"]
    assert exporter.delete("/api/v1/watches/LC-1999-999999").status_code == 404
    assert client.get("/api/v1/watches").status_code == 401


def test_a_signed_in_user_watches_from_the_verification_answer(lab, client, auth) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    auth.login_as("exporter")
    page = client.get(f"/verify/{number}").get_data(as_text=True)
    assert "Watch this certificate" in page
    answer = client.post("/watches", data={"number": number, "next": f"/verify/{number}"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/verify/{number}"
    listing = client.get("/watches").get_data(as_text=True)
    assert number in listing and "valid" in listing
    evil = client.post("/watches", data={"number": number, "next": "//evil.example/x"})
    assert evil.headers["Location"] == "/watches"


def test_a_shipment_check_offers_to_watch_every_certificate_covering_it(lab, client,
                                                                        auth) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    exporter = auth.login_as("exporter")
    imeis = "\n".join(example().product.sample_imeis)
    page = client.post("/verify/shipment", data={"market": "pk-pta", "imeis": imeis})
    html = page.get_data(as_text=True)
    assert "Watch the 1 certificate covering this shipment" in html
    added = client.post("/watches/many", data={"numbers": number})
    assert added.status_code == 302
    assert number in client.get("/watches").get_data(as_text=True)
    assert [w.number for w in watches.watch_list(exporter, date.today())] == [number]
    removed = client.post(f"/watches/{number}/remove", follow_redirects=True)
    assert f"You no longer watch certificate {number}." in removed.get_data(as_text=True)
    assert watches.watch_list(exporter, date.today()) == []


def test_the_page_refuses_an_unknown_number_naming_the_field(client, auth) -> None:
    auth.login_as("exporter")
    page = client.post("/watches", data={"number": "LC-1999-999999"})
    assert page.status_code == 200
    assert "LC-1999-999999" in page.get_data(as_text=True)


def test_the_account_page_turns_kinds_off_but_not_the_mandatory_ones(client, auth) -> None:
    user = auth.login_as("manufacturer")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "A certificate is suspended" in page and "always sent" in page
    saved = client.post("/account/notifications", data={"certificate__expiring": "y"})
    assert saved.status_code == 302
    choices = notifications.preferences(user)
    assert choices["certificate.expiring"] is True and choices["certificate.issued"] is False
    assert choices["certificate.suspended"] is True and choices["certificate.withdrawn"] is True
    assert notifications.is_wanted(user, "certificate.suspended")
    assert not notifications.is_wanted(user, "certificate.issued")


def test_a_watcher_is_told_when_a_watched_certificate_is_superseded(lab) -> None:
    number = approve(lab.reviewer, lab.submitted().id).certificates[0].number
    buyer = make_user("exporter")
    watches.watch(buyer, number)
    new = certificates.amend(lab.reviewer, number, "brand renamed", {"marketing_name": "X1"},
                             settings=service_settings())
    mail = db.session.scalars(select(MailMessage).where(
        MailMessage.to_address == buyer.email)).all()
    assert [m.subject for m in mail] == [f"Certificate {number} amended: replaced by "
                                         f"{new.number}"]
    assert "you watch this certificate" in mail[0].body_text

"""Each business rule lives once: every channel (page, API, CLI) gets the same answer from it.

These are the rules that had copies which disagreed; each test drives two or more channels.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import time_machine
from sqlalchemy import func, select

from labcert.errors import Conflict
from labcert.extensions import db
from labcert.models import Application, Certificate, Evaluation, User
from tests.factories import PASSWORD, approve, make_organization, make_user
from tests.web.conftest import text

ARABIC_INDIC_TAC = "٣٥٨٤٠٢١٢"  # eight digits, but not the ASCII digits an IMEI has


def _login(client: Any, user: User) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def _product(lab: Any, **changes: Any) -> dict[str, Any]:
    return {"brand": "Air Link", "model": "AL-1", "technologies": ["lte"],
            "tacs": ["35840212"], **changes}


def _applications() -> int:
    return db.session.scalar(select(func.count()).select_from(Application)) or 0


def test_a_tac_in_other_digits_is_refused_by_the_api_the_page_and_the_engine(lab, api,
                                                                            client) -> None:
    bad = _product(lab, tacs=[ARABIC_INDIC_TAC])
    created = api(lab.technician).post("/api/v1/applications", json={
        "manufacturer_id": lab.manufacturer.id, "product": bad, "markets": ["pk-pta"]})
    evaluated = api(lab.technician).post("/api/v1/evaluate", json={
        "criteria_set": "pk-pta", "product": bad, "results": []})
    _login(client, lab.technician)
    page = client.post("/lab/applications/new", data={
        "manufacturer": str(lab.manufacturer.id), "brand": "Air Link", "model": "AL-1",
        "category": "smartphone", "technologies": ["lte"], "tacs": ARABIC_INDIC_TAC,
        "markets": ["pk-pta"]})
    assert created.status_code == evaluated.status_code == page.status_code == 422
    assert "product.tacs.0" in created.get_json()["details"]
    assert "product.tacs.0" in evaluated.get_json()["details"]
    assert "A TAC is the first 8 digits of the IMEI" in text(page)
    assert _applications() == 0


def test_every_technology_the_engine_knows_is_accepted_by_the_api_and_the_page(lab, api,
                                                                              client) -> None:
    product = _product(lab, technologies=["lte", "uwb", "fm"])
    created = api(lab.technician).post("/api/v1/applications", json={
        "manufacturer_id": lab.manufacturer.id, "product": product, "markets": ["pk-pta"]})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["product"]["technologies"] == ["fm", "lte", "uwb"]
    _login(client, lab.technician)
    page = client.post("/lab/applications/new", data={
        "manufacturer": str(lab.manufacturer.id), "brand": "Air Link", "model": "AL-2",
        "category": "smartphone", "technologies": ["lte", "uwb"], "tacs": "35840213",
        "markets": ["pk-pta"]})
    assert page.status_code == 302
    assert _applications() == 2


def test_an_unknown_technology_is_refused_with_the_same_words_by_api_and_engine(lab,
                                                                               api) -> None:
    product = _product(lab, technologies=["lte", "6g"])
    created = api(lab.technician).post("/api/v1/applications", json={
        "manufacturer_id": lab.manufacturer.id, "product": product, "markets": ["pk-pta"]})
    evaluated = api(lab.technician).post("/api/v1/evaluate", json={
        "criteria_set": "pk-pta", "product": product, "results": []})
    assert created.status_code == evaluated.status_code == 422
    words = created.get_json()["details"]["product.technologies.1"][0].lower()
    assert words.rstrip(".") == evaluated.get_json()["details"]["product.technologies.1"][0]


def test_an_administrator_cannot_cancel_through_the_api_nor_the_page(lab, api, client) -> None:
    application = lab.open()
    admin = make_user("admin")
    through_api = api(admin).post(f"/api/v1/applications/{application.id}/cancel",
                                  json={"reason": "duplicate"})
    _login(client, admin)
    through_page = client.post(f"/lab/applications/{application.id}/cancel",
                               data={"reason": "duplicate"})
    assert through_api.status_code == through_page.status_code == 403
    assert db.session.get(Application, application.id).state == "draft"


def test_a_manufacturer_cancels_only_a_draft_through_the_api_and_the_page(lab, api,
                                                                          client) -> None:
    testing = lab.tested()
    through_api = api(lab.maker).post(f"/api/v1/applications/{testing.id}/cancel",
                                      json={"reason": "postponed"})
    _login(client, lab.maker)
    through_page = client.post(f"/lab/applications/{testing.id}/cancel",
                               data={"reason": "postponed"})
    assert through_api.status_code == through_page.status_code == 409
    message = through_api.get_json()["message"]
    assert "manufacturers cancel only drafts" in message and message in text(through_page)
    draft = lab.open(model="AL-9")
    assert client.post(f"/lab/applications/{draft.id}/cancel",
                       data={"reason": "postponed"}).status_code == 302
    assert db.session.get(Application, draft.id).state == "cancelled"


def test_lab_staff_cannot_join_a_manufacturer_through_the_cli_nor_the_admin_page(
        app, client, runner) -> None:
    maker = make_organization(name="Air Link Communication Ltd", kind="manufacturer")
    cli = runner.invoke(args=["users", "create", "tech@lab.example", "--role", "technician",
                              "--name", "Tariq", "--organization", maker.name,
                              "--password", "long-enough-pw"])
    _login(client, make_user("admin"))
    page = client.post("/admin/users/new", data={
        "email": "tech@lab.example", "name": "Tariq", "role": "technician",
        "organization": str(maker.id), "password": "long-enough-pw"})
    expected = "A technician works for the lab, not for Air Link Communication Ltd"
    assert cli.exit_code != 0 and expected in cli.output
    assert page.status_code in (200, 422) and expected in text(page)
    assert db.session.scalar(select(User).where(User.email == "tech@lab.example")) is None


def test_every_upload_over_the_limit_gets_413_and_the_same_message(make_app) -> None:
    app = make_app(MAX_UPLOAD_BYTES=100)
    big = b"test,value\n" + b"rohs.pb,1\n" * 20
    message = "The file is larger than the limit of 100 bytes; split it or make it smaller."
    with app.app_context():
        from tests.web.conftest import make_application

        technician = make_user("technician")
        application = make_application(technician)
        from labcert.services.tokens import issue_token

        token, _ = issue_token(None, technician, days=1)
        bearer = {"Authorization": f"Bearer {token}"}
        client = app.test_client()
        api_csv = client.post(f"/api/v1/applications/{application.id}/results.csv", data=big,
                              headers=bearer, content_type="text/csv")
        api_pdf = client.post("/api/v1/verify/pdf", content_type="multipart/form-data",
                              data={"file": (io.BytesIO(b"%PDF-1.7" + big), "c.pdf")})
        _login(client, technician)
        page_csv = client.post(f"/lab/applications/{application.id}/import",
                               data={"file": (io.BytesIO(big), "rig.csv", "text/csv")},
                               content_type="multipart/form-data")
    assert api_csv.status_code == api_pdf.status_code == page_csv.status_code == 413
    assert api_csv.get_json()["message"] == api_pdf.get_json()["message"] == message
    assert api_csv.get_json()["details"] == {"file": [message]}
    assert message in text(page_csv) and 'id="file-error"' in text(page_csv)


def test_an_approved_application_shows_its_approved_evaluation_on_page_and_api(
        lab, api, client, monkeypatch) -> None:
    application = approve(lab.reviewer, lab.submitted().id).application
    stored = db.session.scalar(select(Evaluation).where(
        Evaluation.application_id == application.id))

    def retired(*args: Any, **kwargs: Any) -> Any:
        raise Conflict("the criteria set was retired after the approval")

    monkeypatch.setattr("labcert.services.evaluations.evaluate_application", retired)
    evaluation = api(lab.reviewer).get(f"/api/v1/applications/{application.id}/evaluation")
    detail = api(lab.reviewer).get(f"/api/v1/applications/{application.id}")
    _login(client, lab.reviewer)
    page = client.get(f"/lab/applications/{application.id}")
    assert evaluation.status_code == detail.status_code == page.status_code == 200
    assert evaluation.get_json() == [{"market": stored.market, **stored.outcomes}]
    assert detail.get_json()["evaluation"][0]["verdict"] == stored.verdict
    assert "cannot run" not in text(page) and stored.criteria_set in text(page)


def test_factory_sites_are_amended_alike_through_the_page_and_the_api(lab, api,
                                                                     client) -> None:
    first = approve(lab.reviewer, lab.submitted().id).certificates[0]
    through_api = api(lab.reviewer).post(f"/api/v1/certificates/{first.number}/amend", json={
        "reason": "second plant", "changes": {"factory_sites": ["Lahore 1", "Karachi 2"]}})
    assert through_api.status_code == 201, through_api.get_json()
    second = through_api.get_json()["number"]
    _login(client, lab.reviewer)
    through_page = client.post(f"/certificates/{second}/amend", data={
        "amend-reason": "third plant", "amend-factory_sites": "Lahore 1\nKarachi 2\nMultan 3"})
    assert through_page.status_code == 302
    revisions = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert [c.facts.holder.factory_sites for c in revisions] == [
        (), ("Lahore 1", "Karachi 2"), ("Lahore 1", "Karachi 2", "Multan 3")]


def test_an_expired_certificate_is_not_amendable_on_the_page_nor_through_the_api(lab, api,
                                                                                client) -> None:
    certificate = approve(lab.reviewer, lab.submitted().id).certificates[0]
    days = (certificate.valid_until - certificate.issued_at.date()).days + 1
    _login(client, lab.reviewer)
    with time_machine.travel(timedelta(days=days)):
        page = client.get(f"/certificates/{certificate.number}")
        refused = api(lab.reviewer).post(f"/api/v1/certificates/{certificate.number}/amend",
                                         json={"reason": "late", "changes": {
                                             "marketing_name": "Too late"}})
    assert "Amend (new revision)" not in text(page)
    assert refused.status_code == 409 and "it is expired" in refused.get_json()["message"]


def test_a_token_of_a_deactivated_owner_reads_the_same_on_the_page_and_the_cli(
        app, client, runner) -> None:
    from labcert.services.tokens import issue_token
    from labcert.services.users import deactivate_user

    owner = make_user("technician")
    issue_token(None, owner, days=30)
    deactivate_user(None, owner.id)
    _login(client, make_user("admin"))
    page = text(client.get("/admin/tokens"))
    listed = runner.invoke(args=["tokens", "list", owner.email])
    # Deactivation revokes the tokens for good (issue 13): both read "revoked".
    assert "revoked" in page.split(owner.email, 1)[1][:300]
    assert "revoked" in listed.output and "owner_inactive" not in listed.output

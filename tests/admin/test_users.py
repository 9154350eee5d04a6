"""Administrators manage accounts from the browser: create, edit, deactivate, reactivate."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from labcert.errors import Conflict
from labcert.extensions import db
from labcert.models import ROLES, User
from labcert.services.accounts import authenticate
from labcert.services.audit import record
from labcert.services.tokens import issue_token
from labcert.services.users import deactivate_user, update_user
from tests.admin.conftest import csrf_token, events, text
from tests.factories import PASSWORD, make_organization, make_user

NEW_PASSWORD = "a brand new passphrase"


def test_the_user_list_shows_accounts_and_filters_by_role_and_status(client, auth) -> None:
    auth.login_as("admin")
    make_user(role="reviewer", name="Rita Reviewer")
    make_user(role="technician", name="Tariq Tech", is_active_account=False)
    page = text(client.get("/admin/users"))
    assert "Rita Reviewer" in page and "Tariq Tech" not in page
    assert "Tariq Tech" in text(client.get("/admin/users?status=inactive"))
    only_reviewers = text(client.get("/admin/users?role=reviewer&status=all"))
    assert "Rita Reviewer" in only_reviewers and "Tariq Tech" not in only_reviewers
    assert "Rita" in text(client.get("/admin/users?q=rita"))


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_administrators_reach_the_user_pages(client, auth, role) -> None:
    auth.login_as(role)
    other = make_user()
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{other.id}/deactivate").status_code == 403
    assert db.session.get(User, other.id).is_active_account


def test_an_administrator_creates_an_account_that_must_change_its_password(client, auth) -> None:
    admin = auth.login_as("admin")
    maker = make_organization(kind="manufacturer", name="Vivo Pakistan")
    response = client.post("/admin/users/new", data={
        "email": "New.Maker@Vivo.Example", "name": "Nadia", "role": "manufacturer",
        "organization": maker.id, "password": "first password 1", "must_change_password": "y"})
    assert response.status_code == 302
    user = db.session.get(User, int(response.headers["Location"].rsplit("/", 1)[-1]))
    assert (user.email, user.role, user.organization_id) == ("new.maker@vivo.example",
                                                             "manufacturer", maker.id)
    assert user.must_change_password
    assert authenticate("new.maker@vivo.example", "first password 1") == user
    [event] = events("user.create")
    assert event.actor == admin.email and event.entity_id == str(user.id)


def test_creating_an_account_reports_each_problem_beside_its_field(client, auth) -> None:
    auth.login_as("admin")
    exporter = make_organization(kind="exporter")
    response = client.post("/admin/users/new", data={
        "email": "m@x.example", "name": "M", "role": "manufacturer",
        "organization": exporter.id, "password": "first password 1"})
    page = text(response)
    assert response.status_code == 200
    assert f"{exporter.name} is a exporter, not a manufacturer." in page
    assert 'id="organization-error"' in page
    short = client.post("/admin/users/new", data={
        "email": "t@x.example", "name": "T", "role": "technician", "organization": "",
        "password": "short"})
    assert 'id="password-error"' in text(short) and "at least 10 characters" in text(short)
    assert events("user.create") == []


def test_lab_staff_cannot_be_put_in_a_manufacturer(client, auth) -> None:
    auth.login_as("admin")
    tech = make_user(role="technician")
    maker = make_organization(kind="manufacturer")
    response = client.post(f"/admin/users/{tech.id}", data={
        "email": tech.email, "name": tech.name, "role": "technician", "organization": maker.id})
    assert "works for the lab" in text(response)
    assert db.session.get(User, tech.id).organization_id is None


def test_an_administrator_edits_role_and_organisation_with_an_audit_event(client, auth) -> None:
    admin = auth.login_as("admin")
    user = make_user(role="technician", name="Old Name")
    maker = make_organization(kind="manufacturer", name="Air Link")
    response = client.post(f"/admin/users/{user.id}", data={
        "email": user.email, "name": "New Name", "role": "manufacturer",
        "organization": maker.id})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.role, user.organization_id) == ("New Name", "manufacturer", maker.id)
    [event] = events("user.role_change")
    assert events("user.update") == []
    assert event.actor == admin.email
    assert event.data["changes"] == {"name": ["Old Name", "New Name"],
                                     "role": ["technician", "manufacturer"],
                                     "organization": [None, "Air Link"]}


def test_saving_an_unchanged_account_writes_no_audit_event(client, auth) -> None:
    auth.login_as("admin")
    user = make_user(role="reviewer")
    client.post(f"/admin/users/{user.id}", data={
        "email": user.email, "name": user.name, "role": "reviewer", "organization": ""})
    assert events("user.update") == []


def test_an_e_mail_address_cannot_be_taken_twice(client, auth) -> None:
    auth.login_as("admin")
    user, other = make_user(), make_user()
    response = client.post(f"/admin/users/{user.id}", data={
        "email": other.email, "name": user.name, "role": user.role, "organization": ""})
    assert f"An account for {other.email} already exists." in text(response)


def test_a_deactivated_user_loses_page_and_api_access_at_once(make_app) -> None:
    # A second app: each of its requests has its own session, as in production.
    web = make_app()
    admin_client, user_client = web.test_client(), web.test_client()
    admin, user = make_user(role="admin"), make_user(role="technician")
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    user_client.post("/login", data={"email": user.email, "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {issue_token(None, user, days=30)[0]}"}
    assert user_client.get("/home").status_code == 200
    assert user_client.get("/api/v1/me", headers=bearer).status_code == 200

    response = admin_client.post(f"/admin/users/{user.id}/deactivate")

    assert response.status_code == 302
    assert user_client.get("/home").status_code == 302
    assert user_client.get("/api/v1/me", headers=bearer).status_code == 401
    [event] = events("user.deactivate")
    assert event.actor == admin.email and event.entity_id == str(user.id)
    assert db.session.get(User, user.id) is not None


def test_a_reactivated_user_can_sign_in_again(client, auth) -> None:
    auth.login_as("admin")
    user = make_user(is_active_account=False)
    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    assert authenticate(user.email, PASSWORD) is not None
    assert len(events("user.reactivate")) == 1


def test_the_last_active_administrator_cannot_be_deactivated(client, auth) -> None:
    admin = auth.login_as("admin")
    make_user(role="admin", is_active_account=False)  # an inactive one does not count
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 409
    assert "last active administrator" in text(response)
    assert db.session.get(User, admin.id).is_active_account
    assert events("user.deactivate") == []


def test_the_last_administrator_guard_holds_for_every_caller(app) -> None:
    admin = make_user(role="admin")
    other = make_user(role="admin")
    deactivate_user(admin, other.id)
    with pytest.raises(Conflict, match="last active administrator"):
        deactivate_user(None, admin.id)
    with pytest.raises(Conflict, match="last active administrator"):
        update_user(None, admin.id, email=admin.email, name=admin.name, role="technician",
                    organization_id=None)
    assert db.session.get(User, admin.id).role == "admin"


def test_the_last_active_administrator_cannot_be_demoted(client, auth) -> None:
    admin = auth.login_as("admin")
    response = client.post(f"/admin/users/{admin.id}", data={
        "email": admin.email, "name": admin.name, "role": "reviewer", "organization": ""})
    assert response.status_code == 409
    assert "last active administrator" in text(response)
    assert db.session.get(User, admin.id).role == "admin"
    assert events("user.update") == []


def test_an_administrator_may_demote_another_while_one_remains(client, auth) -> None:
    auth.login_as("admin")
    other = make_user(role="admin")
    response = client.post(f"/admin/users/{other.id}", data={
        "email": other.email, "name": other.name, "role": "reviewer", "organization": ""})
    assert response.status_code == 302
    assert db.session.get(User, other.id).role == "reviewer"


def test_an_administrator_cannot_deactivate_their_own_account(client, auth) -> None:
    admin = auth.login_as("admin")
    make_user(role="admin")
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 409
    assert "your own account" in text(response)


@pytest.mark.parametrize("path", ["/admin/users/999999", "/admin/users/999999/deactivate",
                                  "/admin/users/999999/reactivate",
                                  "/admin/users/999999/require-password-change",
                                  "/admin/users/999999/temporary-password"])
def test_an_unknown_account_gets_404(client, auth, path) -> None:
    auth.login_as("admin")
    method = client.get if path.endswith("999999") else client.post
    assert method(path).status_code == 404


def test_deactivation_without_the_csrf_token_is_refused(make_app) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    admin, user = make_user(role="admin"), make_user()
    token = csrf_token(text(client.get("/login")))
    client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                "csrf_token": token})
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 400
    assert db.session.get(User, user.id).is_active_account
    page = text(client.get(f"/admin/users/{user.id}"))
    response = client.post(f"/admin/users/{user.id}/deactivate",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302


@pytest.mark.postgres
def test_two_administrators_removing_each_other_at_once_leave_one(make_app) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite runs one writer at a time")
    first, second = make_user(role="admin"), make_user(role="admin")
    record(None, "test.start", "test", 0)  # the audit head exists, as in a running lab
    db.session.commit()
    worker = make_app()
    outcomes: list[str] = []

    def remove(user_id: int) -> None:
        with worker.app_context():
            try:
                deactivate_user(None, user_id)
                outcomes.append("deactivated")
            except Conflict:
                outcomes.append("refused")

    # Hold the administrators' rows so that both removals read them at the same moment.
    with db.engine.connect() as blocker:
        blocker.execute(select(User.id).where(User.role == "admin").with_for_update())
        threads = [threading.Thread(target=remove, args=(u.id,)) for u in (first, second)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        blocker.commit()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["deactivated", "refused"]
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.is_active_account.is_(True))) == 1

"""Passwords: one's own change needs the current one; administrators can force a change."""

from __future__ import annotations

import pytest

from labcert.extensions import db
from labcert.models import ROLES, User
from labcert.services.accounts import authenticate
from tests.admin.conftest import events, text
from tests.factories import PASSWORD, make_user

NEW = "a brand new passphrase"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_changes_its_own_password_with_the_current_one(client, auth, role) -> None:
    user = auth.login_as(role)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert authenticate(user.email, NEW) is not None
    assert authenticate(user.email, PASSWORD) is None
    [event] = events("user.change_password")
    assert event.actor == user.email and event.entity_id == str(user.id)


def test_a_wrong_current_password_changes_nothing_and_is_told_beside_the_field(
        client, auth) -> None:
    user = auth.login_as("technician")
    response = client.post("/account/password", data={
        "current_password": "not my password", "new_password": NEW, "confirm": NEW})
    page = text(response)
    assert response.status_code == 200
    assert "This is not your current password." in page
    assert 'id="current_password-error"' in page
    assert authenticate(user.email, PASSWORD) is not None
    assert events("user.change_password") == []


def test_a_new_password_must_follow_the_rules_and_be_typed_twice_alike(client, auth) -> None:
    auth.login_as("reviewer")
    short = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "short", "confirm": "short"})
    assert "at least 10 characters" in text(short)
    differ = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "confirm": NEW + "!"})
    assert "The two new passwords differ." in text(differ)
    same = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": PASSWORD, "confirm": PASSWORD})
    assert "different from the current one" in text(same)
    assert events("user.change_password") == []


def test_a_user_who_must_change_their_password_is_sent_there_after_sign_in(client) -> None:
    user = make_user(role="manufacturer", must_change_password=True)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    for path in ("/home", "/account/tokens", "/account"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"].endswith("/account/password")
    assert "Choose a new password before you continue." in text(client.get("/account/password"))
    client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "confirm": NEW})
    assert not db.session.get(User, user.id).must_change_password
    assert client.get("/home").status_code == 200


def test_a_user_who_must_change_their_password_can_still_sign_out(client) -> None:
    user = make_user(must_change_password=True)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/logout").headers["Location"].endswith("/login")
    assert client.get("/home").headers["Location"].startswith("/login")


def test_an_administrator_forces_a_password_change(make_app) -> None:
    web = make_app()
    admin_client, user_client = web.test_client(), web.test_client()
    admin, user = make_user(role="admin"), make_user(role="technician")
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    user_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert user_client.get("/home").status_code == 200

    response = admin_client.post(f"/admin/users/{user.id}/require-password-change")

    assert response.status_code == 302
    assert user_client.get("/home").headers["Location"].endswith("/account/password")
    [event] = events("user.require_password_change")
    assert event.actor == admin.email and event.entity_id == str(user.id)


def test_an_administrator_sets_a_temporary_password_to_be_changed_at_sign_in(
        client, auth) -> None:
    admin = auth.login_as("admin")
    user = make_user(role="reviewer")
    response = client.post(f"/admin/users/{user.id}/temporary-password",
                           data={"password": "temporary pass 1"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.must_change_password
    assert authenticate(user.email, "temporary pass 1") == user
    [event] = events("user.set_temporary_password")
    assert event.actor == admin.email
    assert "temporary pass 1" not in str(event.data)


def test_a_temporary_password_follows_the_password_rules(client, auth) -> None:
    auth.login_as("admin")
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/temporary-password",
                           data={"password": "short"})
    assert response.status_code == 200
    assert "at least 10 characters" in text(response)
    assert authenticate(user.email, PASSWORD) is not None


def test_password_attempts_are_throttled(make_app) -> None:
    client = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    user = make_user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    for _ in range(2):
        client.post("/account/password", data={
            "current_password": "guess guess", "new_password": NEW, "confirm": NEW})
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "confirm": NEW})
    assert response.status_code == 429
    assert authenticate(user.email, PASSWORD) is not None

"""API tokens on pages: one's own (shown once), and everyone's for administrators."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import ROLES, ApiToken
from labcert.services.tokens import hash_token, issue_token
from tests.admin.conftest import events, text
from tests.factories import make_user

TOKEN_RE = re.compile(r"lct_[A-Za-z0-9_-]{20,}")


@pytest.mark.parametrize("role", ROLES)
def test_a_new_token_is_shown_once_and_never_again(client, auth, role) -> None:
    user = auth.login_as(role)
    response = client.post("/account/tokens", data={"name": "SAR rig 2", "days": "30"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    [plain] = TOKEN_RE.findall(text(response))
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == hash_token(plain) and stored.name == "SAR rig 2"
    assert 30 - (stored.expires_at - stored.created_at).days <= 1
    later = text(client.get("/account/tokens"))
    assert plain not in later and stored.prefix in later and "SAR rig 2" in later
    assert plain not in text(client.get("/account"))
    [event] = events("token.create")
    assert event.actor == user.email and plain not in str(event.data)


def test_the_created_token_authenticates_on_the_api(client, auth) -> None:
    user = auth.login_as("technician")
    [plain] = TOKEN_RE.findall(text(client.post("/account/tokens",
                                                data={"name": "rig", "days": "7"})))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200 and me.get_json()["email"] == user.email


def test_a_token_needs_a_label_and_a_sensible_lifetime(client, auth) -> None:
    auth.login_as("reviewer")
    response = client.post("/account/tokens", data={"name": "", "days": "9999"})
    page = text(response)
    assert 'id="name-error"' in page and "Choose between 1 and 365 days." in page
    assert TOKEN_RE.search(page) is None
    assert db.session.scalar(select(ApiToken)) is None


def test_a_user_lists_only_their_own_tokens(client, auth) -> None:
    user = auth.login_as("manufacturer")
    issue_token(None, user, days=5, name="my own label")
    issue_token(None, make_user(), days=5, name="foreign label")
    page = text(client.get("/account/tokens"))
    assert "my own label" in page and "foreign label" not in page


def test_a_user_revokes_their_own_token_and_it_stops_working(client, auth) -> None:
    user = auth.login_as("technician")
    plain, token = issue_token(None, user, days=5, name="rig")
    bearer = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    [event] = events("token.revoke")
    assert event.actor == user.email and event.entity_id == str(token.id)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_someone_elses_token_is_404_for_anyone_but_an_administrator(client, auth, role) -> None:
    auth.login_as(role)
    _, token = issue_token(None, make_user(), days=5)
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None
    assert events("token.revoke") == []


def test_an_unknown_token_is_404(client, auth) -> None:
    auth.login_as("admin")
    assert client.post("/account/tokens/999999/revoke").status_code == 404
    assert client.post("/admin/tokens/999999/revoke").status_code == 404
    assert client.get("/admin/tokens?user=999999").status_code == 404


def test_an_administrator_sees_everyones_tokens_and_revokes_any(client, auth) -> None:
    admin = auth.login_as("admin")
    owner = make_user(role="manufacturer")
    plain, token = issue_token(None, owner, days=5, name="ERP sync")
    issue_token(None, make_user(), days=5, name="another")
    everyone = text(client.get("/admin/tokens"))
    assert "ERP sync" in everyone and "another" in everyone and owner.email in everyone
    assert plain not in everyone
    theirs = text(client.get(f"/admin/tokens?user={owner.id}"))
    assert "ERP sync" in theirs and "another" not in theirs
    assert "ERP sync" in text(client.get(f"/admin/users/{owner.id}"))

    response = client.post(f"/admin/tokens/{token.id}/revoke")

    assert response.status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    [event] = events("token.revoke")
    assert event.actor == admin.email and event.data == {"user": owner.email}
    assert client.get("/api/v1/me",
                      headers={"Authorization": f"Bearer {plain}"}).status_code == 401


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_administrators_see_everyones_tokens(client, auth, role) -> None:
    auth.login_as(role)
    _, token = issue_token(None, make_user(), days=5)
    assert client.get("/admin/tokens").status_code == 403
    assert client.post(f"/admin/tokens/{token.id}/revoke").status_code == 403

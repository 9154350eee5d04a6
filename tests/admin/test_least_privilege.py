"""Least privilege: no default role, deactivation revokes tokens for good, a forced password
change holds for the API too."""

from __future__ import annotations

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import ApiToken, User
from labcert.services.users import deactivate_user, reactivate_user, require_password_change
from tests.admin.conftest import events, text
from tests.factories import PASSWORD, make_user


def test_the_new_account_form_preselects_no_role(client, auth) -> None:
    auth.login_as("admin")
    page = client.get("/admin/users/new").get_data(as_text=True)
    select_html = page.split('name="role"', 1)[1].split("</select>", 1)[0]
    assert '<option value="">Choose a role…</option>' in select_html
    assert "selected" not in select_html  # the browser shows the first option: no role


def test_an_account_without_a_role_is_refused_beside_the_field(client, auth) -> None:
    auth.login_as("admin")
    response = client.post("/admin/users/new", data={
        "email": "n@x.example", "name": "N", "role": "", "organization": "",
        "password": "first password 1"})
    assert response.status_code == 200
    page = text(response)
    assert 'id="role-error"' in response.get_data(as_text=True)
    assert "no role is given by default" in page
    assert db.session.scalar(select(User).where(User.email == "n@x.example")) is None
    assert events("user.create") == []


def test_deactivating_revokes_the_tokens_for_good(client, api) -> None:
    admin = make_user("admin")
    user = make_user("technician")
    first, second = api(user), api(user)
    assert first.get("/api/v1/me").status_code == 200
    deactivate_user(admin, user.id)
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    assert len(tokens) == 2 and all(t.revoked_at is not None for t in tokens)
    reactivate_user(admin, user.id)
    assert first.get("/api/v1/me").status_code == 401  # still revoked after reactivation
    assert second.get("/api/v1/me").status_code == 401
    revocations = events("token.revoke")
    assert sorted(int(e.entity_id) for e in revocations) == sorted(t.id for t in tokens)
    assert {e.data["reason"] for e in revocations} == {"account deactivated"}
    assert events("user.deactivate")[0].data["tokens_revoked"] == sorted(t.id for t in tokens)


def test_a_forced_password_change_blocks_the_api_with_a_clear_403(client, api) -> None:
    user = make_user("technician")
    caller = api(user)
    require_password_change(make_user("admin"), user.id)
    response = caller.get("/api/v1/me")
    assert response.status_code == 403
    assert "password must be changed" in response.get_json()["message"]
    assert "/account/password" in response.get_json()["message"]
    refused = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 403 and "password must be changed" in refused.get_json()[
        "message"]
    assert len(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()) == 1

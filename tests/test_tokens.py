"""API tokens: created by the API and the CLI, used, expired, revoked, never stored in clear."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import ApiToken
from labcert.services.tokens import hash_token, revoke_token
from tests.factories import PASSWORD, make_user


def test_a_token_is_created_with_email_and_password_and_stored_hashed(client) -> None:
    user = make_user(role="technician")
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("lct_") and body["expires_at"]
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hash_token(body["token"])
    assert body["token"] not in (stored.token_hash, stored.prefix)


def test_wrong_credentials_get_401_in_the_one_error_shape(client) -> None:
    user = make_user()
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope"})
    assert response.status_code == 401
    assert set(response.get_json()) == {"error", "message", "details"}


def test_missing_fields_get_422_naming_the_field(client) -> None:
    response = client.post("/api/v1/tokens", json={"email": "a@b.c"})
    assert response.status_code == 422
    assert "password" in response.get_json()["details"]


def test_a_deactivated_user_gets_no_token(client) -> None:
    user = make_user(is_active_account=False)
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_the_cli_prints_a_token_that_authenticates(app, runner, api) -> None:
    user = make_user(role="reviewer")
    result = runner.invoke(args=["tokens", "create", user.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("lct_") and "\n" not in token
    client = app.test_client()
    ok = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.get_json()["email"] == user.email


def test_the_cli_refuses_an_unknown_user_with_a_reason(runner) -> None:
    result = runner.invoke(args=["tokens", "create", "ghost@example.test"])
    assert result.exit_code != 0
    assert "no active user" in result.output


def test_an_expired_token_gets_401(client, api) -> None:
    caller = api(make_user())
    assert caller.get("/api/v1/me").status_code == 200
    with time_machine.travel(timedelta(days=31), tick=False):
        response = caller.get("/api/v1/me")
    assert response.status_code == 401
    assert "expired" in response.get_json()["message"]


def test_a_revoked_token_stops_working_at_once(client, api) -> None:
    user = make_user()
    caller = api(user)
    assert caller.get("/api/v1/me").status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    revoke_token(user, token.id)
    assert caller.get("/api/v1/me").status_code == 401


def test_a_deactivated_users_tokens_stop_working(client, api) -> None:
    user = make_user()
    caller = api(user)
    user.is_active_account = False
    db.session.commit()
    assert caller.get("/api/v1/me").status_code == 401


def test_tokens_never_reach_the_logs(client, caplog) -> None:
    user = make_user()
    with caplog.at_level("DEBUG"):
        token = client.post("/api/v1/tokens",
                            json={"email": user.email, "password": PASSWORD}).get_json()["token"]
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert token not in caplog.text

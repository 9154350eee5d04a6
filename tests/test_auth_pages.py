"""Sign-in pages: CSRF, throttling, sessions, home page per role, friendly errors."""

from __future__ import annotations

import re

import pytest

from labcert.extensions import db
from labcert.models import ROLES
from tests.factories import PASSWORD, make_user


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_the_login_page_has_labelled_fields_and_a_csrf_token(csrf_client) -> None:
    page = csrf_client.get("/login").get_data(as_text=True)
    assert '<label for="email">' in page and '<label for="password">' in page
    assert _csrf(page)


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_a_login_post_without_the_csrf_token_is_refused(csrf_client, app) -> None:
    user = make_user()
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert "session" not in response.headers.get("Set-Cookie", "") or \
        csrf_client.get("/home").status_code == 302


def test_a_login_post_with_the_csrf_token_signs_in(csrf_client, app) -> None:
    user = make_user()
    token = _csrf(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302
    assert csrf_client.get("/home").status_code == 200


def test_logout_without_the_csrf_token_keeps_the_user_signed_in(csrf_client, app) -> None:
    user = make_user()
    token = _csrf(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post("/login",
                     data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/home").status_code == 200


def test_a_wrong_password_is_told_beside_the_field_without_saying_which_part(client) -> None:
    user = make_user()
    page = client.post("/login", data={"email": user.email, "password": "wrong"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "E-mail or password is not right" in text and 'aria-invalid="true"' in text


def test_login_attempts_are_throttled_with_retry_after(make_app) -> None:
    client = make_app(LOGIN_RATE_LIMIT="3 per minute").test_client()
    for _ in range(3):
        assert client.post("/login", data={"email": "x@y.z", "password": "nope"}).status_code == 200
    response = client.post("/login", data={"email": "x@y.z", "password": "nope"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in response.get_data(as_text=True)


def test_throttling_also_counts_per_account_across_addresses(make_app) -> None:
    client = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    for n in range(2):
        client.post("/login", data={"email": "victim@y.z", "password": "x"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
    response = client.post("/login", data={"email": "victim@y.z", "password": "x"},
                           environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 429


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_a_home_page(client, auth, role) -> None:
    user = auth.login_as(role)
    page = client.get("/home")
    assert page.status_code == 200
    assert user.name in page.get_data(as_text=True)


def test_after_sign_in_only_a_local_next_address_is_followed(client) -> None:
    user = make_user()
    response = client.post("/login?next=https://evil.example/x",
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_a_deactivated_user_loses_page_access_at_once(client, auth) -> None:
    user = auth.login_as("technician")
    assert client.get("/home").status_code == 200
    user.is_active_account = False
    db.session.commit()
    assert client.get("/home").status_code == 302


def test_unknown_pages_get_a_friendly_html_404(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Back to the start page" in response.get_data(as_text=True)


def test_pages_carry_security_headers(client) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_httponly_and_samesite(client) -> None:
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

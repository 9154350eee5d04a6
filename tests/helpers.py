"""Shared test helpers (a pytest plugin so any test folder can use them)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from labcert.services.tokens import issue_token
from tests.factories import make_user


class ApiClient:
    """A test client that sends a bearer token."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def get(self, url: str, **kwargs: Any) -> Any:
        """GET with the token."""
        return self.client.get(url, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        """POST with the token."""
        return self.client.post(url, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        """DELETE with the token."""
        return self.client.delete(url, headers=self._headers(kwargs.pop("headers", None)),
                                  **kwargs)


@pytest.fixture
def api(client: FlaskClient) -> Any:
    """Return a function: api(user) → an ApiClient with a fresh token for that user."""

    def for_user(user: Any = None, role: str = "technician") -> ApiClient:
        user = user or make_user(role=role)
        plain, _ = issue_token(None, user, days=30)
        return ApiClient(client, plain)

    return for_user

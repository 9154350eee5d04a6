"""The one place that decides role and ownership, for pages and the API alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from labcert.errors import NotFound, PermissionDenied
from labcert.models import STAFF_ROLES, User

F = TypeVar("F", bound=Callable[..., object])

ROLE_LABELS = {
    "admin": "administrators",
    "technician": "technicians",
    "reviewer": "reviewers",
    "manufacturer": "manufacturers",
    "exporter": "exporters",
}
STAFF = tuple(sorted(STAFF_ROLES))
ANY_USER = ("admin", "technician", "reviewer", "manufacturer", "exporter")


def check_role(user: User, roles: Iterable[str]) -> None:
    """Refuse with 403 unless the user has one of `roles`."""
    allowed = tuple(roles)
    if user.role not in allowed:
        who = ", ".join(ROLE_LABELS[r] for r in allowed)
        raise PermissionDenied(f"This is for {who}; you are signed in as a {user.role}.")


def check_password_current(user: User) -> None:
    """Refuse with 403 while the user must change their password (pages redirect instead)."""
    if user.must_change_password:
        raise PermissionDenied(
            "Your password must be changed before you can use the API: sign in to the web "
            "pages and choose a new password at /account/password, then try again.")


def sees_every_organization(user: User) -> bool:
    """Tell whether the user sees every organisation's objects (lab staff do)."""
    return user.role in STAFF_ROLES


def can_see_organization(user: User, organization_id: int | None) -> bool:
    """Tell whether the user may see objects held by this organization."""
    if sees_every_organization(user):
        return True
    return user.organization_id is not None and user.organization_id == organization_id


def check_owner(user: User, organization_id: int | None, what: str) -> None:
    """Refuse with 404 (never 403: existence is not revealed) an object of another organization."""
    if not can_see_organization(user, organization_id):
        raise NotFound(f"No {what} with that identifier.")


def allow(*roles: str) -> Callable[[F], F]:
    """Declare which roles may call a view; the access matrix test reads this declaration."""

    def mark(view: F) -> F:
        view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    """Declare a view open to everyone, signed in or not."""
    view.allowed_roles = None  # type: ignore[attr-defined]
    return view


# Library endpoints that cannot carry the declaration: static files and the OpenAPI document.
LIBRARY_PUBLIC_ENDPOINTS = frozenset({"static", "api-docs.openapi_json"})
UNDECLARED = object()


def declared_roles(view: Callable[..., object], endpoint: str) -> frozenset[str] | object | None:
    """Return a view's declared roles, None for public, or UNDECLARED."""
    if endpoint in LIBRARY_PUBLIC_ENDPOINTS:
        return None
    return getattr(view, "allowed_roles", UNDECLARED)

"""`labcert users ...` and `labcert tokens ...`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.errors import DomainError
from labcert.models import ROLES, User, utcnow
from labcert.services import accounts
from labcert.services import tokens as token_service
from labcert.services import users as user_service


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", required=True)
@click.option("--organization", default=None, help="Organization name (created if unknown).")
@click.option("--password", required=True, help="At least 10 characters.")
@json_option
@with_appcontext
def create_user(email: str, role: str, name: str, organization: str | None, password: str,
                as_json: bool) -> None:
    """Create a user account."""
    try:
        user = accounts.create_user(None, email=email, name=name, role=role, password=password,
                                    organization=organization)
    except DomainError as error:
        fail(error)
    org = user.organization.name if user.organization else None
    emit({"id": user.id, "email": user.email, "role": user.role, "organization": org},
         f"Created {user.role} {user.email}" + (f" ({org})" if org else ""), as_json)


@click.group()
def tokens() -> None:
    """Manage API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="Lifetime in days (default: LABCERT_TOKEN_LIFETIME_DAYS).")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@with_appcontext
def create_token(email: str, days: int | None, name: str) -> None:
    """Print a new API token for that user on one line."""
    user = accounts.find_user(email)
    if user is None or not user.is_active:
        fail(f"no active user with e-mail {email}")
    plain, _ = token_service.issue_token(None, user,
                                         days=days or current_app.config["TOKEN_LIFETIME_DAYS"],
                                         name=name)
    click.echo(plain)


def _user_row(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "organization": user.organization.name if user.organization else None,
            "active": user.is_active_account, "must_change_password": user.must_change_password,
            "last_login_at": user.last_login_at}


@users.command("list")
@click.option("--role", type=click.Choice(ROLES), default=None, help="Only this role.")
@click.option("--inactive/--active-only", "include_inactive", default=True,
              help="Include deactivated accounts (default) or not.")
@json_option
@with_appcontext
def list_users(role: str | None, include_inactive: bool, as_json: bool) -> None:
    """List user accounts."""
    rows = [_user_row(u) for u in user_service.list_users(
        role=role, active=None if include_inactive else True)]
    lines = [f"{r['email']:<32} {r['role']:<13} {'active' if r['active'] else 'INACTIVE':<9} "
             f"{r['name']}" + (f" ({r['organization']})" if r["organization"] else "")
             for r in rows]
    emit(rows, "\n".join(lines) or "No users.", as_json)


def _change_access(email: str, change: Callable[[User | None, int], User], done: str) -> None:
    try:
        user = change(None, user_service.user_by_email(email).id)
    except DomainError as error:
        fail(error)
    click.echo(f"{user.email} {done}.")


@users.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate(email: str) -> None:
    """Deactivate an account: no sign-in, no API, history kept."""
    _change_access(email, user_service.deactivate_user, "is deactivated")


@users.command("reactivate")
@click.argument("email")
@with_appcontext
def reactivate(email: str) -> None:
    """Reactivate a deactivated account."""
    _change_access(email, user_service.reactivate_user, "is active again")


@tokens.command("list")
@click.argument("email")
@json_option
@with_appcontext
def list_tokens(email: str, as_json: bool) -> None:
    """List a user's API tokens (never the tokens themselves)."""
    try:
        user = user_service.user_by_email(email)
    except DomainError as error:
        fail(error)
    now = utcnow()
    rows = [{"id": t.id, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
             "expires_at": t.expires_at, "last_used_at": t.last_used_at,
             "revoked_at": t.revoked_at,
             "status": t.status(now)} for t in token_service.list_tokens(user)]
    lines = [f"{r['id']:>6}  {r['prefix']}…  {r['status']:<8} expires "
             f"{r['expires_at']:%Y-%m-%d}  {r['name']}" for r in rows]
    emit(rows, "\n".join(lines) or f"{user.email} has no API tokens.", as_json)


@tokens.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke an API token by its id (see `labcert tokens list EMAIL`)."""
    try:
        token = token_service.revoke_token(None, token_id)
    except DomainError as error:
        fail(error)
    click.echo(f"Token {token.id} ({token.prefix}…) of {token.user.email} is revoked.")

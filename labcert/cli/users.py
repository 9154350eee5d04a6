"""`labcert users ...` and `labcert tokens ...`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.errors import DomainError
from labcert.models import ROLES
from labcert.services import accounts
from labcert.services import tokens as token_service


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

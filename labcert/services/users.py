"""User administration: edit, deactivate, reactivate, passwords; never delete, keep one admin."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import User
from labcert.services import accounts
from labcert.services.audit import record
from labcert.services.tokens import revoke_all_tokens
from labcert.services.unit_of_work import transactional

LAST_ADMIN = ("{email} is the last active administrator: make someone else an administrator "
              "first, so that the lab is never left without one.")


def list_users(*, role: str | None = None, active: bool | None = None,
               search: str = "") -> list[User]:
    """Return the accounts matching the filters, by name."""
    query = select(User).order_by(User.name, User.id)
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.is_active_account.is_(active))
    if search.strip():
        term = search.strip().lower()
        query = query.where(User.email.contains(term, autoescape=True)
                            | User.name.icontains(term, autoescape=True))
    return list(db.session.scalars(query))


def get_user(user_id: int) -> User:
    """Return the account with this id, or refuse with 404."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def user_by_email(email: str) -> User:
    """Return the account with this e-mail address, or refuse with 404."""
    user = accounts.find_user(email)
    if user is None:
        raise NotFound(f"No user with e-mail {accounts.normalise_email(email)}.")
    return user


def _keep_an_admin(user: User) -> None:
    """Refuse to take away the last active administrator."""
    if user.role != "admin" or not user.is_active_account:
        return
    # Lock every active administrator, in id order: two administrators removing each other at
    # the same time queue here instead of deadlocking, and the second sees the first's change.
    admins = db.session.scalars(
        select(User.id).where(User.role == "admin", User.is_active_account.is_(True))
        .order_by(User.id).with_for_update()).all()
    if all(admin_id == user.id for admin_id in admins):
        raise Conflict(LAST_ADMIN.format(email=user.email))


@transactional
def update_user(actor: User | None, user_id: int, *, email: str, name: str, role: str,
                organization_id: int | None) -> dict[str, list[Any]]:
    """Change e-mail, name, role and organisation; return the changes as {field: [old, new]}."""
    user = get_user(user_id)
    org = accounts.organization_by_id(organization_id)
    email = accounts.normalise_email(email)
    problems = accounts.role_problems(role, org) + accounts.identity_problems(
        email, name, current=user)
    if problems:
        raise ValidationFailed.of(problems)
    if role != "admin":
        _keep_an_admin(user)
    new = {"email": email, "name": name.strip(), "role": role,
           "organization": org.name if org else None}
    old = {"email": user.email, "name": user.name, "role": user.role,
           "organization": user.organization.name if user.organization else None}
    changes = {key: [old[key], new[key]] for key in new if old[key] != new[key]}
    if changes:
        user.email, user.name, user.role, user.organization = email, new["name"], role, org
        # A change of role is what an assessor looks for: it is its own kind of event.
        action = "user.role_change" if "role" in changes else "user.update"
        record(actor, action, "user", user.id, {"email": user.email, "changes": changes})
    return changes


@transactional
def deactivate_user(actor: User | None, user_id: int) -> User:
    """Take away page and API access at once; the account and its history stay."""
    user = get_user(user_id)
    if not user.is_active_account:
        raise Conflict(f"{user.email} is already inactive.")
    _keep_an_admin(user)
    if actor is not None and actor.id == user.id:
        raise Conflict("You cannot deactivate your own account; ask another administrator.")
    user.is_active_account = False
    revoked = revoke_all_tokens(actor, user, "account deactivated")
    record(actor, "user.deactivate", "user", user.id,
           {"email": user.email, "tokens_revoked": revoked})
    return user


@transactional
def reactivate_user(actor: User | None, user_id: int) -> User:
    """Give a deactivated account its access back."""
    user = get_user(user_id)
    if user.is_active_account:
        raise Conflict(f"{user.email} is already active.")
    user.is_active_account = True
    record(actor, "user.reactivate", "user", user.id, {"email": user.email})
    return user


@transactional
def require_password_change(actor: User | None, user_id: int) -> User:
    """Send the user to the change-password page at their next request."""
    user = get_user(user_id)
    if not user.must_change_password:
        user.must_change_password = True
        record(actor, "user.require_password_change", "user", user.id, {"email": user.email})
    return user


@transactional
def set_temporary_password(actor: User | None, user_id: int, password: str) -> User:
    """Give the user a password to sign in with once, then change."""
    user = get_user(user_id)
    problems = accounts.password_problems(password)
    if problems:
        raise ValidationFailed.of([("password", p) for p in problems])
    user.password_hash = generate_password_hash(password)
    user.must_change_password = True
    record(actor, "user.set_temporary_password", "user", user.id, {"email": user.email})
    return user


@transactional
def change_own_password(user: User, *, current_password: str, new_password: str) -> User:
    """Change the signed-in user's password, which needs the current one."""
    problems: list[tuple[str, str]] = []
    if not check_password_hash(user.password_hash, current_password):
        problems.append(("current_password", "This is not your current password."))
    problems += [("new_password", p) for p in accounts.password_problems(new_password)]
    if not problems and current_password == new_password:
        problems.append(("new_password", "Choose a password different from the current one."))
    if problems:
        raise ValidationFailed.of(problems)
    user.password_hash = generate_password_hash(new_password)
    user.must_change_password = False
    record(user, "user.change_password", "user", user.id)
    return user

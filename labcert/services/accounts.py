"""Accounts: create users, check passwords, keep the last administrator."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.models import ORGANIZATION_ROLES, ROLES, Organization, User, utcnow
from labcert.services.audit import record
from labcert.services.audit_refusals import note_failed_sign_in
from labcert.services.unit_of_work import transactional

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
KIND_FOR_ROLE = {"manufacturer": "manufacturer", "exporter": "exporter"}

# A hash to compare against when the e-mail is unknown, so both paths take as long.
_DUMMY_HASH = generate_password_hash("labcert-timing-equaliser")


def normalise_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed and lower-case."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the user with this e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user whose password matches, else None (same cost either way)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def sign_in(email: str, password: str, channel: str) -> User | None:
    """Authenticate; a failure is recorded in the audit trail with its reason (unknown
    account, wrong password, inactive account), never with the password."""
    user = authenticate(email, password)
    if user is None:
        known = find_user(email)
        reason = ("unknown account" if known is None else
                  "inactive account" if not known.is_active else "wrong password")
        note_failed_sign_in(email, channel, reason, known)
    return user


def password_problems(password: str) -> list[str]:
    """Say what is wrong with a new password."""
    if len(password) < MIN_PASSWORD:
        return [f"Use at least {MIN_PASSWORD} characters."]
    return []


def _organization_named(role: str, name: str) -> Organization:
    """Return the organisation with this name, creating it with the kind that fits the role."""
    org = db.session.scalar(select(Organization).where(Organization.name == name.strip()))
    if org is not None:
        return org
    kind = KIND_FOR_ROLE.get(role, "lab")
    if kind == "lab":
        lab = db.session.scalar(select(Organization).where(Organization.kind == "lab"))
        if lab is not None:
            raise ValidationFailed.of([("organization", f"The lab is registered as {lab.name}; "
                                        "lab staff belong to it (name it, or name none).")])
    org = Organization(name=name.strip(), kind=kind)
    db.session.add(org)
    db.session.flush()
    return org


def organization_by_id(organization_id: int | None) -> Organization | None:
    """Return the organisation chosen from a list, or refuse an unknown id."""
    if organization_id is None:
        return None
    org = db.session.get(Organization, organization_id)
    if org is None:
        raise ValidationFailed.of([("organization", "Choose an organisation from the list.")])
    return org


def role_problems(role: str, org: Organization | None) -> list[tuple[str, str]]:
    """Say what is wrong with this pairing of role and organisation."""
    if role not in ROLES:
        return [("role", f"Choose one of: {', '.join(ROLES)}.")]
    if role in ORGANIZATION_ROLES:
        if org is None:
            return [("organization", f"A {role} user belongs to a {role}: choose one.")]
        if org.kind != role:
            return [("organization", f"{org.name} is a {org.kind}, not a {role}.")]
    elif org is not None and org.kind != "lab":
        return [("organization", f"A {role} works for the lab, not for {org.name} ({org.kind}).")]
    return []


def identity_problems(email: str, name: str, *,
                      current: User | None = None) -> list[tuple[str, str]]:
    """Say what is wrong with an account's e-mail address and name (`current`: being edited)."""
    problems: list[tuple[str, str]] = []
    if not EMAIL_RE.match(email):
        problems.append(("email", "Enter an e-mail address such as name@example.com."))
    elif (current is None or email != current.email) and find_user(email) is not None:
        problems.append(("email", f"An account for {email} already exists."))
    if not name.strip():
        problems.append(("name", "Enter the person's name."))
    return problems


@transactional
def create_user(actor: User | None, *, email: str, name: str, role: str, password: str,
                organization_id: int | None = None, organization: str | None = None,
                must_change_password: bool = False) -> User:
    """Create an account in an organisation that fits the role.

    The organisation is chosen by id (pages) or by name (command line); an unknown name is
    created with the kind that fits the role.
    """
    email = normalise_email(email)
    problems = identity_problems(email, name)
    problems += [("password", p) for p in password_problems(password)]
    if role in ORGANIZATION_ROLES and organization_id is None and not (organization or "").strip():
        problems.append(("organization", f"A {role} user belongs to an organization: name it."))
    if problems:
        raise ValidationFailed.of(problems)
    org = organization_by_id(organization_id) if organization_id is not None else (
        _organization_named(role, organization) if (organization or "").strip() else None)
    problems = role_problems(role, org)
    if problems:
        raise ValidationFailed.of(problems)
    user = User(email=email, name=name.strip(), role=role, organization=org,
                password_hash=generate_password_hash(password),
                must_change_password=must_change_password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id,
           {"email": email, "role": role, "organization": org.name if org else None})
    return user


def load_user(user_id: int) -> User | None:
    """Return the user with this id if the account may still be used."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


@transactional
def note_login(user: User) -> None:
    """Record a successful sign-in."""
    user.last_login_at = utcnow()
    record(user, "user.login", "user", user.id)


def count_active_admins() -> int:
    """Count administrators who can still sign in."""
    return db.session.scalar(
        select(func.count()).select_from(User)
        .where(User.role == "admin", User.is_active_account.is_(True))
    ) or 0

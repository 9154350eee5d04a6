"""API tokens: random, shown once, stored as SHA-256, with expiry and revocation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from labcert.errors import NotFound
from labcert.extensions import db
from labcert.models import ApiToken, User, utcnow
from labcert.services.audit import record
from labcert.services.unit_of_work import transactional

TOKEN_PREFIX = "lct_"  # noqa: S105  (a public prefix, not a secret)


def hash_token(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


@transactional
def issue_token(actor: User | None, user: User, *, days: int,
                name: str = "") -> tuple[str, ApiToken]:
    """Create a token for `user`; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, token_hash=hash_token(plain), prefix=plain[:12], name=name,
                     expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record(actor or user, "token.create", "api_token", token.id,
           {"user": user.email, "expires_at": token.expires_at.isoformat(), "name": name})
    return plain, token


def user_for_token(plain: str) -> User | None:
    """Return the active user a bearer token belongs to, or None if unknown, expired or revoked."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or not token.is_usable(utcnow()):
        return None
    return token.user


def list_tokens(user: User | None = None) -> list[ApiToken]:
    """Return the tokens of `user` (everyone's if None), newest first."""
    query = select(ApiToken).options(joinedload(ApiToken.user)) \
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query))


def revoke_all_tokens(actor: User | None, user: User, reason: str) -> list[int]:
    """Revoke every token of `user` for good (a reactivated account needs new ones); each
    revocation is its own audit event. Return the ids revoked. The caller commits."""
    now, revoked = utcnow(), []
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                           ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
        record(actor, "token.revoke", "api_token", token.id,
               {"user": user.email, "reason": reason})
        revoked.append(token.id)
    return revoked


@transactional
def revoke_token(actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token: its owner may, and so may an administrator or the CLI (actor None)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (actor is not None and token.user_id != actor.id
                         and actor.role != "admin"):
        raise NotFound(f"No API token with id {token_id} among yours.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(actor, "token.revoke", "api_token", token.id, {"user": token.user.email})
    return token

"""The lists people work from: applications and certificates a user may see."""

from __future__ import annotations

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Application, Certificate, User


def visible_applications(user: User, state: str | None = None) -> list[Application]:
    """List the applications this user may see, newest first."""
    stmt = select(Application).order_by(Application.id.desc())
    if not user.is_staff:
        stmt = stmt.where(Application.manufacturer_id == user.organization_id)
    if state:
        stmt = stmt.where(Application.state == state)
    return list(db.session.scalars(stmt))


def visible_certificates(user: User, market: str | None = None) -> list[Certificate]:
    """List the certificates this user may see, newest first."""
    stmt = select(Certificate).order_by(Certificate.id.desc())
    if not user.is_staff:
        stmt = stmt.where(Certificate.holder_id == user.organization_id)
    if market:
        stmt = stmt.where(Certificate.market == market)
    return list(db.session.scalars(stmt))

"""The lists people work from: applications and certificates a user may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute

from labcert.access import sees_every_organization
from labcert.extensions import db
from labcert.models import Application, Certificate, User


def visible_to(user: User, query: Select[Any], owner: InstrumentedAttribute[int]) -> Select[Any]:
    """Keep a query to the rows the user may see: all for lab staff, else their organisation's."""
    if sees_every_organization(user):
        return query
    return query.where(owner == user.organization_id)


def visible_applications(user: User, state: str | None = None) -> list[Application]:
    """List the applications this user may see, newest first."""
    query = visible_to(user, select(Application), Application.manufacturer_id)
    if state:
        query = query.where(Application.state == state)
    return list(db.session.scalars(query.order_by(Application.id.desc())))


def visible_certificates(user: User, market: str | None = None) -> list[Certificate]:
    """List the certificates this user may see, newest first."""
    query = visible_to(user, select(Certificate), Certificate.holder_id)
    if market:
        query = query.where(Certificate.market == market)
    return list(db.session.scalars(query.order_by(Certificate.id.desc())))

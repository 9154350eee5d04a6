"""Organisations: the lab, manufacturers and exporters; the lab's profile for certificates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from labcert.errors import Conflict, NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import ORGANIZATION_KINDS, Organization, User
from labcert.services import logos
from labcert.services.audit import record
from labcert.services.search_text import refresh_manufacturer
from labcert.services.unit_of_work import transactional

COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def list_organizations(kind: str | None = None) -> list[tuple[Organization, int]]:
    """Return (organisation, number of users) pairs, the lab first, then by name."""
    users = (select(User.organization_id, func.count().label("n"))
             .group_by(User.organization_id).subquery())
    query = (select(Organization, func.coalesce(users.c.n, 0))
             .outerjoin(users, users.c.organization_id == Organization.id)
             .order_by((Organization.kind != "lab"), Organization.name))
    if kind:
        query = query.where(Organization.kind == kind)
    return [(org, count) for org, count in db.session.execute(query)]


def organizations_of_kind(kind: str | None = None) -> list[Organization]:
    """Return the organisations (of one kind, if given) by name."""
    query = select(Organization).order_by(Organization.name)
    if kind:
        query = query.where(Organization.kind == kind)
    return list(db.session.scalars(query))


def get_organization(organization_id: int) -> Organization:
    """Return the organisation with this id, or refuse with 404."""
    org = db.session.get(Organization, organization_id)
    if org is None:
        raise NotFound(f"No organisation with id {organization_id}.")
    return org


def find_lab() -> Organization | None:
    """Return the lab's own organisation, if it was registered."""
    return db.session.scalar(select(Organization).where(Organization.kind == "lab")
                             .order_by(Organization.id).limit(1))


def _clean(kind: str, name: str, address: str, country: str, factory_sites: list[str],
           accreditation_number: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Return the values as stored and what is wrong with them."""
    values = {"name": name.strip(), "address": address.strip(),
              "country": country.strip().upper(),
              "factory_sites": [s.strip() for s in factory_sites if s.strip()],
              "accreditation_number": accreditation_number.strip()}
    problems = []
    if not values["name"]:
        problems.append(("name", "Enter the organisation's name."))
    if not values["address"]:
        problems.append(("address", "Enter the postal address (it is printed on certificates)."))
    if not COUNTRY_RE.match(values["country"]):
        problems.append(("country", "Enter the two-letter country code, such as PK."))
    if values["factory_sites"] and kind != "manufacturer":
        problems.append(("factory_sites", "Only manufacturers have factory sites."))
    if values["accreditation_number"] and kind != "lab":
        problems.append(("accreditation_number", "Only the lab has an accreditation number."))
    return values, problems


def _name_taken(name: str, other_than: int | None = None) -> bool:
    query = select(Organization.id).where(func.lower(Organization.name) == name.lower())
    if other_than is not None:
        query = query.where(Organization.id != other_than)
    return db.session.scalar(query) is not None


@transactional
def create_organization(actor: User | None, *, kind: str, name: str, address: str, country: str,
                        factory_sites: Sequence[str] = (), accreditation_number: str = ""
                        ) -> Organization:
    """Register a manufacturer, an exporter, or the lab itself (once)."""
    if kind not in ORGANIZATION_KINDS:
        raise ValidationFailed.of([("kind", "Choose lab, manufacturer or exporter.")])
    values, problems = _clean(kind, name, address, country, list(factory_sites),
                              accreditation_number)
    if values["name"] and _name_taken(values["name"]):
        problems.append(("name", f"An organisation named {values['name']} already exists."))
    if problems:
        raise ValidationFailed.of(problems)
    lab = find_lab() if kind == "lab" else None
    if lab is not None:
        raise Conflict(f"The lab is already registered as {lab.name}; edit it instead.")
    org = Organization(kind=kind, **values)
    db.session.add(org)
    db.session.flush()
    record(actor, "organization.create", "organization", org.id, {"kind": kind, **values})
    return org


@transactional
def update_organization(actor: User | None, organization_id: int, *, name: str, address: str,
                        country: str, factory_sites: Sequence[str] = (),
                        accreditation_number: str = "") -> dict[str, list[Any]]:
    """Change an organisation's details (not its kind); return {field: [old, new]}."""
    org = get_organization(organization_id)
    values, problems = _clean(org.kind, name, address, country, list(factory_sites),
                              accreditation_number)
    if values["name"] and _name_taken(values["name"], other_than=org.id):
        problems.append(("name", f"An organisation named {values['name']} already exists."))
    if problems:
        raise ValidationFailed.of(problems)
    changes = {key: [getattr(org, key), value] for key, value in values.items()
               if getattr(org, key) != value}
    if changes:
        for key, value in values.items():
            setattr(org, key, value)
        if "name" in changes:
            db.session.flush()
            refresh_manufacturer(org.id)
        record(actor, "organization.update", "organization", org.id, {"changes": changes})
    return changes


@transactional
def set_logo(actor: User | None, organization_id: int, data: bytes) -> str:
    """Store the lab's logo (PNG, JPEG or SVG up to 512 KB, judged by content); return its type."""
    org = get_organization(organization_id)
    if org.kind != "lab":
        raise ValidationFailed.of([("logo", "Only the lab's logo is printed on certificates.")])
    mimetype = logos.check(data)
    record(actor, "organization.set_logo", "organization", org.id,
           {"mimetype": mimetype, "bytes": len(data), "sha256": logos.digest(data)})
    org.logo, org.logo_mimetype = data, mimetype
    return mimetype


@transactional
def remove_logo(actor: User | None, organization_id: int) -> None:
    """Take the logo off the lab's certificates."""
    org = get_organization(organization_id)
    if org.logo is None:
        raise Conflict(f"{org.name} has no logo to remove.")
    record(actor, "organization.remove_logo", "organization", org.id)
    org.logo, org.logo_mimetype = None, None


def lab_profile(fallback_name: str) -> dict[str, Any]:
    """Return the lab's name, address, accreditation, country and logo for certificates.

    Before the lab registered itself, the configured name (LABCERT_LAB_NAME) stands in.
    """
    lab = find_lab()
    return {
        "name": lab.name if lab else fallback_name,
        "address": lab.address if lab else "",
        "accreditation_number": lab.accreditation_number if lab else "",
        "country": lab.country if lab else "",
        "logo": lab.logo if lab else None,
        "logo_mimetype": lab.logo_mimetype if lab else None,
    }

"""Applications: open one for a product and its markets, submit it, cancel it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select

from labcert.access import check_owner
from labcert.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from labcert.extensions import db
from labcert.models import (
    Application,
    Organization,
    Product,
    ProductTac,
    Sample,
    TestResult,
    User,
)
from labcert.rules import InputError, UnknownCriteriaSet, load_registry, parse_product
from labcert.services.audit import record
from labcert.services.states import move
from labcert.services.unit_of_work import transactional

TECHNOLOGIES = ("gsm", "umts", "lte", "nr", "wlan", "bluetooth", "nfc", "gnss")
CATEGORIES = ("smartphone", "feature_phone", "tablet", "foldable", "wearable", "module")
TAC_RE = re.compile(r"^\d{8}$")
PRODUCT_TEXT = {"brand": 100, "model": 100, "marketing_name": 200, "hardware_version": 100,
                "software_version": 100}


def get_application(user: User, application_id: int, *, lock: bool = False) -> Application:
    """Return the application if this user may see it; 404 otherwise (also for others' ones)."""
    stmt = select(Application).where(Application.id == application_id)
    application = db.session.scalar(stmt.with_for_update() if lock else stmt)
    if application is None:
        raise NotFound(f"No application with id {application_id}.")
    check_owner(user, application.manufacturer_id, "application")
    return application


def visible_applications(user: User, state: str | None = None) -> list[Application]:
    """List the applications this user may see, newest first."""
    stmt = select(Application).order_by(Application.id.desc())
    if not user.is_staff:
        stmt = stmt.where(Application.manufacturer_id == user.organization_id)
    if state:
        stmt = stmt.where(Application.state == state)
    return list(db.session.scalars(stmt))


def _product_problems(product: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []
    for name, limit in PRODUCT_TEXT.items():
        value = product.get(name) or ""
        if not isinstance(value, str):
            problems.append((f"product.{name}", "Enter text."))
        elif len(value) > limit:
            problems.append((f"product.{name}", f"Use at most {limit} characters."))
    for name in ("brand", "model"):
        if not str(product.get(name) or "").strip():
            problems.append((f"product.{name}", f"Enter the {name} (as on the type label)."))
    if product.get("category", "smartphone") not in CATEGORIES:
        problems.append(("product.category", f"Choose one of: {', '.join(CATEGORIES)}."))
    technologies = product.get("technologies") or []
    unknown = [t for t in technologies if t not in TECHNOLOGIES]
    if not isinstance(technologies, list) or unknown:
        problems.append(("product.technologies",
                         f"Unknown technology {unknown[:1]}; use: {', '.join(TECHNOLOGIES)}."))
    for index, tac in enumerate(product.get("tacs") or []):
        if not isinstance(tac, str) or not TAC_RE.match(tac):
            problems.append((f"product.tacs.{index}",
                             f"A TAC is the first 8 digits of the IMEI; {tac!r} is not 8 digits."))
    if not product.get("tacs"):
        problems.append(("product.tacs", "Declare at least one TAC (first 8 digits of the IMEI)."))
    return problems + _fact_problems(product.get("facts"))


def _fact_problems(facts: Any) -> list[tuple[str, str]]:
    """Check other product facts exactly as the rule engine reads them (e.g. has_internet)."""
    if facts is None:
        return []
    if not isinstance(facts, dict):
        return [("product.facts", "Give the facts as an object of names and values.")]
    try:
        parse_product({**facts, "brand": "-", "model": "-"}, prefix="product.facts")
    except InputError as error:
        return [(key, message) for key, messages in error.details.items()
                for message in messages]
    return []


def _market_problems(markets: Sequence[str], today: date) -> list[tuple[str, str]]:
    if not markets:
        return [("markets", "Choose at least one target market.")]
    registry = load_registry()
    problems = []
    for index, market in enumerate(markets):
        try:
            registry.resolve(market, today)
        except UnknownCriteriaSet as error:
            problems.append((f"markets.{index}", str(error)))
    if len(set(markets)) != len(markets):
        problems.append(("markets", "Name each market once."))
    return problems


def _manufacturer_for(actor: User, manufacturer_id: int | None) -> Organization:
    if not actor.is_staff:
        if actor.role != "manufacturer" or actor.organization is None:
            raise PermissionDenied("Only manufacturers and lab staff open applications.")
        return actor.organization
    org = db.session.get(Organization, manufacturer_id) if manufacturer_id else None
    if org is None or org.kind != "manufacturer":
        raise ValidationFailed.of([("manufacturer_id", "Choose the manufacturer who applies.")])
    return org


def _provisional_number() -> str:
    """Return a unique placeholder; the real number derives from the row id (no race)."""
    return "APP-NEW-" + secrets.token_hex(8)


@transactional
def create_application(actor: User, *, product: dict[str, Any], markets: list[str],
                       manufacturer_id: int | None = None,
                       today: date | None = None) -> Application:
    """Open a draft application for a product and its target markets."""
    today = today or date.today()
    problems = _product_problems(product) + _market_problems(markets, today)
    if problems:
        raise ValidationFailed.of(problems)
    manufacturer = _manufacturer_for(actor, manufacturer_id)
    item = Product(manufacturer=manufacturer,
                   **{k: str(product.get(k) or "").strip() for k in PRODUCT_TEXT},
                   category=product.get("category") or "smartphone",
                   technologies=sorted(set(product.get("technologies") or [])),
                   bands=[str(b).strip() for b in product.get("bands") or [] if str(b).strip()],
                   facts=dict(product.get("facts") or {}))
    item.tac_rows = [ProductTac(tac=t) for t in dict.fromkeys(product["tacs"])]
    application = Application(number=_provisional_number(), product=item,
                              manufacturer=manufacturer, markets=list(markets), created_by=actor)
    db.session.add(application)
    db.session.flush()
    application.number = f"APP-{today.year}-{application.id:05d}"
    record(actor, "application.create", "application", application.id,
           {"number": application.number, "markets": markets, "brand": item.brand,
            "model": item.model, "manufacturer": manufacturer.name})
    return application


@transactional
def submit_application(actor: User, application_id: int) -> Application:
    """Send a tested application to review: it needs at least one sample and one result."""
    application = get_application(actor, application_id)
    problems = []
    if not db.session.scalar(select(func.count()).select_from(Sample)
                             .where(Sample.application_id == application.id)):
        problems.append(("samples", "Add at least one sample before submitting."))
    if not db.session.scalar(select(func.count()).select_from(TestResult)
                             .where(TestResult.application_id == application.id)):
        problems.append(("results", "Enter at least one result before submitting."))
    if application.state in ("draft", "testing") and problems:
        raise ValidationFailed.of(problems)
    before = move(application, "submitted")
    record(actor, "application.submit", "application", application.id, {"from": before})
    return application


@transactional
def cancel_application(actor: User, application_id: int, reason: str) -> Application:
    """Cancel an application that is not final, with a reason."""
    application = get_application(actor, application_id)
    if actor.role == "manufacturer" and application.state != "draft":
        raise Conflict(f"Cannot cancel application {application.number}: it is "
                       f"{application.state}; manufacturers cancel only drafts, so ask the lab.",
                       {"state": [application.state]})
    if not reason.strip():
        raise ValidationFailed.of([("reason", "Say why the application is cancelled.")])
    before = move(application, "cancelled")
    record(actor, "application.cancel", "application", application.id,
           {"from": before, "reason": reason.strip()})
    return application

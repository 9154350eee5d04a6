"""Applications: open one for a product and its markets, submit it, cancel it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select

from labcert.access import check_owner
from labcert.errors import NotFound, PermissionDenied, ValidationFailed
from labcert.extensions import db
from labcert.models import (
    Application,
    Organization,
    Product,
    ProductTac,
    Review,
    Sample,
    TestResult,
    User,
)
from labcert.rules import InputError, ProductFacts, UnknownCriteriaSet, load_registry, parse_product
from labcert.services.audit import record
from labcert.services.search_text import refresh_search_text
from labcert.services.states import move, require_cancellable, require_editable
from labcert.services.unit_of_work import transactional


def get_application(user: User, application_id: int, *, lock: bool = False) -> Application:
    """Return the application if this user may see it; 404 otherwise (also for others' ones)."""
    stmt = select(Application).where(Application.id == application_id)
    application = db.session.scalar(stmt.with_for_update() if lock else stmt)
    if application is None:
        raise NotFound(f"No application with id {application_id}.")
    check_owner(user, application.manufacturer_id, "application")
    return application


def check_product(product: dict[str, Any]) -> tuple[ProductFacts, dict[str, Any]]:
    """Check a product with the rule engine's own parser; return its facts and extra facts."""
    facts = product.get("facts")
    core = {k: v for k, v in product.items() if k != "facts"}
    problems: list[tuple[str, str]] = []
    parsed = _parsed(lambda: parse_product(core, complete=True), problems)
    if facts is not None and not isinstance(facts, dict):
        problems.append(("product.facts", "Give the facts as an object of names and values."))
    elif facts:
        _parsed(lambda: parse_product(facts, prefix="product.facts"), problems)
    if problems or parsed is None:
        raise ValidationFailed.of(problems)
    return parsed, dict(facts or {})


def _parsed(parse: Any, problems: list[tuple[str, str]]) -> ProductFacts | None:
    try:
        return parse()
    except InputError as error:
        problems.extend((key, _sentence(message)) for key, messages in error.details.items()
                        for message in messages)
        return None


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "?")) else ".")


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


def find_application(reference: str) -> Application | None:
    """Return the application with this id or number (APP-2026-00001), if any."""
    text = reference.strip()
    if text.isdigit():
        return db.session.get(Application, int(text))
    return db.session.scalar(select(Application).where(Application.number == text))


def _provisional_number() -> str:
    """Return a unique placeholder; the real number derives from the row id (no race)."""
    return "APP-NEW-" + secrets.token_hex(8)


@transactional
def create_application(actor: User, *, product: dict[str, Any], markets: list[str],
                       manufacturer_id: int | None = None,
                       today: date | None = None) -> Application:
    """Open a draft application for a product and its target markets."""
    today = today or date.today()
    market_problems = _market_problems(markets, today)
    try:
        parsed, extra = check_product(product)
    except ValidationFailed as error:
        raise ValidationFailed.of([*((k, m) for k, ms in error.details.items() for m in ms),
                                   *market_problems]) from None
    if market_problems:
        raise ValidationFailed.of(market_problems)
    manufacturer = _manufacturer_for(actor, manufacturer_id)
    item = Product(manufacturer=manufacturer, brand=parsed.brand, model=parsed.model,
                   marketing_name=parsed.marketing_name,
                   category=parsed.category or "smartphone",
                   hardware_version=parsed.hardware_version,
                   software_version=parsed.software_version,
                   technologies=sorted(parsed.technologies),
                   bands=list(dict.fromkeys(b.strip() for b in product.get("bands") or [])),
                   facts=extra)
    item.tac_rows = [ProductTac(tac=t) for t in dict.fromkeys(parsed.tacs)]
    application = Application(number=_provisional_number(), product=item,
                              manufacturer=manufacturer, markets=list(markets), created_by=actor)
    db.session.add(application)
    db.session.flush()
    application.number = f"APP-{today.year}-{application.id:05d}"
    refresh_search_text(application)
    record(actor, "application.create", "application", application.id,
           {"number": application.number, "markets": markets, "brand": item.brand,
            "model": item.model, "manufacturer": manufacturer.name})
    return application


def unacknowledged_reasons(application: Application,
                           acknowledged: Sequence[int]) -> list[str]:
    """Return the reasons of the rejection that sent the application back which the
    technician has not ticked (by their index); none when it was not sent back."""
    if application.state != "testing":
        return []
    last = db.session.scalars(select(Review).where(Review.application_id == application.id)
                              .order_by(Review.id.desc()).limit(1)).first()
    if last is None or last.decision != "rejected":
        return []
    ticked = set(acknowledged)
    return [reason for n, reason in enumerate(last.reasons or []) if n not in ticked]


@transactional
def change_markets(actor: User, application_id: int, markets: list[str]) -> Application:
    """Set an editable application's target markets; its plan follows (results are kept)."""
    application = get_application(actor, application_id)
    require_editable(application, "markets")
    problems = _market_problems(markets, date.today())
    if problems:
        raise ValidationFailed.of(problems)
    before = list(application.markets)
    application.markets = list(markets)
    record(actor, "application.markets", "application", application.id,
           {"before": before, "markets": list(markets)})
    return application


@transactional
def submit_application(actor: User, application_id: int,
                       acknowledged: Sequence[int] = ()) -> Application:
    """Send a tested application to review: it needs at least one sample and one result, and
    after a rejection every reason acknowledged (`acknowledged`: their indexes, from 0)."""
    application = get_application(actor, application_id)
    problems = []
    if not db.session.scalar(select(func.count()).select_from(Sample)
                             .where(Sample.application_id == application.id)):
        problems.append(("samples", "Add at least one sample before submitting."))
    if not db.session.scalar(select(func.count()).select_from(TestResult)
                             .where(TestResult.application_id == application.id)):
        problems.append(("results", "Enter at least one result before submitting."))
    open_reasons = unacknowledged_reasons(application, acknowledged)
    if open_reasons:
        problems.append(("acknowledged", "Confirm you addressed each reason the reviewer gave "
                         "before submitting again; not yet confirmed: "
                         + "; ".join(f"“{r}”" for r in open_reasons) + "."))
    if application.state in ("draft", "testing") and problems:
        raise ValidationFailed.of(problems)
    before = move(application, "submitted")
    record(actor, "application.submit", "application", application.id,
           {"from": before, "acknowledged": sorted(set(acknowledged))})
    return application


@transactional
def cancel_application(actor: User, application_id: int, reason: str) -> Application:
    """Cancel an application that is not final, with a reason."""
    application = get_application(actor, application_id)
    require_cancellable(actor, application)
    if not reason.strip():
        raise ValidationFailed.of([("reason", "Say why the application is cancelled.")])
    before = move(application, "cancelled")
    record(actor, "application.cancel", "application", application.id,
           {"from": before, "reason": reason.strip()})
    return application

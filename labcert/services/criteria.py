"""Read-only views of the criteria registry, with how many certificates each version issued."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from labcert.errors import NotFound, ValidationFailed
from labcert.extensions import db
from labcert.models import Certificate
from labcert.rules import (
    CriteriaSet,
    InputError,
    UnknownCriteriaSet,
    evaluate,
    load_registry,
    parse_product,
    parse_results,
)


def certificates_per_set() -> dict[str, int]:
    """Count issued certificates per criteria set id@version."""
    rows = db.session.execute(select(Certificate.criteria_set, func.count())
                              .group_by(Certificate.criteria_set))
    return {row[0]: row[1] for row in rows}


def catalogue_of_sets(today: date) -> list[dict[str, Any]]:
    """List every version with its status on `today` and its certificate count."""
    registry = load_registry()
    issued = certificates_per_set()
    return [{**cs.summary(), "status": registry.status(cs, today),
             "supersedes": cs.supersedes, "validity_months": cs.validity_months,
             "certificates": issued.get(cs.ref, 0),
             "unconfirmed": sum(1 for c in cs.criteria if not c.confirmed)}
            for cs in registry.all()]


def find_set(ref: str, today: date) -> CriteriaSet:
    """Return the set named by 'id' or 'id@version' (a draft too); 404 with the reason otherwise."""
    try:
        return load_registry().resolve(ref, today, drafts=True)
    except UnknownCriteriaSet as error:
        raise NotFound(error.message) from None


def evaluate_request(body: dict[str, Any], today: date) -> dict[str, Any]:
    """Evaluate posted facts and results against a set; store nothing; 422 lists every problem.

    A result the decision rule cannot judge (no U, or U above an invalidating maximum) is not an
    input error: it is judged `indeterminate` with the reason, as the stored evaluation does.
    """
    registry = load_registry()
    details: dict[str, list[str]] = {}
    criteria_set = product = results = None
    try:
        criteria_set = registry.resolve(body.get("criteria_set", ""), today)
    except UnknownCriteriaSet as error:
        details["criteria_set"] = [error.message]
    try:
        product = parse_product(body.get("product") or {})
    except InputError as error:
        details.update(error.details)
    try:
        results = parse_results(body.get("results") or [], registry.catalogue)
    except InputError as error:
        details.update(error.details)
    if details or criteria_set is None or product is None or results is None:
        raise ValidationFailed("The evaluation request is not valid; see details.", details)
    return evaluate(criteria_set, product, results, today).to_dict()

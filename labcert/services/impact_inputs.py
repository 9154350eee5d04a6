"""Load what the rule engine needs to re-judge in-force certificates, in bulk (no N+1).

For each certificate: the product facts (product row, TACs, sample IMEIs) and its stored
results: the application's results (superseded ones stay, the engine skips them), the earlier
results a follow-up application carries over, and any result the snapshot's evaluation judged
that is no longer among them. A batch of certificates costs a fixed number of queries.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, select

from labcert.extensions import db
from labcert.models import (
    Application,
    Certificate,
    Instrument,
    Organization,
    Product,
    ProductTac,
    Sample,
    TestResult,
)
from labcert.rules import ProductFacts, Result

BATCH = 500
_REF = re.compile(r'"ref":\s*"([^"]+)"')  # result refs named anywhere in a snapshot
# Plain rows, not ORM objects: a batch reads tens of thousands of results.
RESULT_COLUMNS = (TestResult.id, TestResult.application_id, TestResult.sample_id,
                  TestResult.test_code, TestResult.value, TestResult.observation,
                  TestResult.unit, TestResult.uncertainty, TestResult.uncertainty_pct,
                  TestResult.k, cast(TestResult.conditions, Text).label("conditions_text"),
                  TestResult.instrument_id,
                  TestResult.tested_at, TestResult.superseded_by_id)


@dataclass(frozen=True)
class Subject:
    """One in-force certificate with the facts and stored results to re-judge it."""

    certificate_id: int
    number: str
    holder_id: int
    holder: str
    product: str
    criteria_set: str
    valid_until: date
    application_id: int
    facts: ProductFacts
    results: tuple[Result, ...]


def in_force_ids(market: str, today: date) -> list[int]:
    """Return the ids of the market's certificates in force today (valid, not expired)."""
    return list(db.session.scalars(select(Certificate.id).where(
        Certificate.market == market, Certificate.status == "valid",
        Certificate.valid_until >= today).order_by(Certificate.id)))


def batches(ids: Sequence[int], size: int = BATCH) -> Iterator[list[Subject]]:
    """Yield the subjects of the given certificates, `size` at a time, in id order."""
    for start in range(0, len(ids), size):
        yield load_subjects(ids[start:start + size])


def _conditions(text: str | None, seen: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Decode a result's conditions once per distinct text (they recur across applications)."""
    if not text:
        return {}
    if text not in seen:
        seen[text] = json.loads(text) or {}
    return dict(seen[text])


def _result(row: Any, imeis: dict[int, str], tags: dict[int, str],
            seen: dict[str, dict[str, Any]]) -> Result:
    return Result(test=row.test_code, value=row.value, observation=row.observation,
                  unit=row.unit, uncertainty=row.uncertainty,
                  uncertainty_pct=row.uncertainty_pct, k=row.k,
                  conditions=_conditions(row.conditions_text, seen),
                  sample_imei=imeis.get(row.sample_id or 0),
                  instrument=tags.get(row.instrument_id or 0), tested_at=row.tested_at,
                  ref=str(row.id), is_superseded=row.superseded_by_id is not None)


def _decimal(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def snapshot_results(snapshot: dict[str, Any], known: set[str]) -> list[Result]:
    """Return the results the snapshot's evaluation judged that `known` does not hold."""
    out = []
    for outcome in (snapshot.get("evaluation") or {}).get("outcomes", []):
        governing = outcome.get("governing")
        if not governing or governing.get("ref") in known or not governing.get("ref"):
            continue
        known.add(governing["ref"])
        out.append(Result(test=outcome["test"], value=_decimal(governing.get("value")),
                          observation=governing.get("observation"), unit=governing.get("unit"),
                          uncertainty=_decimal(governing.get("uncertainty")),
                          k=_decimal(governing.get("k")) or Decimal(2),
                          conditions=dict(governing.get("conditions") or {}),
                          sample_imei=governing.get("sample_imei"), ref=governing["ref"]))
    return out


def carried_ids(follow_ups: Iterable[dict[str, Any] | None]) -> set[int]:
    """Return the ids of earlier results follow-up applications carry over."""
    return {int(i) for f in follow_ups if f for i in f.get("carried", [])}


def load_subjects(ids: Sequence[int]) -> list[Subject]:
    """Load the subjects of these certificates with eight queries, whatever their number.

    A snapshot is read as text and parsed only if it names a result the rows do not hold.
    """
    certs = list(db.session.execute(select(
        Certificate.id, Certificate.number, Certificate.holder_id, Certificate.product_id,
        Certificate.application_id, Certificate.valid_until, Certificate.criteria_set,
        cast(Certificate.snapshot, Text).label("snapshot_text"))
        .where(Certificate.id.in_(ids)).order_by(Certificate.id)))
    app_ids = {c.application_id for c in certs}
    product_ids = {c.product_id for c in certs}
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_(product_ids)))}
    tacs: dict[int, list[str]] = defaultdict(list)
    for product_id, tac in db.session.execute(select(ProductTac.product_id, ProductTac.tac).where(
            ProductTac.product_id.in_(product_ids)).order_by(ProductTac.tac)):
        tacs[product_id].append(tac)
    holders = dict(db.session.execute(select(Organization.id, Organization.name).where(
        Organization.id.in_({c.holder_id for c in certs}))).all())
    follow_ups = dict(db.session.execute(select(Application.id, Application.follow_up).where(
        Application.id.in_(app_ids), Application.follow_up.is_not(None))).all())
    carried = carried_ids(follow_ups.values())
    wanted = TestResult.application_id.in_(app_ids)
    if carried:  # an OR with an empty list would keep SQLite from using the index
        wanted = wanted | TestResult.id.in_(carried)
    rows = list(db.session.execute(select(*RESULT_COLUMNS).where(wanted)
                                   .order_by(TestResult.id)))
    sample_rows = list(db.session.execute(select(Sample.id, Sample.application_id, Sample.imei)
                                          .where(Sample.application_id.in_(app_ids))
                                          .order_by(Sample.id)))
    imeis = {s.id: s.imei for s in sample_rows}
    tag_ids = {r.instrument_id for r in rows if r.instrument_id}
    tags = dict(db.session.execute(select(Instrument.id, Instrument.asset_tag).where(
        Instrument.id.in_(tag_ids))).all()) if tag_ids else {}
    by_app: dict[int, list[Any]] = defaultdict(list)
    by_id = {r.id: r for r in rows}
    for row in rows:
        by_app[row.application_id].append(row)
    app_imeis: dict[int, list[str]] = defaultdict(list)
    for sample in sample_rows:
        app_imeis[sample.application_id].append(sample.imei)
    subjects, seen = [], {}  # type: list[Subject], dict[str, dict[str, Any]]
    for cert in certs:
        own = by_app.get(cert.application_id, [])
        extra = [by_id[i] for i in (follow_ups.get(cert.application_id) or {}).get("carried", [])
                 if i in by_id]
        results = [_result(r, imeis, tags, seen) for r in [*own, *extra]]
        known = {r.ref for r in results if r.ref}
        if set(_REF.findall(cert.snapshot_text or "")) - known:  # parse only when it adds one
            results += snapshot_results(json.loads(cert.snapshot_text), known)
        product = products[cert.product_id]
        facts = ProductFacts(
            brand=product.brand, model=product.model, marketing_name=product.marketing_name,
            category=product.category, hardware_version=product.hardware_version,
            software_version=product.software_version,
            technologies=frozenset(product.technologies), bands=frozenset(product.bands),
            tacs=tuple(tacs.get(product.id, ())),
            sample_imeis=tuple(app_imeis.get(cert.application_id, ())),
            extra=dict(product.facts or {}))
        subjects.append(Subject(
            certificate_id=cert.id, number=cert.number, holder_id=cert.holder_id,
            holder=holders.get(cert.holder_id, ""), product=f"{product.brand} {product.model}",
            criteria_set=cert.criteria_set, valid_until=cert.valid_until,
            application_id=cert.application_id, facts=facts, results=tuple(results)))
    return subjects

"""Benchmark: the impact of the draft eu-red@2027.01 on 10 000 EU certificates in force.

Run: .venv/bin/python bench/bench_impact.py [--certificates 10000] [--database URL]
Goal (issue 18): < 60 s on this machine, a number of queries that does not grow per certificate.

The rows are inserted directly (issuing 10 000 signed PDFs is not what is measured), but each
certificate is realistic: a product with facts and a TAC, a sample, the golden EU example's 45
results, and a snapshot whose evaluation names the governing results. Half carry an IP68 result
(unaffected), a quarter IP53 (would fail the draft's IP54), a quarter none (needs tests), and
one in twenty expires before the draft's date (not applicable now).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert

from bench._setup import fresh_app, people
from labcert.extensions import db
from labcert.models import (
    Application,
    Certificate,
    Product,
    ProductTac,
    Sample,
    TestResult,
)
from labcert.rules import evaluate, load_registry
from labcert.rules.checks import luhn_check_digit
from labcert.services import impact, impact_runs

DRAFT = "eu-red@2027.01"
BASE = "compliant smartphone with EN 18031 passes"


def golden() -> tuple[list, str]:
    """Return the golden EU results and a snapshot template with placeholder refs."""
    current = load_registry().resolve("eu-red@2026.11", date.today())
    example = next(e for e in current.examples if e.name == BASE)
    results = [r for r in example.results if r.test != "ingress.ip"]
    import dataclasses

    refs = [dataclasses.replace(r, ref=f"@@R{i}@@") for i, r in enumerate(results)]
    evaluation = evaluate(current, example.product, refs, date.today()).to_dict()
    return results, json.dumps({"evaluation": evaluation, "engine_version": "bench"})


def insert_fleet(count: int, who: dict) -> None:
    """Insert `count` EU certificates with their products, samples and results, in bulk."""
    results, template = golden()
    now = datetime.now(UTC)
    per = len(results) + 1
    maker, reviewer = who["maker"].id, who["reviewer"].id
    tech, instrument = who["tech"].id, who["instrument"].id
    for start in range(0, count, 1000):
        chunk = range(start, min(count, start + 1000))
        db.session.execute(insert(Product), [
            {"id": n + 1, "manufacturer_id": maker, "brand": "Bench", "model": f"M{n}",
             "category": "smartphone", "technologies": ["gsm", "umts", "lte", "wlan",
                                                        "bluetooth", "nfc"],
             "bands": ["GSM900", "DCS1800", "UMTS B1", "LTE B1", "LTE B3", "LTE B7",
                       "LTE B20", "WLAN 2.4G"],
             "facts": {"has_internet": True}, "marketing_name": "", "hardware_version": "",
             "software_version": "", "created_at": now} for n in chunk])
        db.session.execute(insert(ProductTac), [
            {"product_id": n + 1, "tac": f"{35000000 + n}"} for n in chunk])
        db.session.execute(insert(Application), [
            {"id": n + 1, "number": f"APP-B-{n}", "product_id": n + 1, "manufacturer_id": maker,
             "markets": ["eu-red"], "state": "approved", "version": 1, "created_at": now,
             "updated_at": now} for n in chunk])
        db.session.execute(insert(Sample), [
            {"id": n + 1, "application_id": n + 1, "received_at": date.today(),
             "imei": f"{35000000 + n}000000" + str(luhn_check_digit(f"{35000000 + n}000000")),
             "serial": "", "condition": "", "created_at": now} for n in chunk])
        rows = []
        for n in chunk:
            for i, r in enumerate(results):
                rows.append(_row(n * per + i + 1, n + 1, r.test, r, now, tech, instrument))
            if n % 4 in (0, 1):
                rows.append(_row(n * per + len(results) + 1, n + 1, "ingress.ip", None, now,
                                 tech, None, observation="IP68"))
            elif n % 4 == 2:
                rows.append(_row(n * per + len(results) + 1, n + 1, "ingress.ip", None, now,
                                 tech, None, observation="IP53"))
        db.session.execute(insert(TestResult), rows)
        db.session.execute(insert(Certificate), [
            {"number": f"LC-2026-{n + 1:06d}", "base_number": f"LC-2026-{n + 1:06d}",
             "revision": 0, "year": 2026, "sequence": n + 1, "market": "eu-red",
             "criteria_set": "eu-red@2026.11", "engine_version": "bench", "template": "bench",
             "application_id": n + 1, "holder_id": maker, "product_id": n + 1,
             "status": "valid", "issued_at": now, "signatory_id": reviewer,
             "valid_until": date(2026, 12, 20) if n % 20 == 19 else date(2031, 11, 30),
             "signer_subject": "bench",
             "snapshot": json.loads(re.sub(r"@@R(\d+)@@",
                                           lambda m, n=n: str(n * per + int(m[1]) + 1),
                                           template)),
             "data_sha256": f"{n:064d}", "pdf": b"%PDF-bench", "pdf_sha256": f"{n:064d}",
             "qr_token": "bench"} for n in chunk])
        db.session.commit()


def _row(row_id: int, application_id: int, test: str, result, now: datetime, tech: int,
         instrument: int | None, observation: str | None = None) -> dict:
    return {"id": row_id, "application_id": application_id, "sample_id": application_id,
            "test_code": test, "value": result.value if result else None,
            "observation": result.observation if result else observation,
            "unit": result.unit if result else None,
            "uncertainty": result.uncertainty if result else None,
            "uncertainty_pct": result.uncertainty_pct if result else None,
            "k": result.k if result else Decimal(2),
            "conditions": {k: str(v) for k, v in dict(result.conditions).items()} if result
            else {}, "instrument_id": instrument if result and result.value is not None
            else None, "tested_at": now - timedelta(days=2), "entered_by_id": tech,
            "entered_at": now, "source": "bench", "is_external": False}


def main() -> None:
    """Insert the fleet, then time the analysis the background job runs, counting queries."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument("--database", default=None, help="e.g. postgresql://... (empty db)")
    args = parser.parse_args()
    fresh_app(**({"DATABASE_URL": args.database} if args.database else {}))
    started = time.perf_counter()
    insert_fleet(args.certificates, people())
    print(f"inserted {args.certificates} certificates in {time.perf_counter() - started:.1f} s "
          f"({db.engine.dialect.name})")
    queries = [0]
    event.listen(db.engine, "before_cursor_execute",
                 lambda *a, **k: queries.__setitem__(0, queries[0] + 1))
    today = date.today()
    criteria_set = impact.find_version(DRAFT, today)
    started, cpu = time.perf_counter(), time.process_time()
    report = impact.analyse(criteria_set, today)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"analyse:            {took:6.1f} s wall ({cpu:.1f} s CPU), {queries[0]:>4} queries, "
          f"{took / max(report['total'], 1) * 1000:.2f} ms per certificate; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"counts: {report['counts']} (total {report['total']})")
    queries[0] = 0
    run = impact_runs.request_run(None, DRAFT, today)
    started, cpu = time.perf_counter(), time.process_time()
    run = impact_runs.execute(run.id, today)
    took_job, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = len(json.dumps(run.result)) / 1e6
    print(f"job (with progress and the stored result, {size:.1f} MB JSON): {took_job:6.1f} s "
          f"wall ({cpu:.1f} s CPU), {queries[0]:>4} queries; "
          f"load average {os.getloadavg()[0]:.1f}")
    goal = "met" if max(took, took_job) < 60 else "NOT met"
    print(f"goal < 60 s for {args.certificates} certificates: {goal}")


if __name__ == "__main__":
    main()

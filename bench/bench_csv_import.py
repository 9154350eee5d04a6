"""Benchmark: CSV import of 10 000 result rows on SQLite, and all-or-nothing with one bad row.

Run: .venv/bin/python bench/bench_csv_import.py [--rows 10000]
Goal (issue #4): < 5 s for 10 000 rows on SQLite; a bad row near the end stores nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench._setup import fresh_app, people
from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.models import TestResult
from labcert.services.applications import create_application
from labcert.services.csv_import import import_results
from labcert.services.samples import add_sample

HEADER = ("test,value,unit,uncertainty,instrument,sample_imei,tested_at,cond.band,cond.position,"
          "cond.mass_g\n")
IMEI = "352099001761481"
POSITIONS = ("left cheek", "right cheek", "left tilt", "right tilt")
BANDS = ("LTE B1", "LTE B3", "LTE B7", "LTE B20", "GSM900")


def csv_rows(count: int, bad_at: int | None = None) -> bytes:
    """Build a rig export: SAR and conducted power rows across bands and positions."""
    at = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0).isoformat()
    lines = [HEADER]
    for n in range(count):
        band = BANDS[n % len(BANDS)]
        if n % 2:
            value = "1.2x" if n == bad_at else f"{0.5 + (n % 100) / 1000:.3f}"
            position = POSITIONS[n % len(POSITIONS)]
            lines.append(f"sar.head,{value},W/kg,0.25,RF-01,{IMEI},{at},{band},{position},10\n")
        else:
            value = "23.x" if n == bad_at else f"{22 + (n % 30) / 10:.1f}"
            lines.append(f"rf.conducted_power,{value},dBm,0.6,RF-01,{IMEI},{at},{band},,\n")
    return "".join(lines).encode()


def main() -> None:
    """Time a good import and a failing one; print both."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    fresh_app()
    who = people()
    product = {"brand": "Bench", "model": "B1", "technologies": ["lte", "gsm"],
               "bands": list(BANDS), "tacs": ["35209900"]}
    application = create_application(who["tech"], product=product, markets=["pk-pta"],
                                     manufacturer_id=who["maker"].id)
    add_sample(who["tech"], application.id, imei=IMEI,
               received_at=datetime.now(UTC).date() - timedelta(days=3))
    data = csv_rows(rows)
    started = time.perf_counter()
    ids = import_results(who["tech"], application.id, data)
    good = time.perf_counter() - started
    print(f"good file: {len(ids)} rows ({len(data) / 1e6:.1f} MB) imported in {good:.2f} s "
          f"({len(ids) / good:,.0f} rows/s) — goal < 5 s: {'met' if good < 5 else 'NOT met'}")

    before = db.session.scalar(select(func.count()).select_from(TestResult))
    bad = csv_rows(rows, bad_at=rows - 10)
    started = time.perf_counter()
    try:
        import_results(who["tech"], application.id, bad)
    except ValidationFailed as error:
        failed = time.perf_counter() - started
        where = next(iter(error.details))
        after = db.session.scalar(select(func.count()).select_from(TestResult))
        print(f"bad row near the end: refused in {failed:.2f} s at '{where}'; "
              f"rows stored before {before}, after {after} — "
              f"{'nothing stored' if after == before else 'PARTIAL WRITE'}")
    else:
        raise SystemExit("the bad file was accepted: the benchmark's bad row is not bad")


if __name__ == "__main__":
    main()

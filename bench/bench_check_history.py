"""Benchmark: an exporter's history page ("My checks") over a large verification log.

Run: .venv/bin/python bench/bench_check_history.py [--rows 1000000] [--mine 5000]
     [--database-url postgresql://postgres@127.0.0.1:5432/labcert_bench]  (default: SQLite)
The log rows are inserted directly: `rows` anonymous public checks and `mine` by one exporter,
spread over a year, half of the exporter's naming one of 200 certificates. What is timed is
`checks_by` (one page of 50 and its total, then the certificates' status now), the query the
page runs; the (user_id, at) index keeps it independent of the public checks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text
from werkzeug.security import generate_password_hash

from bench._setup import fresh_app, people
from bench.bench_shipment import registry
from labcert.extensions import db
from labcert.models import Organization, User, VerificationLog
from labcert.services.check_history import checks_by

CHUNK = 20_000


def exporter() -> User:
    """Create an exporter account."""
    org = Organization(name="Bench Exporter", kind="exporter")
    user = User(email="export@bench", name="Exporter", role="exporter", organization=org,
                password_hash=generate_password_hash("bench-password", method="pbkdf2:sha256:1000"))
    db.session.add_all([org, user])
    db.session.commit()
    return user


def fill(rows: int, mine: int, user_id: int, numbers: list[str]) -> None:
    """Insert the public checks and the exporter's, oldest first, in chunks."""
    start, total = datetime.now(UTC) - timedelta(days=365), rows + mine
    step = timedelta(days=365) / total
    every = max(1, total // mine)
    batch = []
    for n in range(total):
        own = n % every == 0
        number = numbers[n % len(numbers)] if n % 2 else None
        batch.append({"at": start + n * step, "certificate_number": number,
                      "channel": "page_shipment" if number is None else "page",
                      "outcome": "shipment:3/4" if number is None else "valid",
                      "user_id": user_id if own else None,
                      "market": "pk-pta" if number is None else None})
        if len(batch) == CHUNK:
            db.session.execute(insert(VerificationLog), batch)
            batch = []
    if batch:
        db.session.execute(insert(VerificationLog), batch)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE verification_log"))


def timed(user_id: int, page: int, runs: int) -> tuple[float, float, int]:
    """Return p50 and p95 in ms of one page of history, and the total it reports."""
    took, total = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        checks, total = checks_by(user_id, date.today(), page, 50)
        took.append((time.perf_counter() - started) * 1000)
        assert len(checks) == 50, f"page {page} has {len(checks)} checks"
        db.session.rollback()
    took.sort()
    return statistics.median(took), took[int(len(took) * 0.95) - 1], total


def main() -> None:
    """Fill the log, then time the first page and a deep page of the exporter's history."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--mine", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    overrides = {"DATABASE_URL": args.database_url} if args.database_url else {}
    app = fresh_app(**overrides)
    if args.database_url:  # a reused database: start from empty tables
        db.session.execute(text("TRUNCATE verification_log RESTART IDENTITY"))
        db.session.commit()
    who = people()
    registry(200, who)
    numbers = [f"LC-2026-{n + 1:06d}" for n in range(200)]
    user = exporter()
    started = time.perf_counter()
    fill(args.rows, args.mine, user.id, numbers)
    print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: {args.rows} public checks and "
          f"{args.mine} of one exporter inserted in {time.perf_counter() - started:.0f} s")
    for page in (1, args.mine // 50):
        p50, p95, total = timed(user.id, page, args.runs)
        print(f"page {page:>4} of 50: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms ({args.runs} runs; "
              f"total {total})")


if __name__ == "__main__":
    main()

"""Benchmark: search on PostgreSQL with 100 000 applications and 1 000 000 results.

Run: .venv/bin/python bench/bench_search.py --database postgresql://postgres@127.0.0.1/labcert_bench
     [--applications 100000] [--results-per-application 10] [--repeat 40] [--keep]
The database is dropped and created anew (unless --keep finds it already loaded), migrated, and
filled with COPY (products, TACs, applications, two samples each, results, certificates for the
approved ones). Then each search runs `--repeat` times through the service the API uses
(count + one page of 25), as a reviewer (every organisation) and as a manufacturer, and the
p50/p95 are printed. Goal (issue #13): p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from labcert import create_app
from labcert.extensions import db
from labcert.models import User
from labcert.rules.checks import luhn_check_digit
from labcert.services.search import (
    ApplicationSearch,
    CertificateSearch,
    review_queue,
    search_applications,
    search_certificates,
)

BRANDS = ["Indus", "Orion", "Karak", "Zephyr", "Nimbus", "Helix", "Quasar", "Vega", "Tundra",
          "Saffron", "Monsoon", "Pamir", "Lyra", "Cobalt", "Falcon"]
MARKETS = ["pk-pta", "eu-red", "ae-tdra", "sa-cst", "us-fcc", "eaeu"]
STATES = ["draft", "testing", "testing", "submitted", "approved", "approved", "cancelled"]


def recreate(url: str) -> None:
    """Drop and create the benchmark database."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Bulk-load rows with COPY … FROM STDIN (text format); return how many."""
    def cell(value: Any) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return (str(value).replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n"))

    buffer, count = io.StringIO(), 0
    for row in rows:
        buffer.write("\t".join(cell(v) for v in row) + "\n")
        count += 1
    buffer.seek(0)
    raw = db.engine.raw_connection()
    try:
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as pipe:
            while chunk := buffer.read(1 << 20):
                pipe.write(chunk)
        raw.commit()
    finally:
        raw.close()
    return count


def imei_of(n: int, k: int) -> str:
    body = f"{35000000 + n:08d}"[:8] + f"{k:06d}"
    return body + str(luhn_check_digit(body))


def load(applications: int, per_application: int) -> dict[str, Any]:
    """Fill the database; return what the searches look for."""
    rng, now = random.Random(13), datetime.now(UTC)
    makers = 200
    copy("organization", ["id", "name", "kind", "address", "country", "factory_sites",
                          "accreditation_number", "created_at"],
         [(1, "Bench Laboratory", "lab", "Lahore", "PK", "[]", "PNAC-1", now)]
         + [(i + 2, f"Maker {i:03d} {BRANDS[i % len(BRANDS)]} Devices", "manufacturer",
             "Road", "PK", "[]", "", now) for i in range(makers)])
    copy("user_account", ["id", "email", "name", "role", "password_hash", "is_active_account",
                          "must_change_password", "organization_id", "created_at"],
         [(1, "rev@bench", "Reviewer", "reviewer", "x", True, False, 1, now),
          (2, "maker@bench", "Maker", "manufacturer", "x", True, False, 2, now)])
    started = time.perf_counter()
    copy("product", ["id", "manufacturer_id", "brand", "model", "marketing_name", "category",
                     "hardware_version", "software_version", "technologies", "bands", "facts",
                     "created_at"],
         ((n + 1, n % makers + 2, BRANDS[n % len(BRANDS)], f"{BRANDS[n % len(BRANDS)][0]}X-{n}",
           f"{BRANDS[n % len(BRANDS)]} {rng.choice(['Air', 'Pro', 'Lite', 'Max'])} {n % 97}",
           "smartphone", "1.0", "1.0", '["gsm", "lte"]', '["GSM900"]', "{}", now)
          for n in range(applications)))
    copy("product_tac", ["id", "product_id", "tac"],
         ((n + 1, n + 1, f"{35000000 + n:08d}") for n in range(applications)))
    states = [STATES[n % len(STATES)] for n in range(applications)]
    copy("application", ["id", "number", "product_id", "manufacturer_id", "markets", "state",
                         "version", "created_at", "updated_at", "submitted_at", "search_text"],
         ((n + 1, f"APP-2026-{n + 1:06d}", n + 1, n % makers + 2,
           json.dumps(rng.sample(MARKETS, 2)), states[n], 1, now, now,
           now - timedelta(minutes=n) if states[n] in ("submitted", "approved") else None, "")
          for n in range(applications)))
    # The migration's own back-fill gives every application its search text.
    from importlib import import_module

    migration = import_module("migrations.versions.20261130_838f4fd8efc8_search_indexes")
    migration._fill_search_text(db.session.connection(), True)
    db.session.commit()
    copy("sample", ["id", "application_id", "imei", "serial", "received_at", "condition",
                    "created_at"],
         ((2 * n + k + 1, n + 1, imei_of(n, k), f"SN{n}-{k}", date.today(), "", now)
          for n in range(applications) for k in range(2)))
    codes = ["rf.sar_head", "rf.sar_body", "emc.radiated", "emc.esd", "rohs.pb", "rohs.hg",
             "rohs.cd", "rf.power", "rf.spurious", "rohs.cr6"]
    results = copy("test_result", ["application_id", "sample_id", "test_code", "value", "unit",
                                   "k", "conditions", "tested_at", "entered_by_id",
                                   "entered_at", "source", "is_external"],
                   ((n + 1, 2 * n + 1 + (r % 2), codes[r % len(codes)], f"{rng.random():.4f}",
                     "W/kg", 2, "{}", now, 1, now, "api", False)
                    for n in range(applications) for r in range(per_application)))
    approved = [n for n in range(applications) if states[n] == "approved"]
    copy("certificate", ["id", "number", "base_number", "revision", "year", "sequence",
                         "market", "criteria_set", "engine_version", "template",
                         "application_id", "holder_id", "product_id", "status", "issued_at",
                         "valid_until", "signatory_id", "signer_subject", "snapshot",
                         "data_sha256", "pdf", "pdf_sha256", "qr_token"],
         ((i + 1, f"LC-2026-{i + 1:06d}", f"LC-2026-{i + 1:06d}", 0, 2026, i + 1,
           MARKETS[n % len(MARKETS)], f"{MARKETS[n % len(MARKETS)]}@2025.01", "bench", "bench",
           n + 1, n % makers + 2, n + 1, "suspended" if i % 20 == 0 else "valid",
           now - timedelta(days=i % 700), date.today() + timedelta(days=365 - i % 700), 1,
           "bench", "{}", "0" * 64, "\\\\x00", f"{i:064d}", "bench")
          for i, n in enumerate(approved)))
    for table in ("organization", "user_account", "product", "product_tac", "application",
                  "sample", "test_result", "certificate"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"loaded {applications} applications, {2 * applications} samples, {results} "
          f"results, {len(approved)} certificates in {time.perf_counter() - started:.1f} s")
    return {"imei": imei_of(4711, 1), "tac": f"{35000000 + 4711:08d}",
            "number": "APP-2026-004712", "model": "X-4711", "certificate": "LC-2026-000471"}


def measure(name: str, run: Callable[[], Any], repeat: int) -> tuple[str, float, float, int]:
    """Run a search `repeat` times (after one warm-up); return name, p50, p95 in ms, total."""
    total = run().total
    times = []
    for _ in range(repeat):
        db.session.rollback()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return name, statistics.median(times), p95, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--results-per-application", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse a loaded database")
    args = parser.parse_args()
    if not args.keep:
        recreate(args.database)
    app = create_app({"DATABASE_URL": args.database, "SECRET_KEY": "bench",
                      "LOG_LEVEL": "WARNING"})
    app.app_context().push()
    if not args.keep:
        from flask_migrate import upgrade

        upgrade()
        wanted = load(args.applications, args.results_per_application)
    else:
        wanted = {"imei": imei_of(4711, 1), "tac": f"{35000000 + 4711:08d}",
                  "number": "APP-2026-004712", "model": "X-4711",
                  "certificate": "LC-2026-000471"}
    reviewer = db.session.scalar(select(User).where(User.email == "rev@bench"))
    maker = db.session.scalar(select(User).where(User.email == "maker@bench"))
    today = date.today()
    apps = lambda user, **kw: (lambda: search_applications(user, ApplicationSearch(**kw)))  # noqa: E731
    certs = lambda user, **kw: (lambda: search_certificates(user, CertificateSearch(**kw), today))  # noqa: E731
    searches = [
        ("applications, q = full IMEI", apps(reviewer, q=wanted["imei"])),
        ("applications, q = TAC (8 digits)", apps(reviewer, q=wanted["tac"])),
        ("applications, q = IMEI prefix (10 digits)", apps(reviewer, q=wanted["imei"][:10])),
        ("applications, q = number", apps(reviewer, q=wanted["number"])),
        ("applications, q = model fragment", apps(reviewer, q=wanted["model"])),
        ("applications, q = brand (1 in 15 match)", apps(reviewer, q="orion")),
        ("applications, state + market, no q", apps(reviewer, state="submitted",
                                                    market="pk-pta")),
        ("applications, no filter, page 1", apps(reviewer)),
        ("applications, manufacturer, q = brand", apps(maker, q="indus")),
        ("review queue, q = brand", lambda: review_queue(reviewer, q="vega")),
        ("certificates, q = model fragment", certs(reviewer, q=wanted["model"])),
        ("certificates, q = number", certs(reviewer, q=wanted["certificate"])),
        ("certificates, status + market + issued", certs(
            reviewer, status="valid", market="eu-red", issued_from=today - timedelta(days=90),
            issued_to=today)),
    ]
    print(f"{'search':46} {'p50 ms':>8} {'p95 ms':>8} {'total':>8}")
    worst = 0.0
    for name, run in searches:
        name, p50, p95, total = measure(name, run, args.repeat)
        worst = max(worst, p95)
        print(f"{name:46} {p50:8.1f} {p95:8.1f} {total:8d}")
    print(f"worst p95: {worst:.1f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()

"""Benchmark: a shipment of 10 000 IMEIs over a realistic registry, with the number of queries.

Run: .venv/bin/python bench/bench_shipment.py [--imeis 10000] [--products 1000]
Goal (issue #6): < 1 s on SQLite, a bounded number of queries whatever the list length.
The registry rows are inserted directly (issuing 1000 signed PDFs is not what is measured).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench._setup import fresh_app, people
from labcert.extensions import db
from labcert.models import Application, Certificate, Product, ProductTac
from labcert.rules.checks import luhn_check_digit
from labcert.services.shipment import check_shipment


def registry(products: int, who: dict) -> list[str]:
    """Insert products with 2 TACs each and one pk-pta certificate each; return the TACs."""
    now, tacs = datetime.now(UTC), []
    for n in range(products):
        product = Product(manufacturer=who["maker"], brand="Bench", model=f"M{n}")
        product.tac_rows = [ProductTac(tac=f"{86000000 + 2 * n}"),
                            ProductTac(tac=f"{86000000 + 2 * n + 1}")]
        application = Application(number=f"APP-B-{n}", product=product,
                                  manufacturer=who["maker"], markets=["pk-pta"],
                                  state="approved")
        db.session.add(application)
        db.session.flush()
        status = "suspended" if n % 10 == 0 else "valid"
        db.session.add(Certificate(
            number=f"LC-2026-{n + 1:06d}", base_number=f"LC-2026-{n + 1:06d}", revision=0,
            year=2026, sequence=n + 1, market="pk-pta", criteria_set="pk-pta@2025.01",
            engine_version="bench", template="bench", application_id=application.id,
            holder_id=who["maker"].id, product_id=product.id, status=status, issued_at=now,
            valid_until=date.today() + timedelta(days=365), signatory_id=who["reviewer"].id,
            signer_subject="bench", snapshot={}, data_sha256="0" * 64, pdf=b"%PDF-bench",
            pdf_sha256=f"{n:064d}", qr_token="bench"))
        tacs += [t.tac for t in product.tac_rows]
    db.session.commit()
    return tacs


def shipment(tacs: list[str], count: int) -> list[str]:
    """Draw IMEIs: most on registered TACs, some unknown TACs, some with a wrong check digit."""
    rng, imeis = random.Random(7), []
    for n in range(count):
        tac = rng.choice(tacs) if n % 20 else f"{99000000 + n % 1000}"
        body = f"{tac}{n % 1_000_000:06d}"
        digit = luhn_check_digit(body)
        imeis.append(body + str((digit + 1) % 10 if n % 97 == 0 else digit))
    return imeis


def main() -> None:
    """Time shipment checks of growing size and count their queries."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--imeis", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=1_000)
    args = parser.parse_args()
    fresh_app()
    tacs = registry(args.products, people())
    check_shipment("pk-pta", shipment(tacs, 10), date.today())  # load the criteria once
    queries = [0]
    event.listen(db.engine, "before_cursor_execute", lambda *a, **k: queries.__setitem__(
        0, queries[0] + 1))
    for size in (100, 1_000, args.imeis):
        imeis = shipment(tacs, size)
        queries[0] = 0
        started = time.perf_counter()
        answer = check_shipment("pk-pta", imeis, date.today())
        took = time.perf_counter() - started
        print(f"{size:>6} IMEIs: {took * 1000:7.1f} ms, {queries[0]:>2} queries, "
              f"{answer['covered']} covered, {answer['not_covered']} not covered")
    goal = "met" if took < 1 else "NOT met"
    print(f"registry: {args.products} products, {len(tacs)} TACs, {args.products} certificates; "
          f"goal < 1 s for {args.imeis} IMEIs: {goal}")


if __name__ == "__main__":
    main()

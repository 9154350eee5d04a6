"""Benchmark what credentials add to issuance and what checking one costs.

Run: .venv/bin/python bench/bench_credentials.py [--rounds 15]

Interleaved in one run: the issuance path without credentials (QR token, render with
certificate.json, PAdES signature) against the same path with them (the facts' credential
attached to the PDF, then the registered credential linking the signed PDF's SHA-256), and
prints the medians and the ratio. Then the parts alone: signing one credential, re-signing a
status list pair (2 x 131 072 entries) and checking a credential against its DID document and lists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labcert.certificate_facts import CertificateFacts
from labcert.credentials import (
    STATUS_PURPOSES,
    PublishedKey,
    build_did_document,
    did_web,
    issue_credential,
    issue_status_list,
    verify_credential,
)
from labcert.pdf import build_context, default_renderer
from labcert.pki import LabSigner, SigningSettings, init_dev_pki, load_signer, make_qr_token
from labcert.services.credential_keys import credential_signer
from labcert.services.credential_signing import conformity_facts
from labcert.specimen import LAB_NAME, specimen_snapshot

PUBLIC_URL = "https://lab.example.pk"
PLACE = (1, 41)
SET_BITS = range(0, 131_072, 97)  # about 1 % of certificates suspended or revoked


def _pdf(signer: LabSigner, facts: CertificateFacts, credential: str | None) -> bytes:
    context = build_context(facts, verification_url=f"{PUBLIC_URL}/verify/{facts.number}",
                            qr_token=make_qr_token(signer, facts.qr_facts()))
    return signer.sign_pdf(default_renderer().render_pdf(context, facts.canonical_json(),
                                                         credential))


def _median_ms(run: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(rounds: int) -> None:
    """Print the medians and the ratios."""
    pki = Path(tempfile.mkdtemp(prefix="labcert-bench-")) / "pki"
    init_dev_pki(pki, LAB_NAME)
    signer = load_signer(SigningSettings(dev_dir=pki))
    jws = credential_signer(signer)
    facts = CertificateFacts.from_json(specimen_snapshot())

    def without() -> bytes:
        return _pdf(signer, facts, None)

    def with_credentials() -> str:
        embedded = issue_credential(conformity_facts(facts, PUBLIC_URL, PLACE), jws).token
        pdf = _pdf(signer, facts, embedded)
        return issue_credential(conformity_facts(facts, PUBLIC_URL, PLACE, pdf), jws).token

    without(), with_credentials()  # warm fonts and caches on both paths
    wall: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(rounds):
        for name, run in (("without", without), ("with", with_credentials)):
            start = time.perf_counter()
            run()
            wall[name].append(time.perf_counter() - start)
    plain, full = (statistics.median(wall[k]) * 1000 for k in ("without", "with"))
    print(f"rounds: {rounds} (interleaved, after one warm-up each)")
    print(f"issuance without credentials: median {plain:7.1f} ms")
    print(f"issuance with credentials:    median {full:7.1f} ms  (ratio {full / plain:.3f})")

    stated = conformity_facts(facts, PUBLIC_URL, PLACE, b"%PDF")
    token = issue_credential(stated, jws).token
    now = dt.datetime.now(dt.UTC)

    def lists() -> dict[str, str]:
        return {f"{PUBLIC_URL}/api/v1/status-lists/{p}-1": issue_status_list(
            public_url=PUBLIC_URL, list_url=f"{PUBLIC_URL}/api/v1/status-lists/{p}-1",
            purpose=p, set_indexes=SET_BITS, valid_from=now, signer=jws).token
            for p in STATUS_PURPOSES}

    document = build_did_document(did_web(PUBLIC_URL), [PublishedKey(jws.public_key)])
    published = lists()
    sign_ms = _median_ms(lambda: issue_credential(stated, jws), rounds * 10)
    lists_ms = _median_ms(lists, rounds * 10)
    check_ms = _median_ms(lambda: verify_credential(token, document, published), rounds * 10)
    print(f"one credential signed: {sign_ms:.2f} ms ({len(token)} bytes, sha256"
          f" {hashlib.sha256(token.encode()).hexdigest()[:12]})")
    print(f"status list pair re-signed ({len(SET_BITS)} bits set of 131 072): {lists_ms:.2f} ms")
    print(f"credential checked (signature, issuer, 2 lists, validity): {check_ms:.2f} ms")
    print(f"the two credentials of one issuance / the issuance without them: "
          f"{2 * sign_ms / plain * 100:.1f} %")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    main(parser.parse_args().rounds)

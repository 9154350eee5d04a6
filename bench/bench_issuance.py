"""Benchmark issuance at PAdES B-B and B-LTA: overhead over bare WeasyPrint, and throughput.

Run: .venv/bin/python bench/bench_issuance.py [--rounds 15] [--certificates 24]

The signing key, its chain, OCSP responder, CRLs and the TSA come from a certomancer PKI served
on loopback by another process (tests/pki/loopback.py), the key read from PEM files as in
production; B-LTA asks the TSA
twice (signature and document time-stamps) and the OCSP responder and CRLs once per document.
Part 1 renders the same HTML with bare WeasyPrint (same stylesheet and fonts, no PDF/A, no
attachment) and through the issuance path at each level (QR token, context, PDF/A-3b with the
JSON attached, PAdES signature, SHA-256), interleaved, and prints the medians and the overhead
of each over bare WeasyPrint (goal <= 15 % for B-B). Part 2 issues N certificates with one
worker process, then with two, at each level, each worker warmed up before the clock starts, and
prints certificates per second and the ratio (goal >= 1.8x). Part 3 (issue 17) issues the
English certificate beside the bilingual ones (English + Arabic, Russian, Urdu) at B-B and prints
each one's median and its cost over English; `--languages-only` runs just that part.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from weasyprint import HTML

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labcert.certificate_facts import CertificateFacts
from labcert.pdf import build_context, default_renderer
from labcert.pki import LabSigner, SigningSettings, load_signer, make_qr_token
from labcert.specimen import specimen_snapshot
from tests.pki.loopback import LoopbackPki, loopback_pki_process

LEVELS = ("B-B", "B-LTA")

PUBLIC_URL = "http://127.0.0.1:5000"


def issue(signer: LabSigner, snapshot: dict[str, Any]) -> tuple[bytes, str]:
    """Run the issuance path for one snapshot; return the signed PDF and its SHA-256."""
    facts = CertificateFacts.from_json(snapshot)
    token = make_qr_token(signer, facts.qr_facts())
    url = f"{PUBLIC_URL}/verify/{facts.number}"
    context = build_context(facts, verification_url=url, qr_token=token)
    pdf = signer.sign_pdf(default_renderer().render_pdf(context, facts.canonical_json()))
    return pdf, hashlib.sha256(pdf).hexdigest()


def numbered_snapshot(sequence: int) -> dict[str, Any]:
    """Return the sample snapshot under certificate number LC-2026-<sequence>."""
    snapshot = specimen_snapshot()
    number = f"LC-2026-{sequence:06d}"
    snapshot["certificate"].update(number=number, display_number=number)
    return snapshot


def overhead(signers: dict[str, LabSigner], rounds: int) -> None:
    """Compare bare WeasyPrint on the same HTML with the whole issuance path at each level."""
    renderer = default_renderer()
    snapshot = numbered_snapshot(1)
    facts = CertificateFacts.from_json(snapshot)
    token = make_qr_token(signers["B-B"], facts.qr_facts())
    html = renderer.render_html(
        build_context(facts, verification_url=f"{PUBLIC_URL}/verify/x", qr_token=token)
    )

    def bare() -> bytes:
        base_url = renderer.static_dir.as_uri() + "/"
        document = HTML(string=html, base_url=base_url, url_fetcher=renderer.url_fetcher)
        return document.write_pdf(
            stylesheets=[renderer.stylesheet], font_config=renderer.font_config
        )

    runs = {"bare": bare} | {
        level: (lambda s=signer: issue(s, snapshot)) for level, signer in signers.items()
    }
    for run in runs.values():
        run()  # warm every path (fonts, caches, HTTP sessions) before measuring
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"rounds: {rounds} (interleaved, after one warm-up each)")
    print(f"bare WeasyPrint render (same HTML):             median {ms(wall['bare']):7.1f} ms")
    for level in signers:
        print(f"issuance {level:<5} (token+render+PDF/A+sign+hash): median"
              f" {ms(wall[level]):7.1f} ms, overhead"
              f" {(ms(wall[level]) / ms(wall['bare']) - 1) * 100:+.1f} %")
    extra = ms(wall["B-LTA"]) - ms(wall["B-B"])
    print(f"B-LTA over B-B: {extra:+.1f} ms wall, {ms(cpu['B-LTA']) - ms(cpu['B-B']):+.1f} ms CPU"
          " (the TSA, OCSP and CRLs answer from another process)")
    # CPU time of this process is what the path costs, whatever else the machine is running.
    print("same by CPU time: bare " + f"{ms(cpu['bare']):.1f} ms, " + ", ".join(
        f"{level} {ms(cpu[level]):.1f} ms ({(ms(cpu[level]) / ms(cpu['bare']) - 1) * 100:+.1f} %)"
        for level in signers))


BILINGUAL = {"en": "eu-red", "ar": "sa-cst", "ru": "eaeu", "ur": "pk-pta"}


def market_snapshot(code: str) -> dict[str, Any]:
    """Return the specimen certificate printed in English and `code` (English alone for en)."""
    snapshot = numbered_snapshot(1)
    if code != "en":
        snapshot["market"].update(id=BILINGUAL[code], criteria_set=f"{BILINGUAL[code]}@2026.11",
                                  languages=["en", code])
    return snapshot


def languages(signer: LabSigner, rounds: int) -> None:
    """Issue the English and each bilingual certificate, interleaved; print medians and cost."""
    snapshots = {code: market_snapshot(code) for code in BILINGUAL}
    for snapshot in snapshots.values():
        issue(signer, snapshot)  # warm: fonts of every script loaded before the clock starts
    wall: dict[str, list[float]] = {code: [] for code in snapshots}
    cpu: dict[str, list[float]] = {code: [] for code in snapshots}
    for _ in range(rounds):
        for code, snapshot in snapshots.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            issue(signer, snapshot)
            wall[code].append(time.perf_counter() - start)
            cpu[code].append(time.process_time() - start_cpu)
    english, english_cpu = statistics.median(wall["en"]), statistics.median(cpu["en"])
    print(f"rounds: {rounds} (interleaved, after one warm-up each), issuance at B-B")
    for code in snapshots:
        median, median_cpu = statistics.median(wall[code]), statistics.median(cpu[code])
        label = "English only" if code == "en" else f"English + {code} ({BILINGUAL[code]})"
        print(f"{label:<24} median {median * 1000:7.1f} ms wall ({median / english:4.2f}x),"
              f" {median_cpu * 1000:7.1f} ms CPU ({median_cpu / english_cpu:4.2f}x)")


_worker_signer: LabSigner | None = None


def _warm_worker(settings: SigningSettings, barrier: Any, pids: Any) -> None:
    """Load the key and the renderer and issue one certificate, then wait for the start signal."""
    global _worker_signer  # per-process state is the point of a warm worker
    _worker_signer = load_signer(settings)
    issue(_worker_signer, numbered_snapshot(0))
    pids.put(os.getpid())
    barrier.wait()


def _issue_one(sequence: int) -> str:
    assert _worker_signer is not None
    return issue(_worker_signer, numbered_snapshot(sequence))[1]


def throughput(
    settings: SigningSettings, workers: int, certificates: int
) -> tuple[float, float | None]:
    """Issue certificates with warm workers; return certificates/s and others' CPU share."""
    context = mp.get_context("spawn")
    barrier, queue = context.Barrier(workers + 1), context.SimpleQueue()
    initargs = (settings, barrier, queue)
    with context.Pool(workers, initializer=_warm_worker, initargs=initargs) as pool:
        barrier.wait()  # every worker has imported, parsed its key and rendered once
        pids = [queue.get() for _ in range(workers)]
        before = _cpu_ticks(pids)
        start = time.perf_counter()
        hashes = pool.map(_issue_one, range(1, certificates + 1), chunksize=1)
        elapsed = time.perf_counter() - start
        after = _cpu_ticks(pids)
    assert len(set(hashes)) == certificates
    others = None
    if before and after:
        busy, total, ours = (a - b for a, b in zip(after, before, strict=True))
        others = max(busy - ours, 0) / total if total else None
    return certificates / elapsed, others


def _cpu_ticks(pids: list[int]) -> tuple[int, int, int] | None:
    """Return machine busy and total ticks and the ticks of pids, from /proc (Linux only)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        ours = 0
        for pid in pids:
            stat = Path(f"/proc/{pid}/stat").read_text()
            utime, stime = stat.rsplit(")", 1)[1].split()[11:13]
            ours += int(utime) + int(stime)
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return total - idle, total, ours


def _others(share: float | None) -> str:
    return "" if share is None else f"  (other processes used {share:.0%} of the machine's CPU)"


def key_files(pki: LoopbackPki, folder: Path) -> dict[str, Path]:
    """Write the loopback PKI's lab key, certificate and chain as PEM files, as a lab would."""
    pem = serialization.Encoding.PEM
    paths = {name: folder / f"{name}.pem" for name in ("key", "cert", "chain")}
    paths["key"].write_bytes(pki.keys["lab"].private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    paths["cert"].write_bytes(pki.cert("lab").public_bytes(pem))
    paths["chain"].write_bytes(pki.cert("interm").public_bytes(pem) + pki.root.public_bytes(pem))
    return paths


def main() -> None:
    """Run both benchmarks at both levels and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--certificates", type=int, default=24)
    parser.add_argument("--languages-only", action="store_true",
                        help="only compare English with bilingual certificates")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, loopback_pki_process() as pki:
        files = key_files(pki, Path(tmp))
        settings = {
            level: SigningSettings(key_path=files["key"], cert_path=files["cert"],
                                   chain_paths=(files["chain"],), tsa_url=pki.tsa_url(),
                                   signature_level=level)
            for level in LEVELS
        }
        signers = {level: load_signer(s) for level, s in settings.items()}
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"key: {signers['B-B'].info()['key_type']}, CPUs: {mp.cpu_count()},"
              f" load average: {load}; TSA, OCSP and CRLs on loopback (certomancer)")
        print("== bilingual certificates beside the English one (issue 17)")
        languages(signers["B-B"], args.rounds)
        if args.languages_only:
            return
        print("== overhead of the issuance path over bare WeasyPrint")
        overhead(signers, args.rounds)
        for level in LEVELS:
            print(f"== throughput at {level}, {args.certificates} certificates, warm workers")
            one, others_one = throughput(settings[level], 1, args.certificates)
            print(f"1 worker:  {one:5.2f} certificates/s{_others(others_one)}")
            two, others_two = throughput(settings[level], 2, args.certificates)
            print(f"2 workers: {two:5.2f} certificates/s{_others(others_two)}")
            print(f"ratio: {two / one:.2f}x  (goal >= 1.8x)")


if __name__ == "__main__":
    main()

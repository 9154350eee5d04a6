"""Benchmark issuance: overhead over bare WeasyPrint, and throughput with 1 vs 2 worker processes.

Run: .venv/bin/python bench/bench_issuance.py [--rounds 15] [--certificates 24]

Part 1 renders the same HTML with bare WeasyPrint (same stylesheet and fonts, no PDF/A, no
attachment) and through the issuance path (QR token, context, PDF/A-3b with the JSON attached,
PAdES signature, SHA-256), interleaved, and prints the medians and the overhead (goal <= 15 %).
Part 2 issues N certificates with one worker process, then with two, each worker warmed up
before the clock starts, and prints certificates per second and the ratio (goal >= 1.8x).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from weasyprint import HTML

from labcert.certificate_facts import CertificateFacts
from labcert.pdf import build_context, default_renderer
from labcert.pki import LabSigner, SigningSettings, init_dev_pki, load_signer, make_qr_token
from labcert.specimen import LAB_NAME, specimen_snapshot

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


def overhead(signer: LabSigner, rounds: int) -> None:
    """Compare bare WeasyPrint on the same HTML with the whole issuance path."""
    renderer = default_renderer()
    snapshot = numbered_snapshot(1)
    facts = CertificateFacts.from_json(snapshot)
    token = make_qr_token(signer, facts.qr_facts())
    html = renderer.render_html(
        build_context(facts, verification_url=f"{PUBLIC_URL}/verify/x", qr_token=token)
    )

    def bare() -> bytes:
        base_url = renderer.static_dir.as_uri() + "/"
        document = HTML(string=html, base_url=base_url, url_fetcher=renderer.url_fetcher)
        return document.write_pdf(
            stylesheets=[renderer.stylesheet], font_config=renderer.font_config
        )

    bare()
    issue(signer, snapshot)  # warm both paths (fonts, caches) before measuring
    wall: dict[str, list[float]] = {"bare": [], "issue": []}
    cpu: dict[str, list[float]] = {"bare": [], "issue": []}
    for _ in range(rounds):
        for name, run in (("bare", bare), ("issue", lambda: issue(signer, snapshot))):
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"rounds: {rounds} (interleaved, after one warm-up each)")
    print(f"bare WeasyPrint render (same HTML):      median {ms(wall['bare']):7.1f} ms")
    print(f"issuance (token+render+PDF/A+sign+hash): median {ms(wall['issue']):7.1f} ms")
    print(f"overhead: {(ms(wall['issue']) / ms(wall['bare']) - 1) * 100:+.1f} %  (goal <= 15 %)")
    # CPU time of this process is what the path costs, whatever else the machine is running.
    print(
        f"same by CPU time: bare {ms(cpu['bare']):.1f} ms, issuance {ms(cpu['issue']):.1f} ms,"
        f" overhead {(ms(cpu['issue']) / ms(cpu['bare']) - 1) * 100:+.1f} %"
    )


_worker_signer: LabSigner | None = None


def _warm_worker(pki_dir: str, barrier: Any, pids: Any) -> None:
    """Load the key and the renderer and issue one certificate, then wait for the start signal."""
    global _worker_signer  # per-process state is the point of a warm worker
    _worker_signer = load_signer(SigningSettings(dev_dir=Path(pki_dir)))
    issue(_worker_signer, numbered_snapshot(0))
    pids.put(os.getpid())
    barrier.wait()


def _issue_one(sequence: int) -> str:
    assert _worker_signer is not None
    return issue(_worker_signer, numbered_snapshot(sequence))[1]


def throughput(pki_dir: Path, workers: int, certificates: int) -> tuple[float, float | None]:
    """Issue certificates with warm workers; return certificates/s and others' CPU share."""
    context = mp.get_context("spawn")
    barrier, queue = context.Barrier(workers + 1), context.SimpleQueue()
    initargs = (str(pki_dir), barrier, queue)
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


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--certificates", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pki_dir = Path(tmp) / "pki"
        init_dev_pki(pki_dir, LAB_NAME)
        signer = load_signer(SigningSettings(dev_dir=pki_dir))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"key: {signer.info()['key_type']}, CPUs: {mp.cpu_count()}, load average: {load}")
        print("== overhead of the issuance path over bare WeasyPrint")
        overhead(signer, args.rounds)
        print(f"== throughput, {args.certificates} certificates, warm worker processes")
        one, others_one = throughput(pki_dir, 1, args.certificates)
        print(f"1 worker:  {one:5.2f} certificates/s{_others(others_one)}")
        two, others_two = throughput(pki_dir, 2, args.certificates)
        print(f"2 workers: {two:5.2f} certificates/s{_others(others_two)}")
        print(f"ratio: {two / one:.2f}x  (goal >= 1.8x)")


if __name__ == "__main__":
    main()

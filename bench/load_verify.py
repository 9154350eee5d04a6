"""Load test of public verification: gunicorn (2 workers), PostgreSQL + Redis, 50 clients.

Run: .venv/bin/python bench/load_verify.py [--seconds 30] [--clients 50] [--workers 2]
     [--admin-url postgresql://postgres@127.0.0.1:5432/postgres] [--database labcert_load]
     [--redis-url redis://127.0.0.1:6379/15] [--static /static/js/lab.js]

Not part of the test run (`make bench` runs bench_*.py only): it takes a minute or two, a local
PostgreSQL and Redis, and talks to loopback only. It (re)creates the database, runs `labcert db
upgrade`, `labcert pki init` and `labcert seed-demo` with LABCERT_INSTANCE_PATH in a temporary
folder and rate limits off, starts gunicorn on a free loopback port with the verification log
going through Redis (keys under a prefix of this run, deleted at the end), then runs two phases
against the same server: GET /api/v1/verify/{number} over the demo's certificates, and GET of a
static file served by the same gunicorn (the baseline). Each client thread opens a new
connection per request (gunicorn's sync workers close it after each answer). Printed: requests,
errors (anything but 200), requests/s, p50/p99 latency, the ratio of the two throughputs (goal:
verify/static >= 0.7) and, after `labcert jobs run-due` flushed Redis, how many lookups reached
the verification log. Gunicorn is stopped and the database dropped at the end (--keep leaves it).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from psycopg import sql

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Phase:
    """What one phase measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, other: Phase) -> None:
        """Add another run of the same phase."""
        self.latencies += other.latencies
        for key, count in other.errors.items():
            self.errors[key] = self.errors.get(key, 0) + count
        self.seconds += other.seconds

    @property
    def rate(self) -> float:
        """Return successful requests per second."""
        return len(self.latencies) / self.seconds

    def line(self) -> str:
        """Return the phase's figures on one line."""
        ms = sorted(x * 1000 for x in self.latencies)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        errors = f"{sum(self.errors.values())} errors" + (f" {self.errors}" if self.errors else "")
        return (f"{self.name:<8} {len(ms) + sum(self.errors.values()):>7} requests, {errors}, "
                f"{self.rate:7.1f} req/s, p50 {statistics.median(ms):6.1f} ms, "
                f"p99 {p99:6.1f} ms")


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> str:
    """Drop and create the load database; return its URL."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return admin_url.rsplit("/", 1)[0] + "/" + name


def labcert(env: dict[str, str], *args: str) -> None:
    """Run a `labcert` command, failing loudly."""
    subprocess.run([str(BIN / "labcert"), *args], env=env, cwd=PROJECT, check=True,
                   stdout=subprocess.DEVNULL)


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    """Wait for gunicorn to answer (it loads the app and the signing key first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/criteria-sets")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def certificate_numbers(url: str) -> list[str]:
    """Return the numbers of the demo's certificates."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT number FROM certificate ORDER BY id").fetchall()
    if not rows:
        raise SystemExit("seed-demo issued no certificate")
    return [row[0] for row in rows]


def log_rows(url: str) -> int:
    """Return how many checks the verification log holds."""
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM verification_log").fetchone()[0]


def drop_keys(url: str, prefix: str) -> None:
    """Delete this run's keys from Redis (and nothing else)."""
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=prefix + "*", count=1000):
        client.delete(key)
    client.close()


def run_phase(name: str, port: int, paths: list[str], clients: int, seconds: float) -> Phase:
    """Send GETs from `clients` threads for `seconds`, cycling through `paths`."""
    phase, lock = Phase(name), threading.Lock()
    cycle, stop = itertools.cycle(paths), time.monotonic() + seconds

    def client() -> None:
        local_latencies, local_errors = [], {}
        while time.monotonic() < stop:
            with lock:
                path = next(cycle)
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                conn.close()
                outcome = None if response.status == 200 else str(response.status)
            except OSError as error:
                outcome = type(error).__name__
            if outcome is None:
                local_latencies.append(time.perf_counter() - started)
            else:
                local_errors[outcome] = local_errors.get(outcome, 0) + 1
        with lock:
            phase.latencies += local_latencies
            for key, count in local_errors.items():
                phase.errors[key] = phase.errors.get(key, 0) + count

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    return phase


def main() -> None:
    """Set up the lab, start gunicorn, run both phases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="per phase, all rounds")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the phases")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="labcert_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--static", default="/static/js/lab.js",
                        help="the static file of the baseline phase")
    parser.add_argument("--cache-seconds", type=int, default=10,
                        help="LABCERT_VERIFY_CACHE_SECONDS of the server (0: read every time)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    prefix = f"labcert-load-{os.getpid()}:"

    url = recreate_database(args.admin_url, args.database)
    instance = tempfile.mkdtemp(prefix="labcert-load-")
    env = {**os.environ, "LABCERT_DATABASE_URL": url, "LABCERT_INSTANCE_PATH": instance,
           "LABCERT_RATELIMIT_ENABLED": "false", "LABCERT_LOG_LEVEL": "WARNING",
           "LABCERT_REDIS_URL": args.redis_url, "LABCERT_REDIS_PREFIX": prefix,
           "LABCERT_VERIFY_CACHE_SECONDS": str(args.cache_seconds)}
    for command in (("db", "upgrade"), ("pki", "init"), ("seed-demo",)):
        labcert(env, *command)
    numbers = certificate_numbers(url)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         "--backlog", "2048", "--log-level", "warning", "wsgi:app"], cwd=PROJECT, env=env)
    try:
        wait_until_up(port, server)
        print(f"gunicorn {args.workers} sync workers on 127.0.0.1:{port}, PostgreSQL "
              f"{args.database}, Redis {args.redis_url} (prefix {prefix}), {len(numbers)} "
              f"certificates, {args.clients} clients, {args.seconds:.0f} s per phase in "
              f"{args.rounds} alternating rounds; answer cache {args.cache_seconds} s; load "
              f"average {os.getloadavg()[0]:.2f}")
        # Alternate the phases so that load from elsewhere on the machine falls on both alike.
        static, verify = Phase("static"), Phase("verify")
        for _ in range(args.rounds):
            for total, paths in ((static, [args.static]),
                                 (verify, [f"/api/v1/verify/{n}" for n in numbers])):
                part = run_phase(total.name, port, paths, args.clients,
                                 args.seconds / args.rounds)
                total.add(part)
        print(static.line())
        print(verify.line(), flush=True)
        ratio = verify.rate / static.rate
        errors = sum(verify.errors.values()) + sum(static.errors.values())
        print(f"ratio verify/static: {ratio:.2f} (goal >= 0.7: "
              f"{'met' if ratio >= 0.7 else 'NOT met'}); errors: {errors} "
              f"(goal 0: {'met' if errors == 0 else 'NOT met'})")
        print(f"load average at the end: {os.getloadavg()[0]:.2f} (2 cores; other processes "
              "share them)")
        labcert(env, "jobs", "run-due")
        logged = log_rows(url)
        print(f"verification log after `labcert jobs run-due`: {logged} rows for "
              f"{len(verify.latencies)} lookups answered")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        drop_keys(args.redis_url, prefix)
        if not args.keep:
            recreate_database(args.admin_url, args.database, drop_only=True)


if __name__ == "__main__":
    main()

"""Nothing on one host's disk: two application processes with separate instance folders on one
PostgreSQL. A logo uploaded through one appears on a certificate issued through the other."""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import zlib
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Certificate, Organization
from tests.factories import PASSWORD, make_user
from tests.jobs.mailbox import free_port, wait_for

EMBEDDED = True
pytestmark = pytest.mark.postgres
PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def png(width: int, height: int) -> bytes:
    """Return a solid-colour RGB PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x0b\x5d\x4b" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Host:
    """One LabCert process (gunicorn, one worker) with its own instance folder and cookies."""

    def __init__(self, database_url: str, instance: Path, pki: Path) -> None:
        self.port, self.cookies = free_port(), SimpleCookie()
        env = {**os.environ, "LABCERT_DATABASE_URL": database_url,
               "LABCERT_INSTANCE_PATH": str(instance), "LABCERT_SECRET_KEY": "shared-secret",
               "LABCERT_SIGNING_KEY": str(pki / "signer-key.pem"),
               "LABCERT_SIGNING_CERT": str(pki / "signer.pem"),
               "LABCERT_SIGNING_CHAIN": str(pki / "root.pem"),
               "LABCERT_PUBLIC_URL": "http://labcert.test", "LABCERT_LOG_LEVEL": "WARNING",
               "LABCERT_RATELIMIT_ENABLED": "false"}
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "wsgi:app"], cwd=PROJECT, env=env)
        wait_for(self._up, timeout=60, what=f"LabCert on port {self.port}")

    def _up(self) -> bool:
        try:
            return self.request("GET", "/api/v1/criteria-sets")[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send a request with this host's cookies; keep the cookies it sets."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        conn.close()
        return response.status, dict(response.headers), data

    def csrf(self, path: str) -> str:
        """Return the CSRF token of the form on a page."""
        page = self.request("GET", path)[2].decode()
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def json(self, method: str, path: str, data: Any, token: str | None = None) -> Any:
        """Send JSON (with a bearer token) and return (status, decoded answer)."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, _, body = self.request(method, path, json.dumps(data).encode(), headers)
        return status, json.loads(body) if body else None

    def stop(self) -> None:
        """Stop gunicorn."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def images_on_first_page(pdf: bytes) -> list[tuple[int, int]]:
    """Return the (width, height) of each image drawn on the first page."""
    page = PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][0].get_object()
    found = []

    def walk(resources: Any) -> None:
        for item in (resources.get("/XObject") or {}).values():
            xobject = item.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append((int(xobject["/Width"]), int(xobject["/Height"])))
            elif "/Resources" in xobject:
                walk(xobject["/Resources"])

    walk(page["/Resources"])
    return found


def test_a_logo_uploaded_on_one_host_is_on_a_certificate_issued_by_the_other(
        app, lab, tmp_path, instance_dir) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("two hosts share one PostgreSQL: run with LABCERT_TEST_DATABASE_URL "
                    "(.ci/run does)")
    admin = make_user("admin")
    application = lab.submitted()
    lab_org = db.session.scalar(select(Organization).where(Organization.kind == "lab"))
    logo = png(37, 23)
    hosts = [Host(url, tmp_path / name, instance_dir / "pki") for name in ("a", "b")]
    try:
        first, second = hosts
        status, _, _ = first.request("POST", "/login", (
            f"csrf_token={first.csrf('/login')}&email={admin.email}&password={PASSWORD}"
        ).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302
        boundary = "two-hosts-boundary"
        token = first.csrf(f"/admin/organizations/{lab_org.id}")
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; "
                "filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n").encode() \
            + logo + f"\r\n--{boundary}--\r\n".encode()
        status, _, page = first.request("POST", f"/admin/organizations/{lab_org.id}/logo", body,
                                        {"Content-Type": f"multipart/form-data; "
                                                         f"boundary={boundary}"})
        assert status == 302, page[-500:]

        status, answer = second.json("POST", "/api/v1/tokens",
                                     {"email": lab.reviewer.email, "password": PASSWORD})
        assert status == 201, answer
        status, answer = second.json("POST", f"/api/v1/applications/{application.id}/approve",
                                     {}, answer["token"])
        assert status == 201, answer
        number = answer["certificates"][0]["number"]
        status, _, _ = second.request("GET", f"/verify/{number}")
        assert status == 200
    finally:
        for host in hosts:
            host.stop()
    db.session.expire_all()
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
    assert certificate.facts.lab.logo_sha256 == hashlib.sha256(logo).hexdigest()
    assert (37, 23) in images_on_first_page(certificate.pdf)
    on_disk = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".png", ".svg")]
    assert on_disk == []  # the logo lives in the database, not in either instance folder

"""Hostile uploads against every endpoint that takes a file: a clear 4xx, nothing stored, done fast.

Each upload endpoint (PDF verification on the API and the page, the results CSV on the API as
multipart and as a raw body, the CSV import page, the shipment file, the lab logo) gets: a
body over the request limit, a file over the upload limit, a truncated certificate PDF, a file
of another type under the expected name, a gzip and a zip bomb, a PDF whose object stream
inflates to 32 MB, and a signed PDF whose attachment does. The answer must be 413/415/422 (a
verification may instead answer its verdict, not authentic, for a file that is a PDF), nothing
may be stored, and the request must complete without inflating a compressed stream (traced
memory stays small).
"""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Certificate
from labcert.signing import current_signer
from tests.security.conftest import bearer
from tests.security.fingerprints import changed_tables, fingerprint
from tests.security.hostile_files import (
    MB,
    PNG,
    attachment_bomb,
    gzip_bomb,
    object_stream_bomb,
    zip_bomb,
)
from tests.security.world import World, application_in_testing

MEMORY_BOUND = 16 * MB  # far below what any bomb here inflates to


def truncated_certificate(world: World) -> bytes:
    """Return the first half of the world's signed certificate PDF."""
    pdf = db.session.scalar(select(Certificate.pdf).where(Certificate.number == world.certificate))
    return pdf[: len(pdf) // 2]


@dataclass(frozen=True)
class Target:
    """An endpoint that takes a file: how to reach it and what it expects."""

    name: str
    field: str
    filename: str  # the name a file of the expected type has
    mimetype: str
    verdict: bool = False  # a verification: a PDF it cannot trust may get its 200 verdict

    def prepare(self, app: Flask, world: World) -> Upload:
        """Return the signed-in client and the address to upload to (objects made now)."""
        from tests.security.conftest import signed_in

        if self.name.startswith("api-"):
            client = app.test_client()
            if self.name == "api-verify":
                return Upload(self, client, "/api/v1/verify/pdf")
            client.environ_base["HTTP_AUTHORIZATION"] = \
                bearer(world, "technician")["Authorization"]
            return Upload(self, client,
                          f"/api/v1/applications/{application_in_testing(world)}/results.csv")
        if self.name == "page-verify":
            return Upload(self, signed_in(app, world, None), "/verify/pdf")
        if self.name == "page-shipment":
            return Upload(self, signed_in(app, world, None), "/verify/shipment",
                          {"market": "pk-pta"})
        if self.name == "page-import":
            return Upload(self, signed_in(app, world, "technician"),
                          f"/lab/applications/{application_in_testing(world)}/import")
        return Upload(self, signed_in(app, world, "admin"),
                      f"/admin/organizations/{world.lab_org_id}/logo")


@dataclass(frozen=True)
class Upload:
    """A client ready to upload to one target."""

    target: Target
    client: Any
    path: str
    fields: dict[str, str] = field(default_factory=dict)

    def send(self, data: bytes, filename: str | None = None, mimetype: str | None = None,
             **headers: str) -> Any:
        """Upload `data` under `filename` (multipart is built here: werkzeug's builder spools
        a large body to a file it never closes, which filterwarnings=error reports)."""
        target = self.target
        if target.name == "api-results-raw":
            return self.client.post(self.path, data=data,
                                    headers={"Content-Type": "text/csv", **headers})
        boundary = "labcert-upload-boundary"
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                        f"{v}\r\n".encode() for k, v in self.fields.items())
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{target.field}\"; "
                 f"filename=\"{filename or target.filename}\"\r\nContent-Type: "
                 f"{mimetype or target.mimetype}\r\n\r\n").encode() + data
        body += f"\r\n--{boundary}--\r\n".encode()
        return self.client.post(self.path, data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", **headers})


TARGETS = [Target("api-verify", "file", "certificate.pdf", "application/pdf", verdict=True),
           Target("page-verify", "file", "certificate.pdf", "application/pdf", verdict=True),
           Target("api-results", "file", "results.csv", "text/csv"),
           Target("api-results-raw", "file", "results.csv", "text/csv"),
           Target("page-import", "file", "results.csv", "text/csv"),
           Target("page-shipment", "file", "imeis.csv", "text/csv"),
           Target("logo", "logo", "logo.png", "image/png")]


def _cases() -> list[Any]:
    kinds = ["oversized-body", "oversized-file", "truncated-pdf", "renamed", "gzip-bomb",
             "zip-bomb", "pdf-bomb", "attachment-bomb"]
    cases = []
    for target in TARGETS:
        for kind in kinds:
            marks = []
            cases.append(pytest.param(target, kind, id=f"{target.name}-{kind}", marks=marks))
    return cases


def _payload(target: Target, kind: str, world: World) -> tuple[bytes, str | None, str | None]:
    """Return (data, filename, mimetype) of one hostile upload for a target."""
    if kind == "oversized-body":
        return b"a" * (16 * MB + 1), None, None
    if kind == "oversized-file":
        size = 512 * 1024 + 1 if target.name == "logo" else 10 * MB + 1
        return (PNG + b"\0" * size) if target.name == "logo" else \
            b"%PDF-1.7\n" + b"x" * size, None, None
    if kind == "truncated-pdf":
        return truncated_certificate(world), None, None
    if kind == "renamed":  # the content is of another type than the name says
        if target.verdict:
            return PNG, "certificate.pdf", "application/pdf"
        if target.name == "logo":
            return b"%PDF-1.7\n%%EOF\n", "logo.png", "image/png"
        return zip_bomb()[:2048], target.filename, target.mimetype
    if kind == "gzip-bomb":
        return gzip_bomb(), None, None
    if kind == "zip-bomb":
        return zip_bomb(), None, None
    if kind == "attachment-bomb":
        return attachment_bomb(current_signer().sign_pdf), None, None
    return object_stream_bomb(), None, None


@pytest.mark.parametrize(("target", "kind"), _cases())
def test_a_hostile_upload_gets_a_clear_4xx_stores_nothing_and_inflates_nothing(
        app: Flask, world: World, target: Target, kind: str) -> None:
    data, filename, mimetype = _payload(target, kind, world)
    upload = target.prepare(app, world)
    before = fingerprint()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        response = upload.send(data, filename, mimetype)
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert changed_tables(before) == []
    expected = {413} if kind == "oversized-body" else {413, 415, 422}
    if target.verdict and response.status_code == 200:  # its verdict: not authentic
        verdict = response.get_json()["verdict"] if response.is_json else \
            "not_authentic" if "Not an authentic certificate" in response.get_data(
                as_text=True) else "authentic"
        assert verdict == "not_authentic"
    else:
        assert response.status_code in expected, response.get_data(as_text=True)[:300]
    if kind.endswith("bomb"):
        assert peak < MEMORY_BOUND, f"{peak / MB:.0f} MB traced while answering"


def test_a_gzip_body_is_not_inflated_for_the_csv_api(app: Flask, world: World) -> None:
    upload = next(t for t in TARGETS if t.name == "api-results-raw").prepare(app, world)
    before = fingerprint()
    response = upload.send(gzip_bomb(), **{"Content-Encoding": "gzip"})
    assert response.status_code in (415, 422)
    assert changed_tables(before) == []


def test_a_pasted_shipment_list_with_a_bare_carriage_return_is_answered(
        app: Flask, world: World) -> None:
    response = app.test_client().post("/verify/shipment", data={
        "market": "pk-pta", "imeis": "352099001761481\r352099001761499"})
    assert response.status_code in (200, 422)

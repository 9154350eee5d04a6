"""Fixtures for long-term signatures: a loopback PKI (OCSP, CRLs, two TSAs) and signers by level."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from labcert.certificate_facts import CertificateFacts
from labcert.pdf import build_context, render_certificate_pdf
from labcert.pki import LabSigner, SignatureLevel, make_qr_token, make_timestamper
from labcert.pki.messages import Check
from labcert.pki.verify import PdfCheck
from labcert.specimen import specimen_snapshot
from tests.pki.loopback import LoopbackPki, loopback_pki
from tests.workflow.conftest import lab  # noqa: F401  (the small lab of the workflow tests)

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


@pytest.fixture(scope="session")
def loopback() -> Iterator[LoopbackPki]:
    """Serve one test PKI on 127.0.0.1 for the session."""
    with loopback_pki() as pki:
        yield pki


def make_signer(pki: LoopbackPki, level: str, key: str = "lab", tsa: str = "tsa") -> LabSigner:
    """Return a lab signer with a key of the loopback PKI, at a PAdES level."""
    chosen = SignatureLevel(level)
    stamper = make_timestamper(pki.tsa_url(tsa)) if chosen.needs_tsa else None
    return LabSigner(pki.material(key), timestamper=stamper, level=chosen)


def render(snapshot: dict[str, Any], signer: LabSigner) -> bytes:
    """Render a certificate PDF (QR token sealed by signer), unsigned."""
    facts = CertificateFacts.from_json(snapshot)
    token = make_qr_token(signer, facts.qr_facts())
    context = build_context(
        facts, verification_url=f"http://labcert.test/verify/{facts.number}", qr_token=token
    )
    return render_certificate_pdf(context, facts.canonical_json())


@pytest.fixture(scope="session")
def unsigned(loopback: LoopbackPki) -> bytes:
    """Render the sample certificate once per session."""
    return render(specimen_snapshot(), make_signer(loopback, "B-B"))


@pytest.fixture(scope="session")
def signed(loopback: LoopbackPki, unsigned: bytes) -> dict[str, bytes]:
    """Sign the sample certificate at every level, now (when the session starts)."""
    return {level: make_signer(loopback, level).sign_pdf(unsigned) for level in LEVELS}


def check(result: PdfCheck, name: str) -> Check:
    """Return one named check of a verification."""
    return next(c for c in result.checks if c.name == name)


@pytest.fixture
def named_check() -> Callable[[PdfCheck, str], Check]:
    """Return check(result, name)."""
    return check


@pytest.fixture(scope="session")
def key_files(loopback: LoopbackPki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Write the loopback PKI's lab keys, certificates, chain and root as PEM files."""
    from cryptography.hazmat.primitives import serialization

    folder = tmp_path_factory.mktemp("lab-keys")
    pem = serialization.Encoding.PEM
    files: dict[str, Any] = {}
    for label in ("lab", "lab-next"):
        key = folder / f"{label}-key.pem"
        key.write_bytes(loopback.keys[label].private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        cert = folder / f"{label}.pem"
        cert.write_bytes(loopback.cert(label).public_bytes(pem))
        files[label] = {"key": key, "cert": cert}
    files["chain"] = folder / "chain.pem"
    files["chain"].write_bytes(loopback.cert("interm").public_bytes(pem)
                               + loopback.root.public_bytes(pem))
    return files


def lab_config(loopback: LoopbackPki, key_files: dict[str, Any], tsa: str = "tsa",
               **overrides: Any) -> dict[str, Any]:
    """Return app settings that sign with the loopback PKI's lab key and TSA (B-LTA)."""
    return {"SIGNING_KEY": str(key_files["lab"]["key"]),
            "SIGNING_CERT": str(key_files["lab"]["cert"]),
            "SIGNING_CHAIN": str(key_files["chain"]), "TSA_URL": loopback.tsa_url(tsa),
            **overrides}


def upload(client: Any, data: bytes) -> dict[str, Any]:
    """Post a PDF to the public verification API; return the answer."""
    import io

    return client.post("/api/v1/verify/pdf", data={"file": (io.BytesIO(data), "c.pdf")},
                       content_type="multipart/form-data").get_json()


def answer_check(body: dict[str, Any], name: str) -> dict[str, Any]:
    """Return one named check of a verification answer."""
    return next(c for c in body["checks"] if c["name"] == name)

"""Fixtures for the certificate document chain: a realistic snapshot, a dev PKI, a signed PDF."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from labcert.certificate_facts import CertificateFacts
from labcert.pdf import build_context, render_certificate_pdf
from labcert.pki import LabSigner, SigningSettings, init_dev_pki, load_signer, make_qr_token
from labcert.specimen import LAB_NAME, specimen_snapshot

PUBLIC_URL = "http://127.0.0.1:5000"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def snapshot() -> dict[str, Any]:
    """Return a fresh realistic snapshot."""
    return specimen_snapshot()


@pytest.fixture
def make_snapshot() -> Callable[..., dict[str, Any]]:
    """Return the snapshot factory: make_snapshot(**top_level_overrides)."""
    return specimen_snapshot


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Create one development PKI for the whole session."""
    directory = tmp_path_factory.mktemp("pki") / "instance-pki"
    init_dev_pki(directory, LAB_NAME)
    return directory


@pytest.fixture(scope="session")
def lab_signer(pki_dir: Path) -> LabSigner:
    """Load the lab signer from the session's development PKI."""
    return load_signer(SigningSettings(dev_dir=pki_dir))


@pytest.fixture(scope="session")
def foreign_signer(tmp_path_factory: pytest.TempPathFactory) -> LabSigner:
    """Load a signer from another, unrelated development PKI (a forger's key)."""
    directory = tmp_path_factory.mktemp("foreign") / "pki"
    init_dev_pki(directory, LAB_NAME)  # same names, different keys: names prove nothing
    return load_signer(SigningSettings(dev_dir=directory))


def issue(snapshot: dict[str, Any], signer: LabSigner) -> tuple[bytes, bytes]:
    """Run the issuance path: token, context, render, sign; return (unsigned, signed) PDFs."""
    facts = CertificateFacts.from_json(snapshot)
    token = make_qr_token(signer, facts.qr_facts())
    context = build_context(
        facts, verification_url=f"{PUBLIC_URL}/verify/{facts.number}", qr_token=token
    )
    unsigned = render_certificate_pdf(context, facts.canonical_json())
    return unsigned, signer.sign_pdf(unsigned)


@pytest.fixture
def issue_certificate() -> Callable[[dict[str, Any], LabSigner], tuple[bytes, bytes]]:
    """Return the issuance path: issue_certificate(snapshot, signer) -> (unsigned, signed)."""
    return issue


@pytest.fixture(scope="session")
def issued(lab_signer: LabSigner) -> tuple[bytes, bytes]:
    """Issue the standard certificate once per session: (unsigned, signed) PDF bytes."""
    return issue(specimen_snapshot(), lab_signer)


@pytest.fixture(scope="session")
def signed_pdf(issued: tuple[bytes, bytes]) -> bytes:
    """Return the signed standard certificate."""
    return issued[1]


def require_tool(name: str) -> str:
    """Return the path of a command-line tool or skip the test when it is not installed."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed (apt-get install poppler-utils qpdf libnss3-tools zbar-tools)"
        )
    return path


@pytest.fixture
def artifacts_dir() -> Path:
    """Return the git-ignored artifacts/ folder where rendered pages are kept for review."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def tool() -> Callable[[str], str]:
    """Return require_tool: the path of a CLI tool, or skip when it is missing."""
    return require_tool

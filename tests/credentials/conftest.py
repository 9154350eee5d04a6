"""Fixtures for the credential library tests: keys, facts, a lab's DID document and status lists.

No Flask app and no database: the credentials package is a leaf library fed plain values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from labcert.credentials import (
    STATUS_PURPOSES,
    CertificateLink,
    ConformityFacts,
    CriterionOutcome,
    JwsSigner,
    ProductFacts,
    PublishedKey,
    StatusRef,
    build_did_document,
    did_web,
    issue_credential,
    issue_status_list,
    signer_for_private_key,
)

PUBLIC_URL = "https://lab.example.pk"
NUMBER = "LC-2026-000123"
INDEX = 41
ISSUED_AT = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)
DURING = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
PDF_SHA256 = "5f" * 32


def list_url(purpose: str, public_url: str = PUBLIC_URL) -> str:
    """Return the URL of the lab's first status list for purpose."""
    return f"{public_url}/api/v1/status-lists/{purpose}-1"


def make_facts(**overrides: Any) -> ConformityFacts:
    """Return a certificate's credential facts, with overrides."""
    public_url = overrides.get("public_url", PUBLIC_URL)
    values: dict[str, Any] = {
        "public_url": public_url,
        "number": NUMBER,
        "revision": 0,
        "issued_at": ISSUED_AT,
        "valid_until": dt.date(2029, 3, 2),
        "lab_name": "Lahore Radio Test Laboratory",
        "lab_accreditation": "PNAC-TL-0042",
        "holder_name": "Air Link Communication",
        "holder_country": "PK",
        "holder_address": "Plot 12, Quaid-e-Azam Industrial Estate, Lahore",
        "product": ProductFacts(
            brand="Xiaomi",
            model="2409BRN2CG",
            marketing_name="Redmi 14C",
            category="smartphone",
            hardware_version="P1.2",
            software_version="HyperOS 1.0.5",
            tacs=("86754304", "86754305"),
        ),
        "market": "eu-red",
        "market_title": "EU Radio Equipment Directive",
        "criteria_set": "eu-red@2025.08",
        "standards": ("EN 300 328 V2.2.2", "EN IEC/IEEE 62209-1528:2021"),
        "decision_rule": "Simple acceptance; a value equal to a limit conforms.",
        "outcomes": (
            CriterionOutcome("sar.head.10g", "SAR head, 10 g", "pass", True, "EN 62209-1528"),
            CriterionOutcome(
                "sar.body.10g", "SAR body, 10 g", "conditional_pass", True, "EN 62209-1528"
            ),
            CriterionOutcome("rf.eirp_2g4", "2.4 GHz EIRP", "pass", True, "EN 300 328 V2.2.2"),
        ),
        "status": tuple(StatusRef(p, list_url(p, public_url), INDEX) for p in STATUS_PURPOSES),
        "certificate": CertificateLink(
            f"{public_url}/api/v1/certificates/{NUMBER}/pdf", PDF_SHA256
        ),
    }
    values.update(overrides)
    return ConformityFacts(**values)


@dataclass
class Lab:
    """A lab with a key, its DID document and its status lists (bits set per purpose)."""

    signer: JwsSigner
    private_key: Any
    public_url: str = PUBLIC_URL
    retired: list[Any] = field(default_factory=list)
    set_bits: dict[str, list[int]] = field(default_factory=lambda: {p: [] for p in STATUS_PURPOSES})

    @property
    def did(self) -> str:
        return did_web(self.public_url)

    def did_document(self) -> dict[str, Any]:
        """Return the DID document as a verifier gets it: JSON text, parsed."""
        keys = [PublishedKey(self.signer.public_key)]
        keys += [PublishedKey(k, retired_at=ISSUED_AT) for k in self.retired]
        return json.loads(json.dumps(build_did_document(self.did, keys)))

    def status_lists(self, signer: JwsSigner | None = None) -> dict[str, str]:
        """Return the signed status list credentials, by URL."""
        return {
            list_url(p, self.public_url): issue_status_list(
                public_url=self.public_url,
                list_url=list_url(p, self.public_url),
                purpose=p,
                set_indexes=self.set_bits[p],
                valid_from=DURING - dt.timedelta(days=1),
                signer=signer or self.signer,
            ).token
            for p in STATUS_PURPOSES
        }

    def issue(self, **overrides: Any) -> str:
        """Return a signed credential token for the default facts with overrides."""
        facts = make_facts(public_url=self.public_url, **overrides)
        return issue_credential(facts, self.signer).token

    def rotate(self) -> None:
        """Retire the current key and sign with a new one from now on."""
        self.retired.append(self.signer.public_key)
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.signer = signer_for_private_key(self.private_key)


@pytest.fixture(scope="session")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


@pytest.fixture
def lab(ec_key: ec.EllipticCurvePrivateKey) -> Lab:
    return Lab(signer=signer_for_private_key(ec_key), private_key=ec_key)


@pytest.fixture
def stranger() -> JwsSigner:
    return signer_for_private_key(ec.generate_private_key(ec.SECP256R1()))


def with_facts(facts: ConformityFacts, **changes: Any) -> ConformityFacts:
    """Return facts with some fields changed."""
    return replace(facts, **changes)

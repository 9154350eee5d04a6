"""The signed QR token: round trip, forgery detection, size and character set."""

from __future__ import annotations

import base64
import string
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import given, settings
from hypothesis import strategies as st

from labcert.certificate_facts import CertificateFacts
from labcert.pdf.qr import make_qr, qr_url
from labcert.pki import InvalidQrToken, LabSigner, make_qr_token, read_qr_token

QR_ALPHANUMERIC = set(string.digits + string.ascii_uppercase + " $%*+-./:")
URL_UNRESERVED = set(string.ascii_letters + string.digits + "-._~")


@pytest.fixture
def facts(snapshot: dict[str, Any]) -> dict[str, Any]:
    return CertificateFacts.from_json(snapshot).qr_facts()


def test_token_round_trips_the_facts(lab_signer: LabSigner, facts: dict[str, Any]) -> None:
    token = make_qr_token(lab_signer, facts)

    assert read_qr_token(token, [lab_signer.certificate]) == facts


def test_facts_come_from_the_snapshot_and_hash_its_canonical_json(snapshot: dict[str, Any]) -> None:
    facts = CertificateFacts.from_json(snapshot).qr_facts()

    assert facts == {
        "number": "LC-2026-000123",
        "revision": 0,
        "holder": "Air Link Communication Ltd",
        "model": "23124RN87G",
        "market": "eu-red",
        "issued_on": "2026-11-21",
        "valid_until": "2027-11-21",
        "data_sha256": facts["data_sha256"],
    }
    snapshot["samples"][0]["imei"] = "867531090000037"
    assert CertificateFacts.from_json(snapshot).qr_facts()["data_sha256"] != facts["data_sha256"]


def test_the_issue_day_is_the_utc_day_printed_on_the_certificate(snapshot: dict[str, Any]) -> None:
    snapshot["certificate"]["issued_at"] = "2026-11-21T23:30:00-05:00"

    assert CertificateFacts.from_json(snapshot).qr_facts()["issued_on"] == "2026-11-22"


def test_token_is_url_safe_and_qr_alphanumeric(
    lab_signer: LabSigner, facts: dict[str, Any]
) -> None:
    token = make_qr_token(lab_signer, facts)

    assert set(token) <= QR_ALPHANUMERIC & URL_UNRESERVED
    assert len(token) < 300


def test_qr_code_of_the_url_with_token_stays_a_modest_version(
    lab_signer: LabSigner, facts: dict[str, Any]
) -> None:
    token = make_qr_token(lab_signer, facts)
    code = make_qr("https://verify.labcert.example.pk/verify/LC-2026-000123-R1", token)

    assert code.version <= 11
    assert code.error == "M"


def test_token_is_deterministic_for_the_same_facts(
    lab_signer: LabSigner, facts: dict[str, Any]
) -> None:
    # Deterministic ECDSA (RFC 6979): a reprint of the same revision gets the same QR code.
    assert make_qr_token(lab_signer, facts) == make_qr_token(lab_signer, facts)


def test_an_edited_token_is_rejected(lab_signer: LabSigner, facts: dict[str, Any]) -> None:
    token = make_qr_token(lab_signer, facts)
    raw = bytearray(base64.b32decode(token + "=" * (-len(token) % 8)))
    number_at = raw.index(b"LC-2026-000123")
    raw[number_at + 13] = ord("9")  # LC-2026-000129: a forger re-uses a seal on another number
    edited = base64.b32encode(bytes(raw)).decode().rstrip("=")

    with pytest.raises(InvalidQrToken, match="edited, or it was not issued by this lab"):
        read_qr_token(edited, [lab_signer.certificate])


@pytest.mark.parametrize("position", [0, 1, 40, 120, -2, -1])
def test_any_changed_character_is_rejected(
    lab_signer: LabSigner, facts: dict[str, Any], position: int
) -> None:
    token = make_qr_token(lab_signer, facts)
    at = position % len(token)
    for replacement in sorted(set("AB27") - {token[at]}):
        edited = token[:at] + replacement + token[at + 1 :]

        with pytest.raises(InvalidQrToken):
            read_qr_token(edited, [lab_signer.certificate])


def test_a_token_sealed_by_another_key_is_rejected(
    lab_signer: LabSigner, foreign_signer: LabSigner, facts: dict[str, Any]
) -> None:
    forged = make_qr_token(foreign_signer, facts)

    with pytest.raises(InvalidQrToken, match="not issued by this lab"):
        read_qr_token(forged, [lab_signer.certificate])
    assert read_qr_token(forged, [foreign_signer.certificate]) == facts


def test_a_token_for_another_certificate_number_is_rejected(
    lab_signer: LabSigner, facts: dict[str, Any]
) -> None:
    token = make_qr_token(lab_signer, facts)

    with pytest.raises(
        InvalidQrToken, match="belongs to certificate LC-2026-000123, not LC-2026-000999"
    ):
        read_qr_token(token, [lab_signer.certificate], expected_number="LC-2026-000999")


@pytest.mark.parametrize("token", ["", "not base32 at all!", "AE", "0189", "AB" * 40])
def test_malformed_tokens_are_rejected_with_a_message(lab_signer: LabSigner, token: str) -> None:
    with pytest.raises(InvalidQrToken) as error:
        read_qr_token(token, [lab_signer.certificate])
    assert str(error.value)


def test_a_lowercased_or_spaced_token_still_reads(
    lab_signer: LabSigner, facts: dict[str, Any]
) -> None:
    token = make_qr_token(lab_signer, facts)

    assert (
        read_qr_token(
            " " + token.lower()[:50] + "\n" + token.lower()[50:], [lab_signer.certificate]
        )
        == facts
    )


def test_ed25519_keys_seal_tokens_too(facts: dict[str, Any]) -> None:
    key = ed25519.Ed25519PrivateKey.generate()

    class Signer:
        def sign_token(self, data: bytes) -> bytes:
            return key.sign(data)

    token = make_qr_token(Signer(), facts)

    assert read_qr_token(token, [key.public_key()]) == facts


def test_incomplete_facts_are_a_programming_error(
    lab_signer: LabSigner, facts: dict[str, Any]
) -> None:
    del facts["data_sha256"]

    with pytest.raises(ValueError, match="lack data_sha256"):
        make_qr_token(lab_signer, facts)


def test_qr_url_appends_the_token_as_query() -> None:
    assert qr_url("http://h/verify/LC-1", "ABC") == "http://h/verify/LC-1?t=ABC"
    assert qr_url("http://h/verify/LC-1?lang=en", "ABC") == "http://h/verify/LC-1?lang=en&t=ABC"
    assert qr_url("http://h/verify/LC-1", "") == "http://h/verify/LC-1"


@settings(max_examples=40, deadline=None)
@given(
    holder=st.text(min_size=1, max_size=60),
    model=st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=20),
    revision=st.integers(min_value=0, max_value=255),
    digest=st.binary(min_size=32, max_size=32),
)
def test_any_facts_round_trip(
    lab_signer: LabSigner, holder: str, model: str, revision: int, digest: bytes
) -> None:
    facts = {
        "number": f"LC-2026-000123-R{revision}" if revision else "LC-2026-000123",
        "revision": revision,
        "holder": holder,
        "model": model,
        "market": "pk-pta",
        "issued_on": "2026-02-28",
        "valid_until": "2029-02-28",
        "data_sha256": digest.hex(),
    }

    assert read_qr_token(make_qr_token(lab_signer, facts), [lab_signer.certificate]) == facts


def test_the_printed_qr_code_scans_to_the_url_with_a_valid_token(
    signed_pdf: bytes,
    lab_signer: LabSigner,
    snapshot: dict[str, Any],
    tool: Callable[[str], str],
    tmp_path: Path,
) -> None:
    pdftoppm, zbarimg = tool("pdftoppm"), tool("zbarimg")
    (tmp_path / "certificate.pdf").write_bytes(signed_pdf)
    page = tmp_path / "page1"
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "certificate.pdf"),
            str(page),
        ],
        check=True,
    )

    scanned = subprocess.run(
        [zbarimg, "--raw", "-q", f"{page}.png"], capture_output=True, text=True, check=True
    ).stdout.strip()

    url, _, token = scanned.partition("?t=")
    assert url == "http://127.0.0.1:5000/verify/LC-2026-000123"
    facts = read_qr_token(token, [lab_signer.certificate], expected_number="LC-2026-000123")
    assert facts == CertificateFacts.from_json(snapshot).qr_facts()

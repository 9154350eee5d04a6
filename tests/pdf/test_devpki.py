"""The development PKI: plainly marked, private keys protected, never overwritten."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from labcert.pki import SigningKeyError, init_dev_pki
from labcert.pki.devpki import DOCUMENT_SIGNING

LAB = "LabCert Demo Testing Laboratory"


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _common_name(cert: x509.Certificate) -> str:
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def test_init_creates_root_and_signer_marked_development(tmp_path: Path) -> None:
    created = init_dev_pki(tmp_path / "pki", LAB)

    assert sorted(p.name for p in created) == [
        "root-key.pem",
        "root.pem",
        "signer-key.pem",
        "signer.pem",
    ]
    root, signer = _cert(tmp_path / "pki/root.pem"), _cert(tmp_path / "pki/signer.pem")
    assert _common_name(root) == "DEVELOPMENT root CA (not for production)"
    assert _common_name(signer) == f"{LAB} DEVELOPMENT signing key"
    assert root.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == LAB
    assert signer.issuer == root.subject
    signer.verify_directly_issued_by(root)
    assert isinstance(signer.public_key(), ec.EllipticCurvePublicKey)
    assert signer.public_key().curve.name == "secp256r1"


def test_the_signer_outlives_the_longest_certificate_and_the_root_outlives_the_signer(
    tmp_path: Path,
) -> None:
    init_dev_pki(tmp_path, LAB)
    root, signer = _cert(tmp_path / "root.pem"), _cert(tmp_path / "signer.pem")

    def years(cert: x509.Certificate) -> float:
        return (cert.not_valid_after_utc - cert.not_valid_before_utc) / dt.timedelta(days=365.25)

    assert 19.9 < years(root) < 20.1
    assert 6.9 < years(signer) < 7.1  # certificates are valid up to 5 years (pk-pta)


def test_signer_extensions_suit_pyhanko_and_poppler(tmp_path: Path) -> None:
    init_dev_pki(tmp_path, LAB)
    signer = _cert(tmp_path / "signer.pem")
    root = _cert(tmp_path / "root.pem")

    usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku  # poppler rejects documentSigning alone
    assert DOCUMENT_SIGNING in eku
    assert signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_private_keys_are_readable_only_by_the_owner(tmp_path: Path) -> None:
    init_dev_pki(tmp_path, LAB)

    for name in ("root-key.pem", "signer-key.pem"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_init_never_overwrites_an_existing_pki(tmp_path: Path) -> None:
    init_dev_pki(tmp_path, LAB)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    assert init_dev_pki(tmp_path, "Another Lab") == []
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_missing_signer_is_reissued_under_the_existing_root(tmp_path: Path) -> None:
    init_dev_pki(tmp_path, LAB)
    root_before = (tmp_path / "root.pem").read_bytes()
    (tmp_path / "signer.pem").unlink()
    (tmp_path / "signer-key.pem").unlink()

    created = init_dev_pki(tmp_path, LAB)

    assert sorted(p.name for p in created) == ["signer-key.pem", "signer.pem"]
    assert (tmp_path / "root.pem").read_bytes() == root_before
    _cert(tmp_path / "signer.pem").verify_directly_issued_by(_cert(tmp_path / "root.pem"))


def test_a_half_present_signer_is_refused_rather_than_guessed(tmp_path: Path) -> None:
    init_dev_pki(tmp_path, LAB)
    (tmp_path / "signer-key.pem").unlink()

    with pytest.raises(SigningKeyError, match="incomplete"):
        init_dev_pki(tmp_path, LAB)
    assert not (tmp_path / "signer-key.pem").exists()


def test_a_long_lab_name_keeps_the_development_mark_in_the_common_name(tmp_path: Path) -> None:
    long_name = (
        "Pakistan Telecommunication Device Testing and Certification Laboratory (Private) Ltd"
    )
    init_dev_pki(tmp_path, long_name)

    assert _common_name(_cert(tmp_path / "signer.pem")) == "DEVELOPMENT signing key"
    assert "DEVELOPMENT" in _common_name(_cert(tmp_path / "root.pem"))
